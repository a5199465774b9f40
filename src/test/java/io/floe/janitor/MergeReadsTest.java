package io.floe.janitor;

import io.floe.runtime.Defaults;
import static org.assertj.core.api.Assertions.assertThat;

import io.floe.format.IndexEntry;
import io.floe.log.FetchResult;
import io.floe.log.LogEngine;
import io.floe.log.LogSettings;
import io.floe.log.Maintenance;
import io.floe.model.FetchedRecord;
import io.floe.model.Message;
import io.floe.model.Topic;
import io.floe.store.CountingObjectStore;
import io.floe.store.MemoryObjectStore;
import io.floe.store.Operation;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What merging costs in store reads: a flush's segment (or inline commit) holds the small entries of
 * every partition it touched, so the janitor reads each such source object once per run for all of
 * them, not once per partition (docs/BENCHMARKS.md T5).
 */
class MergeReadsTest {

    private static final int PARTITIONS = 8;
    private static final int FLUSHES = 40;

    /** Writes FLUSHES flushes of one small record per partition; each flush is one segment or one inline commit. */
    private static void burst(LogEngine writer, String topic) {
        for (int f = 0; f < FLUSHES; f++) {
            List<Message> ms = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                ms.add(new Message(p, null, bytes("f" + f + "p" + p + "-" + "x".repeat(900)), List.of(),
                        System.currentTimeMillis() - 60_000));
            }
            var acked = writer.produce(topic, ms);
            writer.flushNow();
            acked.join();
        }
    }

    private static LogSettings settings(String id, int inlineBytes) {
        LogSettings d = Defaults.log(id);
        return new LogSettings(id, Duration.ZERO, d.flushBytes(), d.flushRecords(), inlineBytes, d.maxBufferedBytes(),
                d.cacheBytes(), d.pollInterval(), 1_000, d.metadataMaxAge(), false, 3);
    }

    private static JanitorSettings janitorSettings() {
        // Entries < 8 KiB are small; merged objects of <= 16 KiB indexed in >= 4 KiB entries, so that the
        // 40 x 1 KiB entries of each partition become several merged objects.
        return new JanitorSettings(Duration.ofSeconds(30), Duration.ofMinutes(10), Duration.ofSeconds(20), 8 << 10,
                16 << 10, 4 << 10, 4, Duration.ZERO, 0.5, 1 << 20, 4 * (16 << 10));
    }

    @ParameterizedTest(name = "inline bytes {0}")
    @ValueSource(ints = {0, 256 << 10})
    void mergingReadsEachSourceObjectOnceForAllItsPartitions(int inlineBytes) {
        MemoryObjectStore bucket = new MemoryObjectStore();
        CountingObjectStore janitorStore = new CountingObjectStore(bucket);
        try (LogEngine writer = new LogEngine(bucket, Clock.systemUTC(), new SplittableRandom(1), settings("w", inlineBytes));
             LogEngine janitorEngine = new LogEngine(janitorStore, Clock.systemUTC(), new SplittableRandom(2),
                     settings("j", inlineBytes))) {
            Topic topic = writer.createTopic("burst", PARTITIONS, Map.of());
            burst(writer, "burst");
            Set<String> sources = new HashSet<>();
            for (Maintenance.PartitionView p : writer.maintenance().view(topic).partitions().values()) {
                p.entries().stream().map(IndexEntry::objectKey).forEach(sources::add);
            }
            assertThat(sources).as("one source object per flush").hasSize(FLUSHES);
            List<List<String>> before = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                before.add(values(writer, "burst", p));
            }
            CountingObjectStore.Counts start = janitorStore.snapshot();

            Janitor.Report r = new Janitor(janitorEngine.maintenance(), Clock.systemUTC(), new SplittableRandom(3),
                    janitorSettings()).runOnce();

            CountingObjectStore.Counts used = janitorStore.snapshot().minus(start);
            assertThat(r.merged()).as("every partition merged, in several objects").isGreaterThanOrEqualTo(2 * PARTITIONS);
            // The old janitor read every small entry on its own: (FLUSHES - 1) x PARTITIONS = 312 ranged GETs.
            assertThat(used.requests(Operation.RANGE_GET)).as("ranged GETs of the merge: at most one per source object")
                    .isLessThanOrEqualTo(FLUSHES - 1);
            LogEngine cold = new LogEngine(bucket, Clock.systemUTC(), new SplittableRandom(4), settings("c", inlineBytes));
            try (cold) {
                for (int p = 0; p < PARTITIONS; p++) {
                    assertThat(values(cold, "burst", p)).as("partition %d reads the same after merging", p)
                            .isEqualTo(before.get(p));
                }
            }
        }
    }

    @Test
    void aSmallMergeBufferStillReadsEachSourceObjectOnce() {
        MemoryObjectStore bucket = new MemoryObjectStore();
        CountingObjectStore janitorStore = new CountingObjectStore(bucket);
        try (LogEngine writer = new LogEngine(bucket, Clock.systemUTC(), new SplittableRandom(1), settings("w", 0));
             LogEngine janitorEngine = new LogEngine(janitorStore, Clock.systemUTC(), new SplittableRandom(2),
                     settings("j", 0))) {
            writer.createTopic("burst", PARTITIONS, Map.of());
            burst(writer, "burst");
            List<List<String>> before = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                before.add(values(writer, "burst", p));
            }
            JanitorSettings s = janitorSettings();
            CountingObjectStore.Counts start = janitorStore.snapshot();

            // All partitions' candidates come to 8 x 39 KiB; a 24 KiB buffer holds about three flushes at a time.
            Janitor.Report r = new Janitor(janitorEngine.maintenance(), Clock.systemUTC(), new SplittableRandom(3),
                    withMergeBuffer(s, 24 << 10)).runOnce();

            CountingObjectStore.Counts used = janitorStore.snapshot().minus(start);
            assertThat(r.merged()).isPositive();
            assertThat(used.requests(Operation.RANGE_GET)).isLessThanOrEqualTo(FLUSHES - 1);
            for (int p = 0; p < PARTITIONS; p++) {
                assertThat(values(writer, "burst", p)).isEqualTo(before.get(p));
            }
        }
    }

    static JanitorSettings withMergeBuffer(JanitorSettings s, long bytes) {
        return new JanitorSettings(s.lease(), s.grace(), s.maxRunTime(), s.mergeSmallBytes(), s.mergeObjectBytes(),
                s.mergeEntryBytes(), s.mergeMinEntries(), s.mergeSettle(), s.minCleanableRatio(), s.minDirtyBytes(), bytes);
    }

    private static List<String> values(LogEngine engine, String topic, int partition) {
        List<String> out = new ArrayList<>();
        var range = engine.offsets(topic, partition);
        long offset = range.logStartOffset();
        while (offset < range.endOffset()) {
            FetchResult r = engine.fetch(topic, partition, offset, 1 << 20, Duration.ZERO).join();
            for (FetchedRecord rec : r.records()) {
                out.add(rec.offset() + ":" + new String(rec.value(), StandardCharsets.UTF_8));
            }
            offset = r.nextOffset();
        }
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
