package io.floe.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectStoresTest {

    @TempDir
    Path dir;

    @Test
    void memoryUrlOpensAMemoryStore() {
        assertThat(ObjectStores.open(StoreSettings.of("memory:"))).isInstanceOf(MemoryObjectStore.class);
    }

    @Test
    void fileUrlOpensALocalStoreAndCreatesTheDirectory() {
        Path data = dir.resolve("nested/data");
        try (ObjectStore s = ObjectStores.open(StoreSettings.of("file:" + data))) {
            assertThat(s).isInstanceOf(LocalFileObjectStore.class);
            assertThat(Files.isDirectory(data)).isTrue();
        }
        assertThat(StorageUrl.parse("file:./data")).isEqualTo(new StorageUrl.File(Path.of("./data")));
        assertThat(StorageUrl.parse("file:///var/floe")).isEqualTo(new StorageUrl.File(Path.of("/var/floe")));
    }

    @Test
    void s3UrlsNameABucketAndAnOptionalPrefix() {
        assertThat(StorageUrl.parse("s3://my-bucket")).isEqualTo(new StorageUrl.S3("my-bucket", ""));
        assertThat(StorageUrl.parse("s3://my-bucket/floe/prod/")).isEqualTo(new StorageUrl.S3("my-bucket", "floe/prod/"));
        try (S3ObjectStore s = (S3ObjectStore) ObjectStores.open(StoreSettings.of("s3://b-1/x"))) {
            assertThat(s.bucket()).isEqualTo("b-1");
            assertThat(s.prefix()).isEqualTo("x/");
        }
    }

    @Test
    void invalidUrlsNameTheSettingAndTheAcceptedForms() {
        for (String bad : new String[] {"", "file:", "s3://", "s3://UPPER", "s3://b/bad prefix", "http://x", "./data"}) {
            assertThatThrownBy(() -> ObjectStores.open(StoreSettings.of(bad)))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("floe.storage.url")
                    .hasMessageContaining("s3://bucket")
                    .hasMessageContaining("file:./data")
                    .hasMessageContaining("memory:");
        }
    }

    @Test
    void accessAndSecretKeyGoTogether() {
        assertThatThrownBy(() -> new StoreSettings("memory:", java.util.Optional.empty(), "us-east-1", true,
                java.util.Optional.of("a"), java.util.Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
