package io.floe.janitor;

import io.floe.format.Checkpoint;
import io.floe.format.IndexEntry;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.BufferSupplier;

/**
 * Log compaction of one partition, Kafka's way: an offset map (key → latest offset) over the
 * cleanable range, then every batch rewritten by Kafka's own cleaner routine
 * {@link MemoryRecords#filterTo} keeping only each key's latest record. Batches whose records are all
 * dropped stay as empty batches ({@code RETAIN_EMPTY}), so every batch keeps its offset span, the
 * index stays contiguous and offsets never change; CRCs and producer metadata are Kafka's.
 *
 * <p>Tombstones (null value) that are the latest of their key are dropped once their timestamp is
 * older than {@code delete.retention.ms}. Records without key and control batches are kept.
 *
 * <p>Transactions, as Kafka's cleaner treats them: records of aborted transactions never enter the
 * offset map (an aborted write must not shadow the committed value of its key) and are dropped; the
 * caller compacts only below the last stable offset, so an open transaction is never touched; COMMIT
 * and ABORT markers are kept (Kafka drops a marker once its transaction's data is gone; keeping it
 * costs one small batch and keeps every reader's view of the transaction whole).
 * Not thread-safe (an offset map is owned by one janitor run).
 */
final class Compaction {

    private Compaction() {
    }

    /**
     * The end of the cleanable range: the base offset of the first entry that is the partition's last
     * one or holds a record newer than {@code minCompactionLagMs} (the active part, never compacted).
     */
    static long cleanableEnd(List<IndexEntry> entries, long nowMs, long minCompactionLagMs) {
        for (int i = 0; i < entries.size(); i++) {
            IndexEntry e = entries.get(i);
            if (i == entries.size() - 1 || e.maxTimestamp() > nowMs - minCompactionLagMs) {
                return e.baseOffset();
            }
        }
        return entries.isEmpty() ? -1 : entries.get(entries.size() - 1).nextOffset();
    }

    /**
     * Whether the partition is dirty enough: bytes of entries in {@code [cleanedUpTo, cleanableEnd)}
     * are at least {@code minRatio} of the bytes below {@code cleanableEnd}, and at least {@code minDirtyBytes}.
     */
    static boolean due(List<IndexEntry> entries, long cleanedUpTo, long cleanableEnd, double minRatio, long minDirtyBytes) {
        long clean = 0;
        long dirty = 0;
        for (IndexEntry e : entries) {
            if (e.nextOffset() > cleanableEnd) {
                break;
            }
            if (e.baseOffset() >= cleanedUpTo) {
                dirty += e.length();
            } else {
                clean += e.length();
            }
        }
        return dirty > 0 && dirty >= minDirtyBytes && dirty >= minRatio * (clean + dirty);
    }

    /** Whether {@code batch} belongs to one of the {@code aborted} transactions. */
    static boolean aborted(RecordBatch batch, List<Checkpoint.AbortedTxn> aborted) {
        if (!batch.isTransactional() || batch.isControlBatch()) {
            return false;
        }
        for (Checkpoint.AbortedTxn a : aborted) {
            if (a.producerId() == batch.producerId() && batch.baseOffset() >= a.firstOffset()
                    && batch.baseOffset() <= a.lastOffset()) {
                return true;
            }
        }
        return false;
    }

    /** Key → offset of its latest record. */
    static final class OffsetMap {
        private final Map<ByteBuffer, Long> latest = new HashMap<>();
        private final List<Checkpoint.AbortedTxn> aborted;

        OffsetMap() {
            this(List.of());
        }

        /** A map that leaves out the records of {@code aborted} transactions. */
        OffsetMap(List<Checkpoint.AbortedTxn> aborted) {
            this.aborted = List.copyOf(aborted);
        }

        /** Adds the records of batches whose offsets are assigned. */
        void add(ByteBuffer batches) {
            for (MutableRecordBatch batch : MemoryRecords.readableRecords(batches.duplicate()).batches()) {
                if (batch.isControlBatch() || aborted(batch, aborted)) {
                    continue;
                }
                for (Record r : batch) {
                    if (r.hasKey()) {
                        ByteBuffer k = ByteBuffer.allocate(r.keySize());
                        k.put(r.key()).flip();
                        latest.merge(k, r.offset(), Math::max);
                    }
                }
            }
        }

        boolean isLatest(Record r) {
            Long l = latest.get(r.key());
            return l == null || l <= r.offset();
        }

        int size() {
            return latest.size();
        }
    }

    /**
     * Rewrites batches (offsets assigned) keeping each key's latest record and young tombstones.
     * Returns the input itself when nothing changes.
     */
    static ByteBuffer filter(ByteBuffer batches, OffsetMap map, long nowMs, long deleteRetentionMs) {
        ByteBuffer out = ByteBuffer.allocate(batches.remaining());
        MemoryRecords.FilterResult result = MemoryRecords.readableRecords(batches.duplicate()).filterTo(
                new MemoryRecords.RecordFilter(nowMs, deleteRetentionMs) {
                    @Override
                    protected BatchRetentionResult checkBatchRetention(RecordBatch batch) {
                        return new BatchRetentionResult(BatchRetention.RETAIN_EMPTY, false);
                    }

                    @Override
                    protected boolean shouldRetainRecord(RecordBatch batch, Record r) {
                        if (aborted(batch, map.aborted)) {
                            return false;
                        }
                        if (batch.isControlBatch() || !r.hasKey()) {
                            return true;
                        }
                        if (!map.isLatest(r)) {
                            return false;
                        }
                        return r.hasValue() || r.timestamp() >= nowMs - deleteRetentionMs;
                    }
                }, out, BufferSupplier.NO_CACHING);
        ByteBuffer written = result.outputBuffer();
        written.flip();
        return written.equals(batches) ? batches : written;
    }
}
