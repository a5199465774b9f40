package io.floe.api.kafka;

import io.floe.log.FetchRequest;
import io.floe.log.IsolationLevel;
import io.floe.log.FetchResponse;
import io.floe.log.FetchResult;
import io.floe.log.LogEngine;
import io.floe.log.PartitionOffsets;
import io.floe.model.FetchedRecord;
import io.floe.model.OffsetOutOfRangeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.ListOffsetsRequest;

/**
 * Fetch and ListOffsets.
 *
 * <p>Fetch is the engine's multi-partition fetch ({@link LogEngine#fetch(FetchRequest)}: min_bytes,
 * max_wait_ms, max_bytes with the first non-empty partition whole, as Kafka does) translated to and
 * from Kafka's messages. Fetch sessions are not kept: every response has session id 0, which tells
 * clients to send full fetch requests. Thread-safe; nothing blocks the calling thread.
 */
final class FetchHandler {

    private final LogEngine engine;

    FetchHandler(LogEngine engine) {
        this.engine = engine;
    }

    CompletableFuture<ApiMessage> fetch(FetchRequestData req) {
        List<FetchRequest.Partition> wanted = new ArrayList<>();
        for (FetchRequestData.FetchTopic t : req.topics()) {
            for (FetchRequestData.FetchPartition p : t.partitions()) {
                wanted.add(new FetchRequest.Partition(t.topic(), p.partition(), p.fetchOffset(), p.partitionMaxBytes()));
            }
        }
        IsolationLevel isolation = isolation(req.isolationLevel());
        return engine.fetch(new FetchRequest(wanted, req.maxBytes(), req.minBytes(), Duration.ofMillis(Math.max(0, req.maxWaitMs())),
                isolation)).thenApply(fetched -> response(fetched, isolation));
    }

    /** Kafka's isolation_level byte: 0 read_uncommitted, 1 read_committed. */
    static IsolationLevel isolation(byte level) {
        return level == 1 ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED;
    }

    private static ApiMessage response(FetchResponse fetched, IsolationLevel isolation) {
        FetchResponseData out = new FetchResponseData().setErrorCode(Errors.NONE.code()).setSessionId(0);
        FetchResponseData.FetchableTopicResponse topic = null;
        for (FetchResponse.Partition p : fetched.partitions()) {
            if (topic == null || !topic.topic().equals(p.request().topic())) {
                topic = new FetchResponseData.FetchableTopicResponse().setTopic(p.request().topic());
                out.responses().add(topic);
            }
            topic.partitions().add(partitionData(p, isolation));
        }
        return out;
    }

    private static FetchResponseData.PartitionData partitionData(FetchResponse.Partition p, IsolationLevel isolation) {
        FetchResponseData.PartitionData out = new FetchResponseData.PartitionData()
                .setPartitionIndex(p.request().partition());
        if (p.failed()) {
            out.setErrorCode(KafkaErrors.of(p.error()).code()).setRecords(MemoryRecords.EMPTY)
                    .setHighWatermark(-1).setLastStableOffset(-1).setLogStartOffset(-1);
            if (p.error() instanceof OffsetOutOfRangeException o) {
                out.setHighWatermark(o.endOffset()).setLastStableOffset(o.endOffset()).setLogStartOffset(o.logStartOffset());
            }
            return out;
        }
        FetchResult r = p.result();
        if (isolation == IsolationLevel.READ_COMMITTED) {
            List<FetchResponseData.AbortedTransaction> aborted = new ArrayList<>();
            for (FetchResult.AbortedTransaction a : r.abortedTransactions()) {
                aborted.add(new FetchResponseData.AbortedTransaction().setProducerId(a.producerId()).setFirstOffset(a.firstOffset()));
            }
            out.setAbortedTransactions(aborted);
        } else {
            out.setAbortedTransactions(null);
        }
        return out.setHighWatermark(r.highWatermark()).setLastStableOffset(r.lastStableOffset())
                .setLogStartOffset(r.logStartOffset()).setRecords(records(r));
    }

    private static MemoryRecords records(FetchResult r) {
        List<ByteBuffer> batches = r.batches();
        if (batches.isEmpty()) {
            return MemoryRecords.EMPTY;
        }
        if (batches.size() == 1) {
            return MemoryRecords.readableRecords(batches.getFirst().duplicate());
        }
        ByteBuffer all = ByteBuffer.allocate(r.sizeInBytes());
        for (ByteBuffer b : batches) {
            all.put(b.duplicate());
        }
        return MemoryRecords.readableRecords(all.flip());
    }

    // ---- ListOffsets -----------------------------------------------------------------------------

    CompletableFuture<ApiMessage> listOffsets(ListOffsetsRequestData req) {
        ListOffsetsResponseData out = new ListOffsetsResponseData();
        for (ListOffsetsRequestData.ListOffsetsTopic t : req.topics()) {
            ListOffsetsResponseData.ListOffsetsTopicResponse tr = new ListOffsetsResponseData.ListOffsetsTopicResponse()
                    .setName(t.name());
            out.topics().add(tr);
            for (ListOffsetsRequestData.ListOffsetsPartition p : t.partitions()) {
                ListOffsetsResponseData.ListOffsetsPartitionResponse pr = new ListOffsetsResponseData.ListOffsetsPartitionResponse()
                        .setPartitionIndex(p.partitionIndex()).setTimestamp(-1).setOffset(-1);
                tr.partitions().add(pr);
                try {
                    listOffset(t.name(), p.partitionIndex(), p.timestamp(), isolation(req.isolationLevel()), pr);
                } catch (RuntimeException e) {
                    pr.setErrorCode(KafkaErrors.of(e).code());
                }
            }
        }
        return CompletableFuture.completedFuture(out);
    }

    private void listOffset(String topic, int partition, long timestamp, IsolationLevel isolation,
                            ListOffsetsResponseData.ListOffsetsPartitionResponse out) {
        PartitionOffsets offsets = engine.offsets(topic, partition);
        if (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP || timestamp == ListOffsetsRequest.LATEST_TIERED_TIMESTAMP) {
            out.setOffset(offsets.readableEnd(isolation)); // read_committed: the last stable offset, as Kafka
        } else if (timestamp == ListOffsetsRequest.EARLIEST_TIMESTAMP
                || timestamp == ListOffsetsRequest.EARLIEST_LOCAL_TIMESTAMP) {
            out.setOffset(offsets.logStartOffset());
        } else if (timestamp == ListOffsetsRequest.MAX_TIMESTAMP) {
            // The record with the largest timestamp; approximated by the last record (CreateTime grows).
            if (offsets.endOffset() > offsets.logStartOffset()) {
                recordAt(topic, partition, offsets.endOffset() - 1, out);
            }
        } else if (timestamp >= 0) {
            long offset = engine.offsetForTimestamp(topic, partition, timestamp);
            if (offset >= 0) {
                recordAt(topic, partition, offset, out);
            }
        } else {
            throw Errors.INVALID_REQUEST.exception("Unknown special timestamp " + timestamp + ".");
        }
    }

    /** Sets offset and the record's own timestamp. */
    private void recordAt(String topic, int partition, long offset, ListOffsetsResponseData.ListOffsetsPartitionResponse out) {
        out.setOffset(offset);
        FetchResult r = engine.fetch(topic, partition, offset, 1, Duration.ZERO).join();
        for (FetchedRecord rec : r.records()) {
            if (rec.offset() == offset) {
                out.setTimestamp(rec.timestamp());
                return;
            }
        }
    }
}
