package io.floe.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.model.Message;
import io.floe.store.MemoryObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link LogEngine#runMaintenance()}: the hook of scheduled (Lambda) invocations. */
class MaintenanceTest {

    private static LogSettings settings(String id, int checkpointEvery) {
        LogSettings d = LogSettings.defaults(id);
        return new LogSettings(id, Duration.ZERO, d.flushBytes(), d.flushRecords(), d.inlineBytes(), d.maxBufferedBytes(),
                d.cacheBytes(), d.pollInterval(), checkpointEvery, d.metadataMaxAge(), false);
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
            assertThat(store.list(Keys.checkpointsPrefix(id), null, 100)).hasSize(2);
            assertThat(e.runMaintenance()).as("nothing is behind").isZero();

            // As if the process had been frozen before the checkpoint at 8: remove it.
            store.delete(Keys.checkpoint(id, 8));
            assertThat(e.runMaintenance()).isEqualTo(1);
            assertThat(store.list(Keys.checkpointsPrefix(id), null, 100)).extracting(o -> Keys.sequenceOf(o.key()))
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
}
