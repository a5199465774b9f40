package io.floe.api.kafka;

import io.floe.log.LogEngine;
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
 * thread and in request order; the engine checks idempotent and transactional batches against the
 * partition's producer state when it commits them. The response
 * completes when every partition's batches are durable in the bucket (acks=1 and acks=all are the
 * same thing here); acks=0 gets no response, as in Kafka. Thread-safe.
 */
final class ProduceHandler {

    private final LogEngine engine;

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
                    base = append(td.name(), pd.index(), (MemoryRecords) pd.records(), req.transactionalId());
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

    private CompletableFuture<Long> append(String topic, int partition, MemoryRecords records, String transactionalId) {
        if (records == null || records.sizeInBytes() == 0) {
            throw Errors.INVALID_RECORD.exception("The produce request holds no records for partition " + partition + ".");
        }
        for (RecordBatch b : records.batches()) {
            if (b.magic() != RecordBatch.MAGIC_VALUE_V2) {
                throw Errors.UNSUPPORTED_FOR_MESSAGE_FORMAT.exception("Only record batch format v2 (magic 2) is accepted.");
            }
            if (b.isControlBatch()) {
                // Markers are written by the transaction coordinator only, as in Kafka.
                throw Errors.INVALID_RECORD.exception("Clients may not produce control batches.");
            }
        }
        // Idempotent and transactional batches are checked against the partition's producer state by
        // the engine, when their commit is written (DESIGN.md §9); a transactional batch that starts a
        // transaction there is verified with the coordinator first (KIP-890).
        return engine.append(topic, partition, records.buffer(), transactionalId);
    }
}
