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
    private long logStartOffset;
    private long endOffset;

    PartitionIndex(long logStartOffset, long endOffset, List<IndexEntry> entries) {
        this.logStartOffset = logStartOffset;
        this.endOffset = endOffset;
        this.entries.addAll(entries);
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
