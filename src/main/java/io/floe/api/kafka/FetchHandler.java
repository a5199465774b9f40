package io.floe.api.kafka;

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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * <p>Fetch first reads every requested partition at once without waiting. If that yields at least
 * {@code min_bytes}, or {@code max_wait_ms} is 0, it answers. Otherwise every partition waits in the
 * engine's long poll (woken by local commits at once and by other instances' commits at the poll
 * interval); the first partition that gets data (or an error) completes the response, with the
 * other partitions as read at first. Partitions are filled in request order up to {@code max_bytes};
 * the first non-empty partition is always included whole, as Kafka does, so a record larger than the
 * limit still makes progress. Fetch sessions are not kept: every response has session id 0, which
 * tells clients to send full fetch requests. Thread-safe; nothing blocks the calling thread.
 */
final class FetchHandler {

    private final LogEngine engine;

    FetchHandler(LogEngine engine) {
        this.engine = engine;
    }

    private record Slot(String topic, FetchRequestData.FetchPartition request) {
    }

    CompletableFuture<ApiMessage> fetch(FetchRequestData req) {
        List<Slot> slots = new ArrayList<>();
        for (FetchRequestData.FetchTopic t : req.topics()) {
            for (FetchRequestData.FetchPartition p : t.partitions()) {
                slots.add(new Slot(t.topic(), p));
            }
        }
        List<CompletableFuture<FetchResponseData.PartitionData>> first = new ArrayList<>();
        for (Slot s : slots) {
            first.add(read(s, Duration.ZERO, req.maxWaitMs() > 0));
        }
        return CompletableFuture.allOf(first.toArray(CompletableFuture[]::new)).thenCompose(x -> {
            List<FetchResponseData.PartitionData> now = first.stream().map(CompletableFuture::join).toList();
            long bytes = now.stream().mapToLong(FetchHandler::size).sum();
            boolean errors = now.stream().anyMatch(p -> p.errorCode() != Errors.NONE.code());
            if (bytes >= Math.max(1, req.minBytes()) || errors || req.maxWaitMs() <= 0 || slots.isEmpty()) {
                return CompletableFuture.completedFuture(response(req, slots, now));
            }
            return waitForData(req, slots, now);
        });
    }

    private CompletableFuture<ApiMessage> waitForData(FetchRequestData req, List<Slot> slots,
                                                      List<FetchResponseData.PartitionData> now) {
        CompletableFuture<ApiMessage> out = new CompletableFuture<>();
        Duration wait = Duration.ofMillis(req.maxWaitMs());
        List<FetchResponseData.PartitionData> current = new ArrayList<>(now);
        AtomicBoolean answered = new AtomicBoolean();
        for (int i = 0; i < slots.size(); i++) {
            int index = i;
            read(slots.get(i), wait, false).thenAccept(p -> {
                boolean useful = size(p) > 0 || p.errorCode() != Errors.NONE.code();
                synchronized (current) {
                    if (answered.get()) {
                        return;
                    }
                    current.set(index, p);
                    if (useful) {
                        answered.set(true);
                        out.complete(response(req, slots, new ArrayList<>(current)));
                    }
                }
            });
        }
        // Answer at max_wait with whatever is there (the engine's waits end there too).
        CompletableFuture.delayedExecutor(req.maxWaitMs() + 20L, TimeUnit.MILLISECONDS).execute(() -> {
            synchronized (current) {
                if (answered.compareAndSet(false, true)) {
                    out.complete(response(req, slots, new ArrayList<>(current)));
                }
            }
        });
        return out;
    }

    /** {@code thenWaits}: a first look before waiting (see {@link LogEngine#fetchAvailable}). */
    private CompletableFuture<FetchResponseData.PartitionData> read(Slot s, Duration wait, boolean thenWaits) {
        FetchRequestData.FetchPartition p = s.request();
        FetchResponseData.PartitionData out = new FetchResponseData.PartitionData().setPartitionIndex(p.partition());
        int maxBytes = Math.max(1, p.partitionMaxBytes());
        CompletableFuture<FetchResult> result = thenWaits
                ? engine.fetchAvailable(s.topic(), p.partition(), p.fetchOffset(), maxBytes)
                : engine.fetch(s.topic(), p.partition(), p.fetchOffset(), maxBytes, wait);
        return result
                .handle((r, failure) -> {
                    if (failure != null) {
                        Throwable c = KafkaErrors.unwrap(failure);
                        out.setErrorCode(KafkaErrors.of(c).code()).setRecords(MemoryRecords.EMPTY)
                                .setHighWatermark(-1).setLastStableOffset(-1).setLogStartOffset(-1);
                        if (c instanceof OffsetOutOfRangeException o) {
                            out.setHighWatermark(o.endOffset()).setLastStableOffset(o.endOffset())
                                    .setLogStartOffset(o.logStartOffset());
                        }
                        return out;
                    }
                    return out.setHighWatermark(r.highWatermark()).setLastStableOffset(r.highWatermark())
                            .setLogStartOffset(r.logStartOffset()).setRecords(records(r));
                });
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

    private static long size(FetchResponseData.PartitionData p) {
        return p.records() == null ? 0 : p.records().sizeInBytes();
    }

    /** Fills partitions in request order up to max_bytes; the first non-empty one always goes whole. */
    private static ApiMessage response(FetchRequestData req, List<Slot> slots, List<FetchResponseData.PartitionData> parts) {
        FetchResponseData out = new FetchResponseData().setErrorCode(Errors.NONE.code()).setSessionId(0);
        long budget = req.maxBytes() <= 0 ? Long.MAX_VALUE : req.maxBytes();
        long used = 0;
        boolean any = false;
        FetchResponseData.FetchableTopicResponse topic = null;
        for (int i = 0; i < slots.size(); i++) {
            Slot s = slots.get(i);
            FetchResponseData.PartitionData p = parts.get(i);
            long size = size(p);
            if (size > 0 && any && used + size > budget) {
                p = new FetchResponseData.PartitionData().setPartitionIndex(p.partitionIndex())
                        .setHighWatermark(p.highWatermark()).setLastStableOffset(p.lastStableOffset())
                        .setLogStartOffset(p.logStartOffset()).setRecords(MemoryRecords.EMPTY);
            } else if (size > 0) {
                any = true;
                used += size;
            }
            if (topic == null || !topic.topic().equals(s.topic())) {
                topic = new FetchResponseData.FetchableTopicResponse().setTopic(s.topic());
                out.responses().add(topic);
            }
            if (p.records() == null) {
                p.setRecords(MemoryRecords.EMPTY);
            }
            topic.partitions().add(p);
        }
        return out;
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
                    listOffset(t.name(), p.partitionIndex(), p.timestamp(), pr);
                } catch (RuntimeException e) {
                    pr.setErrorCode(KafkaErrors.of(e).code());
                }
            }
        }
        return CompletableFuture.completedFuture(out);
    }

    private void listOffset(String topic, int partition, long timestamp,
                            ListOffsetsResponseData.ListOffsetsPartitionResponse out) {
        PartitionOffsets offsets = engine.offsets(topic, partition);
        if (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP || timestamp == ListOffsetsRequest.LATEST_TIERED_TIMESTAMP) {
            out.setOffset(offsets.endOffset());
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
