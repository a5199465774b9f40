package io.floe.bench;

import io.floe.store.CountingObjectStore;
import io.floe.store.ObjectStore;
import io.floe.store.ObjectStores;
import io.floe.store.S3ObjectStore;
import io.floe.store.StoreSettings;
import io.floe.store.TimedObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * The store a benchmark writes to: a fresh radosgw bucket or a fresh directory, opened as
 * raw → {@link TimedObjectStore} → {@link CountingObjectStore}, and emptied when done (radosgw keeps
 * its objects in a bounded amount of memory).
 */
final class BenchTarget implements AutoCloseable {

    final String description;
    final ObjectStore raw;
    /** How long each request took, per operation. */
    final RequestTimes times = new RequestTimes();
    final CountingObjectStore counting;
    private final Path directory; // null for S3

    private BenchTarget(String description, ObjectStore raw, Path directory) {
        this.description = description;
        this.raw = raw;
        this.counting = new CountingObjectStore(new TimedObjectStore(raw, times));
        this.directory = directory;
    }

    /**
     * @param kind     "s3" or "file"
     * @param endpoint the S3 endpoint (radosgw), with access key floe / secret floe-secret unless
     *                 -Dbench.s3.access-key / -Dbench.s3.secret-key say otherwise
     * @param fileRoot parent directory for "file" targets
     */
    static BenchTarget open(String kind, String endpoint, Path fileRoot) throws IOException {
        String id = UUID.randomUUID().toString().substring(0, 8);
        if (kind.equals("s3")) {
            String bucket = "floe-bench-" + id;
            StoreSettings settings = StoreSettings.of("s3://" + bucket).withS3Endpoint(endpoint,
                    System.getProperty("bench.s3.access-key", "floe"), System.getProperty("bench.s3.secret-key", "floe-secret"));
            S3ObjectStore.createBucketIfMissing(settings);
            return new BenchTarget("s3://" + bucket + " at " + endpoint, ObjectStores.open(settings), null);
        }
        if (kind.equals("file")) {
            Files.createDirectories(fileRoot);
            Path dir = Files.createTempDirectory(fileRoot, "floe-bench-" + id);
            return new BenchTarget("file:" + dir, ObjectStores.open(StoreSettings.of("file:" + dir)), dir);
        }
        throw new IllegalArgumentException("--store must be s3 or file, not '" + kind + "'");
    }

    /** A second view of the same objects with fresh counters (a cold reader). */
    CountingObjectStore freshCounting() {
        return new CountingObjectStore(raw);
    }

    /** Deletes every object written (S3) or the directory (files). */
    @Override
    public void close() {
        try {
            if (directory != null) {
                try (var walk = Files.walk(directory)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            } else {
                int deleted = 0;
                while (true) {
                    List<ObjectStore.ObjectInfo> page = raw.list("", null, 1000);
                    if (page.isEmpty()) {
                        break;
                    }
                    for (ObjectStore.ObjectInfo o : page) {
                        raw.delete(o.key());
                        deleted++;
                    }
                }
                System.out.printf("cleanup: deleted %d objects from %s%n", deleted, description);
            }
        } catch (IOException | RuntimeException e) {
            System.out.println("cleanup of " + description + " failed: " + e);
        } finally {
            raw.close();
        }
    }
}
