package io.floe.janitor;

import java.time.Duration;

/**
 * Tunables of the background janitor, as plain values. The runtime maps {@code floe.janitor.*} to
 * this and checks the values (io.floe.runtime.FloeSettings); the defaults are FloeConfig's. See
 * docs/DECISIONS.md D19–D25 for why each default is what it is.
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

    /** Compaction waits for at least this many dirty bytes (besides the ratio). */
    public static final long MIN_DIRTY_BYTES = 1 << 20;
}
