package io.floe.janitor;

import java.time.Duration;

/**
 * Tunables of the background janitor, as plain values (the runtime maps {@code floe.janitor.*} to
 * this). See docs/DECISIONS.md D19–D25 for why each default is what it is.
 *
 * @param lease              how long a janitor lease lasts before another instance may take over
 * @param grace              how long an object must have been unreferenced (and a segment old, by its
 *                           key's timestamp) before it is deleted
 * @param maxRunTime         a run stops starting new work after this long (well below the lease)
 * @param mergeSmallBytes    index entries smaller than this are merge candidates
 * @param mergeObjectBytes   a merged object holds at most about this many bytes
 * @param mergeEntryBytes    a merged object is indexed in entries of about this size (one GET each)
 * @param mergeMinEntries    a partition is merged once it has this many candidate entries (or a full
 *                           object's worth of candidate bytes)
 * @param mergeSettle        entries whose newest record is younger than this are not merged yet
 * @param minCleanableRatio  compact when the dirty bytes (since the last compaction) are at least this
 *                           share of the cleanable bytes (Kafka's min.cleanable.dirty.ratio)
 * @param minDirtyBytes      and at least this many dirty bytes
 * @param mergeBufferBytes   merging holds at most about this many bytes of source data at once (more only
 *                           when one source object alone holds more wanted bytes); each source object is
 *                           read once per run for all partitions merged side by side (D30)
 */
public record JanitorSettings(
        Duration lease,
        Duration grace,
        Duration maxRunTime,
        int mergeSmallBytes,
        int mergeObjectBytes,
        int mergeEntryBytes,
        int mergeMinEntries,
        Duration mergeSettle,
        double minCleanableRatio,
        long minDirtyBytes,
        long mergeBufferBytes) {

    public JanitorSettings {
        if (lease.isNegative() || lease.isZero() || grace.isNegative() || maxRunTime.isNegative() || mergeSettle.isNegative()) {
            throw new IllegalArgumentException("janitor durations must be >= 0 (lease > 0)");
        }
        if (mergeSmallBytes < 1 || mergeObjectBytes < mergeSmallBytes || mergeEntryBytes < 1 || mergeMinEntries < 2) {
            throw new IllegalArgumentException("merge sizes: small >= 1, object >= small, entry >= 1, min entries >= 2");
        }
        if (mergeBufferBytes < mergeObjectBytes) {
            throw new IllegalArgumentException("the merge buffer must hold at least one merged object (" + mergeObjectBytes
                    + " bytes), got " + mergeBufferBytes);
        }
        if (!(minCleanableRatio >= 0 && minCleanableRatio <= 1) || minDirtyBytes < 0) {
            throw new IllegalArgumentException("min cleanable ratio must be in [0, 1] and min dirty bytes >= 0");
        }
    }

    /** As the canonical constructor, with a merge buffer of {@link #BUFFER_OBJECTS} merged objects. */
    public JanitorSettings(Duration lease, Duration grace, Duration maxRunTime, int mergeSmallBytes, int mergeObjectBytes,
                           int mergeEntryBytes, int mergeMinEntries, Duration mergeSettle, double minCleanableRatio,
                           long minDirtyBytes) {
        this(lease, grace, maxRunTime, mergeSmallBytes, mergeObjectBytes, mergeEntryBytes, mergeMinEntries, mergeSettle,
                minCleanableRatio, minDirtyBytes, (long) BUFFER_OBJECTS * mergeObjectBytes);
    }

    /** The default merge buffer, in merged objects: 64 MiB with 16 MiB objects. */
    public static final int BUFFER_OBJECTS = 4;

    public static JanitorSettings defaults() {
        return new JanitorSettings(Duration.ofSeconds(60), Duration.ofMinutes(10), Duration.ofSeconds(20),
                4 << 20, 16 << 20, 4 << 20, 16, Duration.ofSeconds(30), 0.5, 1 << 20);
    }
}
