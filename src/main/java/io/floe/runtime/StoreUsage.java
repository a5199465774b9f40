package io.floe.runtime;

import io.floe.store.CountingObjectStore;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What this instance has asked of the store, over time: the counting store's totals sampled once a
 * minute for a day, in memory (the console's cost page). Reading counters costs no store request.
 * Thread-safe: the sample list is guarded by its own lock.
 */
@Startup
@Singleton
public class StoreUsage {

    /** The store's totals at one moment. */
    public record Sample(long timeMs, CountingObjectStore.Counts counts) {
    }

    static final long EVERY_MS = 60_000;
    static final int SAMPLES = 24 * 60;

    private final FloeWiring wiring;
    private final Clock clock;
    private final long startedAtMs;
    private final Deque<Sample> samples = new ArrayDeque<>();
    private final ScheduledExecutorService sampler;

    StoreUsage(FloeWiring wiring, Clock clock) {
        this.wiring = wiring;
        this.clock = clock;
        this.startedAtMs = clock.millis();
        sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "floe-store-usage");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(this::sample, 0, EVERY_MS, TimeUnit.MILLISECONDS);
    }

    private void sample() {
        Sample s = now();
        synchronized (samples) {
            samples.addLast(s);
            while (samples.size() > SAMPLES) {
                samples.pollFirst();
            }
        }
    }

    /** The totals now. */
    public Sample now() {
        return new Sample(clock.millis(), wiring.storeCounts());
    }

    /** When this instance started counting. */
    public long startedAtMs() {
        return startedAtMs;
    }

    /** The minute samples, oldest first, followed by the totals now. */
    public List<Sample> history() {
        List<Sample> out;
        synchronized (samples) {
            out = new ArrayList<>(samples);
        }
        out.add(now());
        return out;
    }

    @PreDestroy
    void stop() {
        sampler.shutdownNow();
    }
}
