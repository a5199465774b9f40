package io.floe.sim;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the simulation moves by hand. Thread-safe enough for the single simulation thread. */
public final class SimClock extends Clock {

    private volatile long millis;

    public SimClock(long startMillis) {
        this.millis = startMillis;
    }

    /** Moves the clock to {@code millis} (benchmarks that replay a timeline). */
    public void set(long millis) {
        this.millis = millis;
    }

    public void advance(long ms) {
        millis += ms;
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }
}
