package io.floe.api.kafka;

import io.floe.log.FetchResult;
import io.floe.log.LogEngine;
import io.floe.log.PartitionOffsets;
import io.floe.model.Topic;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.ProduceRequest;

/**
 * Produce: each partition's record batches go to {@link LogEngine#append} verbatim, on the reader
 * thread and in request order; idempotent batches pass {@link ProducerStates} first. The response
 * completes when every partition's batches are durable in the bucket (acks=1 and acks=all are the
 * same thing here); acks=0 gets no response, as in Kafka. Thread-safe.
 */
final class ProduceHandler {

    /** How far back a producer's batches are looked for when an instance first sees it on a partition. */
    static final long RECOVERY_WINDOW_OFFSETS = 20_000;
    private static final int RECOVERY_FETCH_BYTES = 8 << 20;

    private final LogEngine engine;
    private final ProducerStates states = new ProducerStates();

    ProduceHandler(LogEngine engine) {
        this.engine = engine;
    }

    CompletableFuture<ApiMessage> handle(ProduceRequest request) {
        ProduceRequestData req = request.data();
        ProduceResponseData out = new ProduceResponseData();
        List<CompletableFuture<?>> waits = new ArrayList<>();
        for (ProduceRequestData.TopicProduceData td : req.topicData()) {
            ProduceResponseData.TopicProduceResponse tr = new ProduceResponseData.TopicProduceResponse()
                    .setName(td.name()).setTopicId(td.topicId());
            out.responses().add(tr);
            for (ProduceRequestData.PartitionProduceData pd : td.partitionData()) {
                ProduceResponseData.PartitionProduceResponse pr = new ProduceResponseData.PartitionProduceResponse()
                        .setIndex(pd.index()).setBaseOffset(-1).setLogAppendTimeMs(-1).setLogStartOffset(-1);
                tr.partitionResponses().add(pr);
                CompletableFuture<Long> base;
                try {
                    base = append(td.name(), pd.index(), (MemoryRecords) pd.records());
                } catch (RuntimeException e) {
                    base = CompletableFuture.failedFuture(e);
                }
                waits.add(base.handle((offset, failure) -> {
                    if (failure != null) {
                        Errors error = KafkaErrors.of(failure);
                        pr.setErrorCode(error.code()).setErrorMessage(KafkaErrors.message(failure));
                    } else {
                        pr.setBaseOffset(offset);
                    }
                    return null;
                }));
            }
        }
        if (req.acks() == 0) {
            return null;
        }
        return CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).thenApply(x -> out);
    }

    private CompletableFuture<Long> append(String topic, int partition, MemoryRecords records) {
        if (records == null || records.sizeInBytes() == 0) {
            throw Errors.INVALID_RECORD.exception("The produce request holds no records for partition " + partition + ".");
        }
        ByteBuffer bytes = records.buffer();
        RecordBatch first = null;
        RecordBatch last = null;
        for (RecordBatch b : records.batches()) {
            if (first == null) {
                first = b;
            }
            last = b;
            if (b.magic() != RecordBatch.MAGIC_VALUE_V2) {
                throw Errors.UNSUPPORTED_FOR_MESSAGE_FORMAT.exception("Only record batch format v2 (magic 2) is accepted.");
            }
            if (b.isControlBatch()) {
                // Markers are written by the transaction coordinator only, as in Kafka.
                throw Errors.INVALID_RECORD.exception("Clients may not produce control batches.");
            }
        }
        if (first == null || first.producerId() == RecordBatch.NO_PRODUCER_ID) {
            return engine.append(topic, partition, bytes);
        }
        if (last.producerId() != first.producerId() || last.producerEpoch() != first.producerEpoch()) {
            throw Errors.INVALID_RECORD.exception("All batches of one partition in a request must come from one producer.");
        }
        Topic t = engine.topic(topic);
        long pid = first.producerId();
        return states.append(t.id(), partition, pid, first.producerEpoch(), first.baseSequence(), last.lastSequence(),
                producerId -> recover(topic, partition, producerId), () -> engine.append(topic, partition, bytes));
    }

    /** The producer's batches among the last {@link #RECOVERY_WINDOW_OFFSETS} offsets of the partition. */
    private List<ProducerStates.Batch> recover(String topic, int partition, long producerId) {
        List<ProducerStates.Batch> found = new ArrayList<>();
        PartitionOffsets offsets = engine.offsets(topic, partition);
        long offset = Math.max(offsets.logStartOffset(), offsets.endOffset() - RECOVERY_WINDOW_OFFSETS);
        while (offset < offsets.endOffset()) {
            FetchResult r;
            try {
                r = engine.fetch(topic, partition, offset, RECOVERY_FETCH_BYTES, Duration.ZERO).join();
            } catch (RuntimeException e) {
                Throwable c = KafkaErrors.unwrap(e);
                if (c instanceof io.floe.model.OffsetOutOfRangeException) {
                    offset = ((io.floe.model.OffsetOutOfRangeException) c).logStartOffset();
                    continue;
                }
                throw c instanceof RuntimeException re ? re : e;
            }
            long next = offset;
            for (ByteBuffer b : r.batches()) {
                for (RecordBatch batch : MemoryRecords.readableRecords(b.duplicate()).batches()) {
                    if (batch.producerId() == producerId) {
                        found.add(new ProducerStates.Batch(batch.producerEpoch(), batch.baseSequence(), batch.lastSequence(),
                                CompletableFuture.completedFuture(batch.baseOffset())));
                    }
                    next = Math.max(next, batch.lastOffset() + 1);
                }
            }
            if (next == offset) {
                break;
            }
            offset = next;
        }
        return found;
    }
}
