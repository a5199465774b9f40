package io.floe.log;

import java.time.Duration;

/**
 * When to start a flush. Pure: no clock, no I/O.
 *
 * <p>With no flush in flight: as soon as the buffer holds {@code maxBytes} or {@code maxRecords},
 * or once its oldest record has waited {@code linger}. While flushes are in flight, only a full
 * buffer starts another one (up to {@code maxInFlight}): at modest load the buffer keeps filling
 * during the in-flight write, so flushes grow and S3 requests per GiB fall (group commit); under
 * heavy load several segment PUTs overlap, so throughput is not capped by one PUT's latency.
 */
record FlushPolicy(Duration linger, long maxBytes, long maxRecords, int maxInFlight) {

    /** No flush is due until something changes (a record arrives or a flush completes). */
    static final long IDLE = Long.MAX_VALUE;

    /**
     * How many milliseconds until a flush is due; 0 means now, {@link #IDLE} means not until
     * something changes.
     *
     * @param oldestAppendMs when the oldest buffered record arrived
     * @param inFlight       flushes started and not yet committed
     */
    long millisUntilFlush(long bufferedBytes, long bufferedRecords, long oldestAppendMs, long nowMs, int inFlight) {
        if (bufferedRecords == 0 && bufferedBytes == 0) {
            return IDLE;
        }
        if (inFlight >= maxInFlight) {
            return IDLE;
        }
        boolean full = bufferedBytes >= maxBytes || bufferedRecords >= maxRecords;
        if (inFlight > 0) {
            return full ? 0 : IDLE;
        }
        return full ? 0 : Math.max(0, oldestAppendMs + linger.toMillis() - nowMs);
    }
}
