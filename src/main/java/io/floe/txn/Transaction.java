package io.floe.txn;

import io.floe.model.TopicPartition;
import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The state of one transactional id: the content of its object {@code transactions/{id}}
 * (docs/FORMAT.md §"Transaction state"). Immutable; the {@code with…} methods return copies.
 *
 * @param transactionalId   the client's {@code transactional.id}
 * @param producerId        the producer id the id is mapped to
 * @param producerEpoch     its current epoch; a producer with an older one is fenced
 * @param lastProducerId    the producer id before the last bump (-1: none); lets a retried
 *                          InitProducerId (KIP-360) be recognised
 * @param lastProducerEpoch the epoch before the last bump (-1: none)
 * @param timeoutMs         the producer's {@code transaction.timeout.ms}
 * @param state             where the transaction is
 * @param startedAtMs       when the open transaction began (first partition or group added); -1 when none
 * @param preparedAtMs      when it was decided (PREPARE_*); -1 otherwise
 * @param updatedAtMs       when the object was last written
 * @param partitions        the partitions of the open (or preparing) transaction
 * @param groups            the groups of the transaction (AddOffsetsToTxn), each with its pending offsets
 * @param writeId           unique to the write (instance id and a counter): makes every write of a
 *                          shared key unique, as {@link io.floe.store.ConditionalUpdate} requires
 */
public record Transaction(
        String transactionalId,
        long producerId,
        short producerEpoch,
        long lastProducerId,
        short lastProducerEpoch,
        int timeoutMs,
        TxnState state,
        long startedAtMs,
        long preparedAtMs,
        long updatedAtMs,
        SortedSet<TopicPartition> partitions,
        SortedMap<String, SortedMap<TopicPartition, TxnOffset>> groups,
        String writeId) {

    /** Topic, then partition: the order partitions are written and reported in. */
    public static final Comparator<TopicPartition> ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    public Transaction {
        Objects.requireNonNull(transactionalId, "transactionalId");
        Objects.requireNonNull(state, "state");
        TreeSet<TopicPartition> ps = new TreeSet<>(ORDER);
        ps.addAll(partitions);
        partitions = Collections.unmodifiableSortedSet(ps);
        TreeMap<String, SortedMap<TopicPartition, TxnOffset>> gs = new TreeMap<>();
        groups.forEach((g, offsets) -> {
            TreeMap<TopicPartition, TxnOffset> os = new TreeMap<>(ORDER);
            os.putAll(offsets);
            gs.put(g, Collections.unmodifiableSortedMap(os));
        });
        groups = Collections.unmodifiableSortedMap(gs);
    }

    /** A new transactional id's state: EMPTY, epoch 0. */
    static Transaction fresh(String transactionalId, long producerId, int timeoutMs, long nowMs) {
        return new Transaction(transactionalId, producerId, (short) 0, -1, (short) -1, timeoutMs, TxnState.EMPTY,
                -1, -1, nowMs, new TreeSet<>(), new TreeMap<>(), "");
    }

    /** Whether the open transaction has outlived its timeout at {@code nowMs}. */
    public boolean expired(long nowMs) {
        return state == TxnState.ONGOING && startedAtMs >= 0 && nowMs - startedAtMs > timeoutMs;
    }

    Transaction withState(TxnState s, long nowMs) {
        return new Transaction(transactionalId, producerId, producerEpoch, lastProducerId, lastProducerEpoch, timeoutMs,
                s, s == TxnState.ONGOING && startedAtMs < 0 ? nowMs : startedAtMs,
                s.preparing() ? nowMs : preparedAtMs, nowMs, partitions, groups, writeId);
    }

    /** The state after markers: the transaction's partitions and offsets are forgotten. */
    Transaction completed(long nowMs) {
        TxnState done = state == TxnState.PREPARE_COMMIT ? TxnState.COMPLETE_COMMIT : TxnState.COMPLETE_ABORT;
        return new Transaction(transactionalId, producerId, producerEpoch, lastProducerId, lastProducerEpoch, timeoutMs,
                done, -1, -1, nowMs, new TreeSet<>(), new TreeMap<>(), writeId);
    }

    /** A new producer id and epoch; the old ones are remembered for a retried InitProducerId. */
    Transaction withProducer(long id, short epoch, int timeout, long nowMs) {
        return new Transaction(transactionalId, id, epoch, producerId, producerEpoch, timeout, state, startedAtMs,
                preparedAtMs, nowMs, partitions, groups, writeId);
    }

    /** The epoch bumped (fencing) without touching anything else. */
    Transaction withEpoch(short epoch, long nowMs) {
        return new Transaction(transactionalId, producerId, epoch, producerId, producerEpoch, timeoutMs, state,
                startedAtMs, preparedAtMs, nowMs, partitions, groups, writeId);
    }

    Transaction withPartitions(SortedSet<TopicPartition> ps, long nowMs) {
        return new Transaction(transactionalId, producerId, producerEpoch, lastProducerId, lastProducerEpoch, timeoutMs,
                state, startedAtMs, preparedAtMs, nowMs, ps, groups, writeId);
    }

    Transaction withGroups(Map<String, SortedMap<TopicPartition, TxnOffset>> gs, long nowMs) {
        return new Transaction(transactionalId, producerId, producerEpoch, lastProducerId, lastProducerEpoch, timeoutMs,
                state, startedAtMs, preparedAtMs, nowMs, partitions, new TreeMap<>(gs), writeId);
    }

    Transaction withWriteId(String id) {
        return new Transaction(transactionalId, producerId, producerEpoch, lastProducerId, lastProducerEpoch, timeoutMs,
                state, startedAtMs, preparedAtMs, updatedAtMs, partitions, groups, id);
    }
}
