package io.floe.txn;

import io.floe.log.FetchResult;
import io.floe.log.LogEngine;
import io.floe.log.PartitionOffsets;
import io.floe.model.OffsetOutOfRangeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * {@link ActiveProducers} read from the last {@link #WINDOW} offsets of a partition: each producer's
 * last batch, and the first offset of its transactional batches after its last marker (its open
 * transaction). A producer older than the window is not reported. Stateless and thread-safe.
 */
public final class LogTailProducers implements ActiveProducers {

    static final long WINDOW = 20_000;
    private static final int FETCH_BYTES = 8 << 20;

    private final LogEngine engine;

    public LogTailProducers(LogEngine engine) {
        this.engine = engine;
    }

    @Override
    public List<ActiveProducer> of(String topic, int partition) {
        Map<Long, ActiveProducer> producers = new LinkedHashMap<>();
        PartitionOffsets offsets = engine.offsets(topic, partition);
        long offset = Math.max(offsets.logStartOffset(), offsets.endOffset() - WINDOW);
        while (offset < offsets.endOffset()) {
            FetchResult r;
            try {
                r = engine.fetch(topic, partition, offset, FETCH_BYTES, Duration.ZERO).join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof OffsetOutOfRangeException range) {
                    offset = range.logStartOffset();
                    continue;
                }
                throw e.getCause() instanceof RuntimeException re ? re : e;
            }
            long next = offset;
            for (ByteBuffer b : r.batches()) {
                for (RecordBatch batch : MemoryRecords.readableRecords(b.duplicate()).batches()) {
                    next = Math.max(next, batch.lastOffset() + 1);
                    if (batch.producerId() != RecordBatch.NO_PRODUCER_ID && batch.lastOffset() >= offset) {
                        producers.put(batch.producerId(), apply(producers.get(batch.producerId()), batch));
                    }
                }
            }
            if (next == offset) {
                break;
            }
            offset = next;
        }
        return new ArrayList<>(producers.values());
    }

    private static ActiveProducer apply(ActiveProducer before, RecordBatch batch) {
        long txnStart = before == null ? -1 : before.currentTxnStartOffset();
        int lastSeq = before == null ? -1 : before.lastSequence();
        int coordinatorEpoch = before == null ? -1 : before.coordinatorEpoch();
        if (batch.isControlBatch()) {
            try (var records = batch.streamingIterator(org.apache.kafka.common.utils.BufferSupplier.NO_CACHING)) {
                if (records.hasNext()) {
                    Record r = records.next();
                    ControlRecordType type = ControlRecordType.parse(r.key());
                    if (type == ControlRecordType.COMMIT || type == ControlRecordType.ABORT) {
                        txnStart = -1;
                        coordinatorEpoch = org.apache.kafka.common.record.internal.EndTransactionMarker.deserialize(r)
                                .coordinatorEpoch();
                    }
                }
            }
        } else {
            lastSeq = batch.lastSequence();
            if (batch.isTransactional() && txnStart < 0) {
                txnStart = batch.baseOffset();
            }
        }
        return new ActiveProducer(batch.producerId(), batch.producerEpoch(), lastSeq, batch.maxTimestamp(),
                coordinatorEpoch, txnStart);
    }
}
