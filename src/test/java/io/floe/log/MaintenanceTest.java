package io.floe.log;

import io.floe.runtime.Defaults;
import io.floe.format.BucketLayout;
import static org.assertj.core.api.Assertions.assertThat;

import io.floe.format.IndexEntry;
import io.floe.model.Message;
import io.floe.model.Topic;
import io.floe.store.CountingObjectStore;
import io.floe.store.MemoryObjectStore;
import io.floe.store.Operation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link LogEngine#runMaintenance()}, the hook of scheduled (Lambda) invocations, and {@link Maintenance}'s reads. */
class MaintenanceTest {

    private static LogSettings settings(String id, int checkpointEvery) {
        LogSettings d = Defaults.log(id);
        return new LogSettings(id, Duration.ZERO, d.flushBytes(), d.flushRecords(), d.inlineBytes(), d.maxBufferedBytes(),
                d.cacheBytes(), d.pollInterval(), checkpointEvery, d.metadataMaxAge(), false, 3);
    }

    private static void commits(LogEngine e, String topic, int n) {
        for (int i = 0; i < n; i++) {
            var f = e.produce(topic, List.of(Message.of(null, ("v" + i).getBytes(StandardCharsets.UTF_8))));
            e.flushNow();
            f.join();
        }
    }

    @Test
    void writesTheCheckpointThatAFrozenCommitterMissedAndIsIdempotent() {
        MemoryObjectStore store = new MemoryObjectStore();
        try (LogEngine e = new LogEngine(store, Clock.systemUTC(), new SplittableRandom(1), settings("a", 4))) {
            String id = e.createTopic("t", 1, Map.of()).id();
            commits(e, "t", 9); // commits 0..8: the committers of 4 and 8 wrote checkpoints
            assertThat(store.list(BucketLayout.checkpointsPrefix(id), null, 100)).hasSize(2);
            assertThat(e.runMaintenance()).as("nothing is behind").isZero();

            // As if the process had been frozen before the checkpoint at 8: remove it.
            store.delete(BucketLayout.checkpoint(id, 8));
            assertThat(e.runMaintenance()).isEqualTo(1);
            assertThat(store.list(BucketLayout.checkpointsPrefix(id), null, 100)).extracting(o -> BucketLayout.sequenceOf(o.key()))
                    .contains(8L);
            assertThat(e.runMaintenance()).isZero();
        }
    }

    @Test
    void flushesWhatIsBufferedBeforeReturning() {
        MemoryObjectStore store = new MemoryObjectStore();
        try (LogEngine e = new LogEngine(store, Clock.systemUTC(), new SplittableRandom(2), settings("b", 64))) {
            e.createTopic("t", 1, Map.of());
            var f = e.produce("t", List.of(Message.of(null, "x".getBytes(StandardCharsets.UTF_8))));
            assertThat(f).isNotDone();
            e.runMaintenance();
            assertThat(f).isCompleted();
            assertThat(e.offsets("t", 0).endOffset()).isEqualTo(1);
        }
    }

    @Test
    void readsTheEntriesOfOneObjectWithOneRangedGetUnlessMuchLiesBetweenThem() {
        MemoryObjectStore bucket = new MemoryObjectStore();
        CountingObjectStore store = new CountingObjectStore(bucket);
        LogSettings d = settings("c", 64);
        LogSettings noInline = new LogSettings("c", d.linger(), d.flushBytes(), d.flushRecords(), 0, d.maxBufferedBytes(),
                d.cacheBytes(), d.pollInterval(), 64, d.metadataMaxAge(), false, 3);
        try (LogEngine e = new LogEngine(store, Clock.systemUTC(), new SplittableRandom(3), noInline)) {
            Topic t = e.createTopic("t", 4, Map.of());
            List<Message> ms = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                // Partition 2 holds 1.5 MB: more than READ_GAP_BYTES between the entries of partitions 1 and 3.
                for (int r = 0; r < (p == 2 ? 3 : 1); r++) {
                    ms.add(new Message(p, null, ("p" + p + "r" + r + "-" + "z".repeat(p == 2 ? 500_000 : 100))
                            .getBytes(StandardCharsets.UTF_8), List.of(), null));
                }
            }
            var f = e.produce("t", ms);
            e.flushNow();
            f.join();
            Maintenance m = e.maintenance();
            List<IndexEntry> entries = m.view(t).partitions().values().stream().map(p -> p.entries().get(0)).toList();
            String key = entries.get(0).objectKey();
            List<ByteBuffer> one = entries.stream().map(x -> m.read(x).orElseThrow()).toList();

            CountingObjectStore.Counts before = store.snapshot();
            List<ByteBuffer> together = m.read(key, List.of(entries.get(1), entries.get(0), entries.get(2))).orElseThrow();
            assertThat(store.snapshot().minus(before).requests(Operation.RANGE_GET)).isEqualTo(1);
            assertThat(together).containsExactly(one.get(1), one.get(0), one.get(2));

            before = store.snapshot();
            List<ByteBuffer> apart = m.read(key, List.of(entries.get(0), entries.get(1), entries.get(3))).orElseThrow();
            CountingObjectStore.Counts used = store.snapshot().minus(before);
            assertThat(used.requests(Operation.RANGE_GET)).as("the 1.5 MB of partition 2 are not fetched").isEqualTo(2);
            assertThat(used.bytesRead()).isLessThan(10_000);
            assertThat(apart).containsExactly(one.get(0), one.get(1), one.get(3));

            bucket.delete(key);
            assertThat(m.read(key, entries)).isEmpty();
        }
    }
}
