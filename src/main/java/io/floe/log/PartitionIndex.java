package io.floe.log;

import io.floe.format.IndexEntry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One partition's map from offsets to where their bytes live: index entries sorted by base
 * offset, contiguous from {@link #logStartOffset()} to {@link #endOffset()} (invariant 1).
 * Not thread-safe: owned by its {@link TopicState}, which guards it with its lock.
 */
final class PartitionIndex {

    private final List<IndexEntry> entries = new ArrayList<>();
    private ProducerTable producers = new ProducerTable();
    private long logStartOffset;
    private long endOffset;
    private long cleanedUpTo;

    PartitionIndex(long logStartOffset, long endOffset, List<IndexEntry> entries) {
        this(logStartOffset, endOffset, entries, logStartOffset);
    }

    PartitionIndex(long logStartOffset, long endOffset, List<IndexEntry> entries, long cleanedUpTo) {
        this.logStartOffset = logStartOffset;
        this.endOffset = endOffset;
        this.cleanedUpTo = cleanedUpTo;
        this.entries.addAll(entries);
    }

    /** The partition's producer state (idempotence, open transactions, aborted ranges). */
    ProducerTable producers() {
        return producers;
    }

    void producers(ProducerTable table) {
        this.producers = table;
    }

    /** The offset below which the partition was last compacted (at least its log start). */
    long cleanedUpTo() {
        return Math.max(cleanedUpTo, logStartOffset);
    }

    /**
     * Retention: drops the entries wholly below {@code newLogStart}, which becomes the log start.
     * Returns false (and changes nothing) unless {@code logStart < newLogStart <= endOffset}.
     */
    boolean truncate(long newLogStart) {
        if (newLogStart <= logStartOffset || newLogStart > endOffset) {
            return false;
        }
        int drop = 0;
        while (drop < entries.size() && entries.get(drop).nextOffset() <= newLogStart) {
            drop++;
        }
        entries.subList(0, drop).clear();
        logStartOffset = newLogStart;
        producers.truncate(newLogStart);
        return true;
    }

    /**
     * Merging and compaction: replaces the entries that cover exactly {@code [from, to)} by
     * {@code replacement}, which must tile the same range. Returns false (and changes nothing) when
     * the current entries do not cover exactly that range or the replacement does not tile it.
     */
    boolean replace(long from, long to, List<IndexEntry> replacement, long newCleanedUpTo) {
        int first = indexOf(from);
        if (first < 0 || entries.get(first).baseOffset() != from || from >= to) {
            return false;
        }
        int last = first;
        while (last < entries.size() && entries.get(last).nextOffset() < to) {
            last++;
        }
        if (last >= entries.size() || entries.get(last).nextOffset() != to) {
            return false;
        }
        long next = from;
        for (IndexEntry e : replacement) {
            if (e.baseOffset() != next || e.offsetCount() <= 0) {
                return false;
            }
            next = e.nextOffset();
        }
        if (next != to) {
            return false;
        }
        entries.subList(first, last + 1).clear();
        entries.addAll(first, replacement);
        if (newCleanedUpTo >= 0) {
            cleanedUpTo = Math.max(cleanedUpTo, Math.min(newCleanedUpTo, endOffset));
        }
        return true;
    }

    long logStartOffset() {
        return logStartOffset;
    }

    long endOffset() {
        return endOffset;
    }

    List<IndexEntry> entries() {
        return Collections.unmodifiableList(entries);
    }

    /** Appends an entry; it must start exactly at the current end offset. */
    void append(IndexEntry entry) {
        if (entry.baseOffset() != endOffset) {
            throw new IllegalStateException("Index entry at offset " + entry.baseOffset()
                    + " does not continue the partition, whose end offset is " + endOffset);
        }
        entries.add(entry);
        endOffset = entry.nextOffset();
    }

    /** Entries from the one holding {@code offset}, adding more until {@code maxBytes} (at least one). */
    List<IndexEntry> entriesFrom(long offset, int maxBytes) {
        int i = indexOf(offset);
        List<IndexEntry> out = new ArrayList<>();
        long bytes = 0;
        for (; i >= 0 && i < entries.size(); i++) {
            IndexEntry e = entries.get(i);
            if (!out.isEmpty() && bytes + e.length() > maxBytes) {
                break;
            }
            out.add(e);
            bytes += e.length();
        }
        return out;
    }

    /** Position of the entry holding {@code offset}, or -1. */
    private int indexOf(long offset) {
        int lo = 0;
        int hi = entries.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            IndexEntry e = entries.get(mid);
            if (offset < e.baseOffset()) {
                hi = mid - 1;
            } else if (offset >= e.nextOffset()) {
                lo = mid + 1;
            } else {
                return mid;
            }
        }
        return -1;
    }
}
