package io.floe.log;

import io.floe.model.TopicPartition;
import java.util.Collection;

/**
 * KIP-890's produce-time verification, asked by the log of the transaction coordinator above it: which
 * partitions are not part of a producer's open transaction. The log asks only for a transactional batch
 * that would start a transaction on its partition (the partition's producer state shows none open for
 * the producer's epoch), and asks while deciding the commit that would hold the batch, after reading the
 * chain tip it commits at. Because the coordinator decides a transaction (PREPARE_*) before it writes any
 * marker, and markers go through the same chain, a batch verified this way cannot land after its
 * transaction's marker: a hanging transaction cannot start.
 *
 * <p>Implementations must only read (they run inside a flush) and be thread-safe.
 */
@FunctionalInterface
public interface TransactionVerifier {

    /**
     * The partitions of {@code partitions} that are not in the open (ONGOING) transaction of
     * {@code transactionalId} at {@code producerId} / {@code epoch}.
     *
     * @throws io.floe.model.FloeException PRODUCER_FENCED, INVALID_PRODUCER_ID_MAPPING and the like for
     *         the producer as a whole; STORE_UNAVAILABLE when the answer is unknown
     */
    Collection<TopicPartition> notInTransaction(String transactionalId, long producerId, short epoch,
                                                Collection<TopicPartition> partitions);
}
