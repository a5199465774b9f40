package io.floe.bench;

import io.floe.janitor.Janitor;
import io.floe.janitor.JanitorSettings;
import io.floe.log.FetchResult;
import io.floe.log.LogEngine;
import io.floe.log.LogSettings;
import io.floe.log.PartitionOffsets;
import io.floe.model.Message;
import io.floe.store.CountingObjectStore;
import io.floe.store.ObjectStore;
import io.floe.store.Operation;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Retention, compaction and merging, measured (docs/BENCHMARKS.md, section "Retention, compaction
 * and merging"): writes {@code --mib} MiB over 16 partitions in 10 ms flushes to radosgw, then counts
 * objects in the bucket and the GETs a cold instance needs to replay the whole topic, before and
 * after the janitor merges; and the janitor's own requests per GiB merged. {@code --merge-buffer-mib}
 * (64) is {@code floe.janitor.merge-buffer-bytes}.
 *
 * <p>Not a test (STYLE.md rule 12). Run: see docs/BENCHMARKS.md.
 */
public final class JanitorBenchmark {

    private static final int PARTITIONS = 16;

    public static void main(String[] args) throws Exception {
        long mib = 256;
        // Producers are paced so that the 10 ms linger, not the flush size, ends every flush.
        long bytesPerSecond = 16L << 20;
        long mergeBuffer = 64L << 20;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--mib" -> mib = Long.parseLong(args[i + 1]);
                case "--mib-per-s" -> bytesPerSecond = Long.parseLong(args[i + 1]) << 20;
                case "--merge-buffer-mib" -> mergeBuffer = Long.parseLong(args[i + 1]) << 20;
                default -> throw new IllegalArgumentException("options: --mib N --mib-per-s N --merge-buffer-mib N; got " + args[i]);
            }
        }
        long total = mib << 20;
        String endpoint = System.getProperty("bench.s3.endpoint", "http://127.0.0.1:7480");
        BenchTarget target = BenchTarget.open("s3", endpoint, null);
        ObjectStore bucket = target.raw;
        LogSettings ws = new LogSettings("writer", Duration.ofMillis(10), 8 << 20, 100_000, 64 << 10, 256L << 20,
                64L << 20, Duration.ofMillis(100), 64, Duration.ofSeconds(10), true, 3);
        CountingObjectStore writerStore = new CountingObjectStore(bucket);
        long t0 = System.nanoTime();
        try (LogEngine writer = new LogEngine(writerStore, Clock.systemUTC(), new SplittableRandom(1), ws)) {
            writer.createTopic("bench", PARTITIONS, Map.of("retention.ms", "-1"));
            byte[] value = new byte[1000];
            new SplittableRandom(7).nextBytes(value);
            AtomicLong written = new AtomicLong();
            long rate = bytesPerSecond;
            List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                int partition = p;
                producers.add(Thread.ofVirtual().start(() -> {
                    List<CompletableFuture<?>> inFlight = new ArrayList<>();
                    long start = System.nanoTime();
                    long mine = 0;
                    while (written.get() < total) {
                        long due = (long) (mine / (rate / (double) PARTITIONS) * 1e9);
                        long wait = due - (System.nanoTime() - start);
                        if (wait > 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(wait);
                        }
                        mine += 16L * value.length;
                        List<Message> batch = new ArrayList<>();
                        for (int i = 0; i < 16; i++) {
                            batch.add(new Message(partition, null, value, List.of(), System.currentTimeMillis() - 120_000));
                        }
                        written.addAndGet(16L * value.length);
                        inFlight.add(writer.produce("bench", batch));
                        if (inFlight.size() >= 64) {
                            inFlight.remove(0).join();
                        }
                    }
                    inFlight.forEach(CompletableFuture::join);
                }));
            }
            for (Thread t : producers) {
                t.join();
            }
        }
        double writeSeconds = (System.nanoTime() - t0) / 1e9;
        CountingObjectStore.Counts w = writerStore.snapshot();
        long objectsBefore = bucket.list("", null, 10_000_000).size();
        long getsBefore = replay(bucket);

        CountingObjectStore janitorStore = new CountingObjectStore(bucket);
        LogSettings js = ws.withBackgroundThreads(false);
        long janitorMs;
        int runs = 0;
        try (LogEngine engine = new LogEngine(janitorStore, Clock.systemUTC(), new SplittableRandom(2), js)) {
            Janitor janitor = new Janitor(engine.maintenance(), Clock.systemUTC(), new SplittableRandom(3),
                    new JanitorSettings(Duration.ofHours(2), Duration.ZERO, Duration.ofMinutes(30), 4 << 20, 16 << 20,
                            4 << 20, 16, Duration.ZERO, 0.5, 1 << 20, mergeBuffer));
            long j0 = System.nanoTime();
            Janitor.Report r;
            do {
                r = janitor.runOnce();
                runs++;
            } while (r.merged() > 0 && runs < 20);
            janitorMs = (System.nanoTime() - j0) / 1_000_000;
        }
        CountingObjectStore.Counts j = janitorStore.snapshot();
        long objectsAfter = bucket.list("", null, 10_000_000).size();
        long mergedObjects = bucket.list("merged/", null, 10_000_000).size();
        long getsAfter = replay(bucket);
        double gib = total / (double) (1L << 30);
        System.out.printf("written: %d MiB over %d partitions in %.1f s (%d flushes); writer requests %s%n", mib, PARTITIONS,
                writeSeconds, w.requests(Operation.CREATE_IF_ABSENT), w.requests());
        System.out.printf("objects in bucket: before merging %d, after %d%n", objectsBefore, objectsAfter);
        System.out.printf("GETs to replay the topic (cold instance, 1 MiB fetches): before %d (%.2f per 4 MiB), after %d (%.2f per 4 MiB)%n",
                getsBefore, getsBefore / (total / (double) (4 << 20)), getsAfter, getsAfter / (total / (double) (4 << 20)));
        System.out.printf("janitor: %d runs, %d ms; requests %s = %d total, %.0f per GiB; bytes read %d MiB, written %d MiB%n",
                runs, janitorMs, j.requests(), j.totalRequests(), j.totalRequests() / gib, j.bytesRead() >> 20, j.bytesWritten() >> 20);
        long janitorGets = j.requests(Operation.GET) + j.requests(Operation.RANGE_GET);
        System.out.printf("janitor per GiB merged: %.0f requests, %.0f GETs (%.0f ranged), %.0f PUTs (%d merged objects), %.0f DELETEs%n",
                j.totalRequests() / gib, janitorGets / gib, j.requests(Operation.RANGE_GET) / gib, j.requests(Operation.PUT) / gib,
                mergedObjects, j.requests(Operation.DELETE) / gib);
        target.close(); // empties the bucket: radosgw keeps objects in a bounded amount of memory
    }

    /** GETs a cold instance makes to read every partition from its start with 1 MiB fetches. */
    private static long replay(ObjectStore bucket) {
        CountingObjectStore counting = new CountingObjectStore(bucket);
        LogSettings rs = new LogSettings("reader", Duration.ofMillis(10), 8 << 20, 100_000, 64 << 10, 64L << 20,
                64L << 20, Duration.ofMillis(100), 64, Duration.ofSeconds(10), false, 3);
        try (LogEngine reader = new LogEngine(counting, Clock.systemUTC(), new SplittableRandom(4), rs)) {
            for (int p = 0; p < PARTITIONS; p++) {
                PartitionOffsets range = reader.offsets("bench", p);
                long offset = range.logStartOffset();
                while (offset < range.endOffset()) {
                    FetchResult r = reader.fetch("bench", p, offset, 1 << 20, Duration.ZERO).join();
                    offset = r.nextOffset();
                }
            }
        }
        CountingObjectStore.Counts c = counting.snapshot();
        return c.requests().entrySet().stream().filter(e -> e.getKey().name().endsWith("GET")).mapToLong(Map.Entry::getValue).sum();
    }
}
