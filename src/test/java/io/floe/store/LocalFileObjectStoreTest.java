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

    @Override
    protected boolean etagIsTheContentsMd5() {
        return false;
    }

    @Test
    void rewritingTheSameContentChangesTheEtagSoAStaleEtagNeverMatchesAgain() {
        String first = store.put("k", bytes("same"));
        String second = store.put("k", bytes("same"));
        assertThat(second).isNotEqualTo(first);
        assertThat(store.replaceIfMatch("k", bytes("other"), first)).isEqualTo(ObjectStore.WriteResult.CONFLICT);
        try (LocalFileObjectStore other = new LocalFileObjectStore(dir)) {
            assertThat(other.put("k", bytes("same"))).isNotEqualTo(second);
        }
    }

    @Test
    void objectsOfSeveralIoChunksAreWrittenAndReadWhole() {
        byte[] big = new byte[(3 << 20) + 12_345];
        new java.util.Random(7).nextBytes(big);
        store.put("big", big);
        assertThat(store.get("big").orElseThrow().content()).isEqualTo(big);
        byte[] range = store.getRange("big", 1_000, 2 << 20).orElseThrow().content();
        assertThat(range).isEqualTo(java.util.Arrays.copyOfRange(big, 1_000, 1_000 + (2 << 20)));
    }

    @Test
    void anObjectWrittenBeforeVersionsKeepsItsMd5AsEtag() throws Exception {
        byte[] content = bytes("written by an older Floe");
        Path file = Files.createDirectories(dir.resolve("objects").resolve("old")).resolve("k~");
        Files.write(file, concat(ETags.md5(content), content));

        ObjectStore.StoredObject read = store.get("old/k").orElseThrow();
        assertThat(read.content()).isEqualTo(content);
        assertThat(read.etag()).isEqualTo(ETags.md5Hex(content));
        assertThat(store.replaceIfMatch("old/k", bytes("new"), read.etag()).written()).isTrue();
        assertThat(store.get("old/k").orElseThrow().content()).isEqualTo(bytes("new"));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
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
