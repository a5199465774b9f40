package io.floe.txn;

import java.util.List;

/**
 * The producers active on a partition, as DescribeProducers reports them and {@code kafka-transactions.sh}
 * uses them to find hanging transactions. The log's producer state is the truth; this interface is the
 * coordinator side's only view of it ({@link EngineProducers}).
 */
public interface ActiveProducers {

    /** A producer's state on one partition. {@code currentTxnStartOffset} is -1 when it has no open transaction. */
    record ActiveProducer(long producerId, short producerEpoch, int lastSequence, long lastTimestamp,
                          int coordinatorEpoch, long currentTxnStartOffset) {
    }

    /** @throws io.floe.model.FloeException UNKNOWN_TOPIC / UNKNOWN_PARTITION, STORE_UNAVAILABLE */
    List<ActiveProducer> of(String topic, int partition);
}
