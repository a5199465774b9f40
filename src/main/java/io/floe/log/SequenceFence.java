package io.floe.log;

import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fault 1 of issue 12: after a commit carrying an idempotent producer's batch fails (or its outcome
 * is unknown), the producer's later batches on that partition must not be committed ahead of it. For
 * a producer the chain knows, the sequence check against the chain already refuses them; this fence
 * covers the producer the chain does not know (its failed batch was its first), whom Kafka's rule
 * would otherwise let start at any sequence. It remembers, per partition and producer, the first
 * sequence of the earliest failed batch, and refuses other sequences of that epoch with
 * OUT_OF_ORDER_SEQUENCE (which clients retry after resending the failed batch) until that batch is
 * committed, the chain shows the producer, or a newer epoch appears.
 *
 * <p>The outcome of the failed commit is settled by the chain itself: every later commit is decided
 * against the chain at the sequence where it lands, so if the failed commit did land, the producer is
 * known there and the fence steps aside. Local to an instance (a producer talks to one at a time).
 * Thread-safe.
 */
final class SequenceFence {

    private record Key(String topicId, int partition, long producerId) {
    }

    private record Failed(short epoch, int firstSeq) {
    }

    private final Map<Key, Failed> failed = new ConcurrentHashMap<>();
    private volatile boolean enabled = true;

    /** Simulation and tests only: turns the fence off, to show that the simulation catches its absence. */
    void enabled(boolean on) {
        enabled = on;
    }

    /** A commit holding {@code a} failed or has an unknown outcome. */
    void failed(String topicId, int partition, ProducerTable.Append a) {
        if (a.kind().marker() || !enabled) {
            return;
        }
        failed.merge(new Key(topicId, partition, a.producerId()), new Failed(a.epoch(), a.firstSeq()),
                (old, now) -> now.epoch() > old.epoch() ? now : old); // keep the earliest failure of an epoch
    }

    /** The run of {@code a} was committed: the fence of its producer, if any, is lifted. */
    void resolved(String topicId, int partition, ProducerTable.Append a) {
        failed.remove(new Key(topicId, partition, a.producerId()));
    }

    /** A refusal when {@code a} would overtake a failed batch, else null (the table decides). */
    ProducerTable.Decision check(String topicId, int partition, ProducerTable.Append a, ProducerTable table) {
        if (!enabled || a.kind().marker() || failed.isEmpty()) {
            return null;
        }
        Failed f = failed.get(new Key(topicId, partition, a.producerId()));
        if (f == null || a.epoch() > f.epoch() || table.knows(a.producerId()) || a.firstSeq() == f.firstSeq()) {
            return null;
        }
        return new ProducerTable.Refuse(new FloeException(ErrorCode.OUT_OF_ORDER_SEQUENCE, "Producer " + a.producerId()
                + " sent sequence " + a.firstSeq() + " but its batch at sequence " + f.firstSeq()
                + " failed to commit; resend from it."));
    }
}
