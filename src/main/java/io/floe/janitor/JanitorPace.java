package io.floe.janitor;

import java.time.Duration;

/**
 * How long a server waits before its next janitor run (docs/DECISIONS.md D48): {@code interval}
 * after a run that was not quiet (it found or did work, lost the lease race, or could not look); after
 * a quiet run twice the previous wait, up to {@code maxInterval} — or {@value #STANDBY_FACTOR} times that
 * on a stand-by (an instance whose janitor did not do the last complete run: the one that did looks
 * more often) — but never past the time the quiet run said work falls due. Pure apart from its one
 * field; one per scheduler thread (not thread-safe).
 */
public final class JanitorPace {

    /** A stand-by's longest wait, in multiples of {@code maxInterval}. */
    public static final int STANDBY_FACTOR = 6;

    private final Duration interval;
    private final Duration maxInterval;
    private Duration current;

    public JanitorPace(Duration interval, Duration maxInterval) {
        this.interval = interval;
        this.maxInterval = maxInterval.compareTo(interval) < 0 ? interval : maxInterval;
        this.current = interval;
    }

    /** The wait before the next run, given the last run's report and the time now. */
    public Duration next(Janitor.Report last, long nowMs) {
        long untilDue = last.nextDueMs() == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, last.nextDueMs() - nowMs);
        return next(last.quiet(), last.standby(), untilDue);
    }

    /**
     * The wait before the next look, for any periodic reader that can tell a quiet look (nothing changed)
     * from one that found something; {@code untilDueMs} bounds a quiet wait (MAX_VALUE: unbounded).
     */
    public Duration next(boolean quiet, boolean standby, long untilDueMs) {
        if (!quiet) {
            current = interval;
            return current;
        }
        Duration cap = standby ? maxInterval.multipliedBy(STANDBY_FACTOR) : maxInterval;
        Duration doubled = current.multipliedBy(2);
        current = doubled.compareTo(cap) > 0 ? cap : doubled;
        long untilDue = untilDueMs;
        if (untilDue < current.toMillis()) {
            return Duration.ofMillis(Math.max(interval.toMillis(), untilDue));
        }
        return current;
    }
}
