package io.floe.log;

import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.TopicPartition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One commit round's {@link TransactionVerifier} questions: every transactional batch that would start a
 * transaction on its partition at the round's tip, asked in one call per producer (transactional id,
 * producer id, epoch). Batches of a producer whose transaction is already open on the partition, and
 * batches that came without a transactional id (the REST door, markers), are not asked about.
 */
final class TxnVerification {

    private record Producer(String transactionalId, long producerId, short epoch) {
    }

    private TxnVerification() {
    }

    /** The batches of {@code runs} to refuse at {@code tip}, each with its error; empty when all may go on. */
    static Map<WriteBuffer.Pending, FloeException> refusals(TransactionVerifier verifier, String topic,
                                                             Collection<CommitPlan.Run> runs, Chain.Tip tip) {
        Map<WriteBuffer.Pending, FloeException> out = new IdentityHashMap<>();
        if (verifier == null) {
            return out;
        }
        Map<Producer, List<WriteBuffer.Pending>> asks = new LinkedHashMap<>();
        for (CommitPlan.Run r : runs) {
            ProducerTable table = tip.producers().get(r.partition());
            for (WriteBuffer.Pending a : r.appends()) {
                ProducerTable.Append p = a.producer();
                if (p == null || p.transactionalId() == null || p.kind() != io.floe.format.Commit.BatchKind.TRANSACTIONAL
                        || (table != null && table.inTransaction(p.producerId(), p.epoch()))) {
                    continue;
                }
                asks.computeIfAbsent(new Producer(p.transactionalId(), p.producerId(), p.epoch()), k -> new ArrayList<>()).add(a);
            }
        }
        asks.forEach((producer, pendings) -> {
            Set<TopicPartition> partitions = new LinkedHashSet<>();
            pendings.forEach(a -> partitions.add(new TopicPartition(topic, a.partition())));
            Collection<TopicPartition> missing;
            try {
                missing = verifier.notInTransaction(producer.transactionalId(), producer.producerId(), producer.epoch(), partitions);
            } catch (FloeException e) {
                pendings.forEach(a -> out.put(a, e));
                return;
            }
            for (WriteBuffer.Pending a : pendings) {
                if (missing.contains(new TopicPartition(topic, a.partition()))) {
                    out.put(a, new FloeException(ErrorCode.INVALID_TXN_STATE, "Partition " + a.partition() + " of topic '"
                            + topic + "' is not part of the open transaction of transactional id '"
                            + producer.transactionalId() + "' (producer " + producer.producerId() + ", epoch "
                            + producer.epoch() + "): add it with AddPartitionsToTxn before producing to it."));
                }
            }
        });
        return out;
    }
}
