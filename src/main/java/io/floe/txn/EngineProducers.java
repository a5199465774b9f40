package io.floe.txn;

import io.floe.format.Checkpoint;
import io.floe.log.LogEngine;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link ActiveProducers} as the log's producer state holds them ({@link LogEngine#producers}, read to the
 * chain's head): every producer the partition remembers, with its epoch, last sequence and the first
 * offset of its open transaction. The last timestamp is that of the producer's last commit (the log keeps
 * commit times, not batch timestamps); Floe's coordinator has no epochs, so the coordinator epoch is -1.
 * Stateless and thread-safe.
 */
public final class EngineProducers implements ActiveProducers {

    private final LogEngine engine;

    public EngineProducers(LogEngine engine) {
        this.engine = engine;
    }

    @Override
    public List<ActiveProducer> of(String topic, int partition) {
        List<ActiveProducer> out = new ArrayList<>();
        for (Checkpoint.Producer p : engine.producers(topic, partition)) {
            int lastSequence = p.batches().isEmpty() ? -1 : p.batches().getLast().lastSeq();
            out.add(new ActiveProducer(p.producerId(), p.epoch(), lastSequence, p.lastCommitMs(), -1, p.txnFirstOffset()));
        }
        return out;
    }
}
