package io.floe.store;

import static io.floe.store.ObjectStoreContractTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CountingObjectStoreTest {

    @Test
    void countsRequestsByKindAndBytesMoved() {
        CountingObjectStore store = new CountingObjectStore(new MemoryObjectStore());
        String etag = store.put("a", bytes("12345"));
        store.createIfAbsent("a", bytes("xx"));              // conflict: the body was still sent
        store.replaceIfMatch("a", bytes("abc"), etag);
        store.get("a");
        store.get("missing");
        store.getRange("a", 1, 1);
        store.list("", null, 10);
        store.delete("a");
        CountingObjectStore.Counts c = store.snapshot();
        assertThat(c.requests(Operation.PUT)).isEqualTo(1);
        assertThat(c.requests(Operation.CREATE_IF_ABSENT)).isEqualTo(1);
        assertThat(c.requests(Operation.REPLACE_IF_MATCH)).isEqualTo(1);
        assertThat(c.requests(Operation.GET)).isEqualTo(2);
        assertThat(c.requests(Operation.RANGE_GET)).isEqualTo(1);
        assertThat(c.requests(Operation.LIST)).isEqualTo(1);
        assertThat(c.requests(Operation.DELETE)).isEqualTo(1);
        assertThat(c.totalRequests()).isEqualTo(8);
        assertThat(c.bytesWritten()).isEqualTo(10);
        assertThat(c.bytesRead()).isEqualTo(4);

        store.get("missing");
        CountingObjectStore.Counts later = store.snapshot().minus(c);
        assertThat(later.totalRequests()).isEqualTo(1);
        assertThat(later.requests(Operation.GET)).isEqualTo(1);
    }
}
