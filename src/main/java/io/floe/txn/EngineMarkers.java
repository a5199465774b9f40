package io.floe.txn;

import io.floe.log.LogEngine;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.TopicPartition;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Markers as records: each is a Kafka control batch ({@link MemoryRecords#withEndTransactionMarker},
 * the transaction's producer id and epoch, coordinator epoch {@value #COORDINATOR_EPOCH}) appended
 * through the engine ({@link LogEngine#appendMarkers}), so that all partitions of a transaction go out in one
 * flush, one group commit per topic touched. Thread-safe (the engine is).
 *
 * <p>The coordinator epoch is constant: Floe has no coordinator leadership to fence. A stale
 * coordinator is fenced by the state object's compare-and-swap instead (docs/DECISIONS.md D43).
 */
public final class EngineMarkers implements MarkerWriter {

    /** The coordinator epoch every Floe marker carries. */
    public static final int COORDINATOR_EPOCH = 0;

    private final LogEngine engine;
    private final Clock clock;

    public EngineMarkers(LogEngine engine, Clock clock) {
        this.engine = engine;
        this.clock = clock;
    }

    /** The control batch of one marker, as Kafka's brokers write it. */
    static ByteBuffer marker(long producerId, short producerEpoch, boolean commit, long timestampMs) {
        EndTransactionMarker m = new EndTransactionMarker(commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT,
                COORDINATOR_EPOCH);
        return MemoryRecords.withEndTransactionMarker(0L, timestampMs, RecordBatch.NO_PARTITION_LEADER_EPOCH,
                producerId, producerEpoch, m).buffer();
    }

    @Override
    public void write(Collection<TopicPartition> partitions, long producerId, short producerEpoch, boolean commit) {
        if (partitions.isEmpty()) {
            return;
        }
        long now = clock.millis();
        Map<String, Map<Integer, ByteBuffer>> byTopic = new TreeMap<>();
        for (TopicPartition tp : partitions) {
            byTopic.computeIfAbsent(tp.topic(), t -> new TreeMap<>())
                    .put(tp.partition(), marker(producerId, producerEpoch, commit, now));
        }
        // One engine call per topic (LogEngine.appendMarkers: one commit of its chain), all in one flush.
        List<CompletableFuture<Map<Integer, Long>>> appended = new ArrayList<>();
        for (var e : byTopic.entrySet()) {
            try {
                appended.add(engine.appendMarkers(e.getKey(), e.getValue()));
            } catch (FloeException ex) {
                if (!gone(ex)) {
                    throw ex;
                }
            }
        }
        engine.flushNow();
        for (CompletableFuture<Map<Integer, Long>> f : appended) {
            try {
                f.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof FloeException f2 && gone(f2)) {
                    continue; // the topic was deleted meanwhile: nothing left to end
                }
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
    }

    private static boolean gone(FloeException e) {
        return e.code() == ErrorCode.UNKNOWN_TOPIC || e.code() == ErrorCode.UNKNOWN_PARTITION;
    }
}
