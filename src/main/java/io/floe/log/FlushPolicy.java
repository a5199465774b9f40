package io.floe.log;

import java.time.Duration;

/**
 * When to flush the write buffer: as soon as it holds {@code maxBytes} or {@code maxRecords}, or
 * once its oldest record has waited {@code linger}. Pure: no clock, no I/O.
 */
record FlushPolicy(Duration linger, long maxBytes, long maxRecords) {

    /** Nothing is buffered: no flush is due. */
    static final long IDLE = Long.MAX_VALUE;

    /**
     * How many milliseconds until a flush is due; 0 means now, {@link #IDLE} means the buffer is empty.
     *
     * @param oldestAppendMs when the oldest buffered record arrived
     */
    long millisUntilFlush(long bufferedBytes, long bufferedRecords, long oldestAppendMs, long nowMs) {
        if (bufferedRecords == 0 && bufferedBytes == 0) {
            return IDLE;
        }
        if (bufferedBytes >= maxBytes || bufferedRecords >= maxRecords) {
            return 0;
        }
        return Math.max(0, oldestAppendMs + linger.toMillis() - nowMs);
    }
}
