package io.floe.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.janitor.Janitor;
import io.floe.log.LogEngine;
import io.floe.log.RecordPosition;
import io.floe.model.Message;
import io.floe.store.MemoryObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Restores from a snapshot (Lambda SnapStart, CRaC; DECISIONS.md D94), simulated: the clones of one
 * snapshot are processes built from the same random state (so with the same instance id, nonce and seeds),
 * and a restore is CRaC calling {@link SnapshotRestore#afterRestore}. Restored clones start in the same
 * millisecond here (a fixed clock), as a burst of SnapStart restores can.
 */
class SnapshotRestoreTest {

    private final MemoryObjectStore bucket = new MemoryObjectStore();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-29T03:00:00Z"), ZoneOffset.UTC);
    private final List<LogEngine> engines = new ArrayList<>();

    /** A process as the snapshot holds it: what it drew at start, drawn from the snapshot's random state. */
    private record Process(RenewableRandom random, LogEngine engine, SnapshotRestore hook) {
    }

    private Process fromSnapshot(Optional<String> configuredInstanceId) {
        RenewableRandom random = new RenewableRandom(20261129);
        String instanceId = configuredInstanceId.orElseGet(() -> FloeSettings.drawInstanceId(random));
        LogEngine engine = new LogEngine(bucket, clock, random, Defaults.log(instanceId).withBackgroundThreads(false));
        engines.add(engine);
        Janitor janitor = new Janitor(engine.maintenance(), clock, random, Defaults.janitor());
        return new Process(random, engine, new SnapshotRestore(random, engine, configuredInstanceId, janitor));
    }

    @BeforeEach
    void topicExistsInTheSnapshot() {
        try (LogEngine admin = new LogEngine(bucket, clock, new SplittableRandom(1), Defaults.log("admin")
                .withBackgroundThreads(false))) {
            admin.createTopic("t", 1, Map.of("max.message.bytes", String.valueOf(4 << 20)));
        }
    }

    @AfterEach
    void close() {
        engines.forEach(LogEngine::close);
    }

    /** Produces {@code value} padded past the default inline limit (1 MiB): the records go to a segment object of their own. */
    private static CompletableFuture<List<RecordPosition>> produce(LogEngine engine, String value) {
        byte[] padded = (value + "|" + ".".repeat((1 << 20) + 1024)).getBytes(StandardCharsets.UTF_8);
        CompletableFuture<List<RecordPosition>> f = engine.produce("t", List.of(new Message(0, null, padded, List.of(), null)));
        engine.flushNow();
        return f;
    }

    private List<String> partitionZero() {
        try (LogEngine reader = new LogEngine(bucket, clock, new SplittableRandom(2), Defaults.log("reader")
                .withBackgroundThreads(false))) {
            List<String> values = new ArrayList<>();
            long offset = 0;
            for (boolean more = true; more; ) {
                more = false;
                for (java.nio.ByteBuffer batches : reader.fetchAvailable("t", 0, offset, 16 << 20).join().batches()) {
                    for (Record r : MemoryRecords.readableRecords(batches.duplicate()).records()) {
                        values.add(StandardCharsets.UTF_8.decode(r.value()).toString().split("\\|")[0]);
                        offset = r.offset() + 1;
                        more = true;
                    }
                }
            }
            return values;
        }
    }

    @Test
    void afterRestoreAProcessHasANewInstanceIdAndNewSeeds() {
        Process restored = fromSnapshot(Optional.empty());
        Process other = fromSnapshot(Optional.empty());
        String snapshotId = restored.engine().maintenance().instanceId();
        assertThat(other.engine().maintenance().instanceId()).as("clones of one snapshot").isEqualTo(snapshotId);

        restored.hook().afterRestore(null);

        assertThat(restored.engine().maintenance().instanceId()).matches("[0-9a-f]{8}").isNotEqualTo(snapshotId);
        long[] drawnAfterRestore = {restored.random().nextLong(), restored.random().nextLong()};
        long[] drawnBySnapshotState = {other.random().nextLong(), other.random().nextLong()};
        assertThat(drawnAfterRestore).isNotEqualTo(drawnBySnapshotState);
    }

    @Test
    void restoredClonesOfOneSnapshotWriteWithoutCollidingWithEachOtherOrTheSnapshot() {
        Process first = fromSnapshot(Optional.empty());
        Process second = fromSnapshot(Optional.empty());
        first.hook().afterRestore(null);
        second.hook().afterRestore(null);

        CompletableFuture<List<RecordPosition>> a = produce(first.engine(), "from the first clone");
        CompletableFuture<List<RecordPosition>> b = produce(second.engine(), "from the second clone");
        // The snapshot's own identity, still at work in a process that was not restored (the init instance).
        CompletableFuture<List<RecordPosition>> c = produce(fromSnapshot(Optional.empty()).engine(), "from the snapshot");

        assertThat(List.of(a, b, c)).allSatisfy(f -> assertThat(f).succeedsWithin(java.time.Duration.ofSeconds(10)));
        assertThat(partitionZero()).containsExactlyInAnyOrder("from the first clone", "from the second clone",
                "from the snapshot");
        assertThat(first.engine().maintenance().instanceId()).isNotEqualTo(second.engine().maintenance().instanceId());
    }

    @Test
    void aConfiguredInstanceIdStaysAndRestoredClonesStillWriteApart() {
        Process first = fromSnapshot(Optional.of("orders-lambda"));
        Process second = fromSnapshot(Optional.of("orders-lambda"));
        first.hook().afterRestore(null);
        second.hook().afterRestore(null);
        assertThat(first.engine().maintenance().instanceId()).isEqualTo("orders-lambda");

        CompletableFuture<List<RecordPosition>> a = produce(first.engine(), "one");
        CompletableFuture<List<RecordPosition>> b = produce(second.engine(), "two");

        assertThat(List.of(a, b)).allSatisfy(f -> assertThat(f).succeedsWithin(java.time.Duration.ofSeconds(10)));
        assertThat(partitionZero()).containsExactlyInAnyOrder("one", "two");
    }
}
