package io.floe.store;

/** Opens the {@link ObjectStore} that {@link StoreSettings} describe. The one place stores are chosen. */
public final class ObjectStores {

    private ObjectStores() {
    }

    /**
     * Opens the store named by {@code settings.url()}:
     * {@code file:./data} or {@code file:/abs/path} → {@link LocalFileObjectStore} (directory created);
     * {@code s3://bucket[/prefix]} → {@link S3ObjectStore}; {@code memory:} → {@link MemoryObjectStore}.
     *
     * @throws IllegalArgumentException if the URL is none of these; the message names
     *                                  {@code floe.storage.url} and the accepted forms
     * @throws StoreException           FATAL if a data directory cannot be created
     */
    public static ObjectStore open(StoreSettings settings) {
        return switch (StorageUrl.parse(settings.url())) {
            case StorageUrl.Memory m -> new MemoryObjectStore();
            case StorageUrl.File f -> new LocalFileObjectStore(f.directory());
            case StorageUrl.S3 s3 -> S3ObjectStore.open(settings);
        };
    }
}
