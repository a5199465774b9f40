package io.floe.log;

import io.floe.format.RecordBatches;
import io.floe.model.FetchedRecord;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * What a fetch returns: committed batches (offsets assigned) starting at or before
 * {@code fetchOffset}, plus the partition's offsets at the time of the fetch. The first batch may
 * begin before {@code fetchOffset}, as in Kafka; {@link #records()} skips those records.
 */
public record FetchResult(String topic, int partition, long fetchOffset, long logStartOffset, long highWatermark,
                          List<ByteBuffer> batches, long lastStableOffset, List<AbortedTransaction> abortedTransactions) {

    /**
     * An aborted transaction overlapping the batches returned: a read_committed reader skips the producer's
     * records from {@code firstOffset} to its ABORT marker at {@code lastOffset}.
     */
    public record AbortedTransaction(long producerId, long firstOffset, long lastOffset) {
    }

    public FetchResult {
        batches = List.copyOf(batches);
        abortedTransactions = List.copyOf(abortedTransactions);
    }

    /** A result without transactions: the last stable offset is the high watermark. */
    public FetchResult(String topic, int partition, long fetchOffset, long logStartOffset, long highWatermark,
                       List<ByteBuffer> batches) {
        this(topic, partition, fetchOffset, logStartOffset, highWatermark, batches, highWatermark, List.of());
    }

    /** The same result without its batches (over a fetch's byte budget). */
    public FetchResult withoutBatches() {
        return new FetchResult(topic, partition, fetchOffset, logStartOffset, highWatermark, List.of(), lastStableOffset, List.of());
    }

    /** The records from {@code fetchOffset}, without control records and (read_committed) those of aborted transactions. */
    public List<FetchedRecord> records() {
        List<FetchedRecord> out = new ArrayList<>();
        for (ByteBuffer b : batches) {
            out.addAll(RecordBatches.decode(partition, b.duplicate(), fetchOffset, (producerId, base) ->
                    abortedTransactions.stream().anyMatch(a -> a.producerId() == producerId
                            && base >= a.firstOffset() && base <= a.lastOffset())));
        }
        return out;
    }

    /**
     * Where the next fetch should start: after the last batch returned (which, in a compacted topic,
     * may be past the last record, or hold none), or {@code fetchOffset} when nothing was returned.
     */
    public long nextOffset() {
        long next = fetchOffset;
        for (ByteBuffer b : batches) {
            next = Math.max(next, RecordBatches.nextOffset(b));
        }
        return next;
    }

    public int sizeInBytes() {
        return batches.stream().mapToInt(ByteBuffer::remaining).sum();
    }
}
