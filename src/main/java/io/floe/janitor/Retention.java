package io.floe.janitor;

import io.floe.format.IndexEntry;
import java.util.List;
import java.util.OptionalLong;

/**
 * Time and size retention of one partition (Kafka's {@code retention.ms}, {@code retention.bytes}),
 * as a pure function from the partition's index to its new log start. Whole index entries only.
 * Stateless.
 */
final class Retention {

    private Retention() {
    }

    /**
     * The new log start offset, or empty when nothing is due.
     *
     * <ul>
     * <li>time: leading entries whose newest record is older than {@code retentionMs} go (-1: forever);</li>
     * <li>size: while the entries after the first still hold at least {@code retentionBytes}, the first
     *     goes (-1: unlimited) — Kafka's rule, so a partition never shrinks below the limit.</li>
     * </ul>
     * When every entry is dropped the log start becomes the end offset (an empty partition).
     */
    static OptionalLong newLogStart(List<IndexEntry> entries, long logStart, long endOffset, long nowMs,
                                    long retentionMs, long retentionBytes) {
        int drop = 0;
        if (retentionMs >= 0) {
            while (drop < entries.size() && entries.get(drop).maxTimestamp() < nowMs - retentionMs) {
                drop++;
            }
        }
        if (retentionBytes >= 0) {
            long total = 0;
            for (int i = drop; i < entries.size(); i++) {
                total += entries.get(i).length();
            }
            while (drop < entries.size() && total - entries.get(drop).length() >= retentionBytes) {
                total -= entries.get(drop).length();
                drop++;
            }
        }
        if (drop == 0) {
            return OptionalLong.empty();
        }
        long start = drop == entries.size() ? endOffset : entries.get(drop).baseOffset();
        return start > logStart ? OptionalLong.of(start) : OptionalLong.empty();
    }
}
