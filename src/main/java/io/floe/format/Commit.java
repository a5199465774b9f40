package io.floe.format;

import java.util.List;

/**
 * One link of a topic's commit chain, decoded. The commit numbered {@code sequence} owns the
 * offsets its entries list. {@code commitId} is unique per write attempt series, so a writer whose
 * response was lost can recognise its own commit. {@code segmentKey} is null when every entry is
 * inline. Entry positions are absolute within the object that holds the bytes (the segment, or for
 * {@link Entry#inline()} entries this commit object itself).
 */
public record Commit(long sequence, String commitId, String writerId, long timestampMs, String segmentKey, List<Entry> entries) {

    public record Entry(int partition, long baseOffset, int offsetCount, long maxTimestamp, boolean inline, long position, int length) {
    }
}
