package io.floe.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFileObjectStoreTest extends ObjectStoreContractTest {

    @TempDir
    Path dir;

    @Override
    protected ObjectStore newStore() {
        return new LocalFileObjectStore(dir);
    }

    @Test
    void listIgnoresTempAndLockFilesAndTwoInstancesShareTheDirectory() throws Exception {
        store.createIfAbsent("x/y", bytes("1"));
        Files.writeString(dir.resolve("tmp").resolve("leftover.tmp"), "partial");
        try (LocalFileObjectStore other = new LocalFileObjectStore(dir)) {
            assertThat(other.createIfAbsent("x/y", bytes("2"))).isEqualTo(ObjectStore.WriteResult.CONFLICT);
            assertThat(keys(other.list("", null, 100))).containsExactly("x/y");
            String etag = other.get("x/y").orElseThrow().etag();
            assertThat(other.replaceIfMatch("x/y", bytes("3"), etag).written()).isTrue();
        }
        assertThat(store.get("x/y").orElseThrow().content()).isEqualTo(bytes("3"));
    }
}
