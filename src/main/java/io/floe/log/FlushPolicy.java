package io.floe.log;

import java.time.Duration;

/**
 * When to start a flush, and so how large flush objects grow. Pure: no clock, no I/O.
 *
 * <p>With no flush in flight: as soon as the buffer holds {@code maxBytes} or {@code maxRecords};
 * otherwise once its oldest record has waited {@code linger} and either the appends have stopped
 * (none for {@code linger}: whoever sends is waiting for this flush, so waiting longer only adds
 * latency) or the oldest record has waited the <em>hold</em> for the current write rate. The hold is
 * {@code linger} at low rates and grows with the rate (D91): it stays {@code linger} up to a quarter
 * of the <em>full rate</em> ({@code maxBytes} per {@code maxLinger}), then rises linearly to
 * {@code maxLinger} at the full rate, where a flush of {@code maxLinger} holds {@code maxBytes}. So at
 * low rates a flush goes out after {@code linger}, as before, and under a sustained high rate flush
 * objects grow towards {@code maxBytes}: fewer PUTs to write a GiB and fewer GETs to read it.
 *
 * <p>While flushes are in flight, only a full buffer starts another one (up to {@code maxInFlight}):
 * at modest load the buffer keeps filling during the in-flight write, so flushes grow (group commit);
 * under heavy load several segment PUTs overlap, so throughput is not capped by one PUT's latency.
 */
record FlushPolicy(Duration linger, Duration maxLinger, long maxBytes, long maxRecords, int maxInFlight) {

    /** No flush is due until something changes (a record arrives or a flush completes). */
    static final long IDLE = Long.MAX_VALUE;

    /** A policy whose hold never grows: every flush waits {@code linger} at most. */
    FlushPolicy(Duration linger, long maxBytes, long maxRecords, int maxInFlight) {
        this(linger, linger, maxBytes, maxRecords, maxInFlight);
    }

    /** What the buffer holds now, and how fast it has been filling. */
    record Buffered(long bytes, long records, long oldestAppendMs, long newestAppendMs, long bytesPerSecond) {
    }

    /**
     * How many milliseconds until a flush is due, ignoring the write rate; 0 means now, {@link #IDLE}
     * means not until something changes.
     *
     * @param oldestAppendMs when the oldest buffered record arrived
     * @param inFlight       flushes started and not yet committed
     */
    long millisUntilFlush(long bufferedBytes, long bufferedRecords, long oldestAppendMs, long nowMs, int inFlight) {
        return millisUntilFlush(new Buffered(bufferedBytes, bufferedRecords, oldestAppendMs, oldestAppendMs, 0), nowMs, inFlight);
    }

    /** How many milliseconds until a flush is due; 0 means now, {@link #IDLE} means not until something changes. */
    long millisUntilFlush(Buffered b, long nowMs, int inFlight) {
        if (b.records() == 0 && b.bytes() == 0) {
            return IDLE;
        }
        if (inFlight >= maxInFlight) {
            return IDLE;
        }
        boolean full = b.bytes() >= maxBytes || b.records() >= maxRecords;
        if (full) {
            return 0;
        }
        if (inFlight > 0) {
            return IDLE;
        }
        long lingerDue = b.oldestAppendMs() + linger.toMillis();
        if (nowMs < lingerDue) {
            return lingerDue - nowMs;
        }
        long holdDue = b.oldestAppendMs() + holdMillis(b.bytesPerSecond());
        long quietDue = b.newestAppendMs() + linger.toMillis();
        long due = Math.min(holdDue, quietDue);
        return Math.max(0, due - nowMs);
    }

    /** How long the oldest record may wait for a flush while records keep arriving at this rate. */
    long holdMillis(long bytesPerSecond) {
        long lingerMs = linger.toMillis();
        long maxMs = maxLinger.toMillis();
        if (maxMs <= lingerMs) {
            return lingerMs;
        }
        double fullRate = maxBytes * 1000.0 / maxMs;
        double from = fullRate / 4;
        double share = Math.min(1, Math.max(0, (bytesPerSecond - from) / (fullRate - from)));
        return lingerMs + Math.round((maxMs - lingerMs) * share);
    }
}
