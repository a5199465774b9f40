package io.floe.runtime;

import io.floe.janitor.Janitor;
import io.floe.janitor.JanitorPace;
import io.floe.janitor.JanitorSettings;
import io.floe.log.LogEngine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.jboss.logging.Logger;

/**
 * Builds the {@link Janitor} from {@code floe.janitor.*} and, when enabled, runs it on one daemon
 * thread at the pace {@link JanitorPace} sets: every {@code floe.janitor.interval} while there is work,
 * backing off to {@code floe.janitor.max-interval} while the bucket is idle (D48). It remembers the
 * recent runs for the console and counts them at /q/metrics. The Janitor bean is also what a scheduled
 * Lambda invocation calls ({@link ScheduledMaintenance}). Thread-safe: the scheduler runs one run at a
 * time; the run list is synchronized.
 */
@Startup
@Singleton
public class JanitorWiring {

    private static final Logger LOG = Logger.getLogger(JanitorWiring.class);

    /** Runs remembered for the console. */
    static final int RECENT_RUNS = 50;

    /** One scheduled run: when it started, how long it took, what it did (null when it failed) or why it failed. */
    public record Run(long startedAtMs, long tookMs, Janitor.Report report, String failure) {
    }

    private final Janitor janitor;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final FloeConfig.Janitor config;
    private final Deque<Run> recent = new ArrayDeque<>();
    private final MeterRegistry registry;
    private final JanitorPace pace;

    JanitorWiring(FloeConfig config, JanitorSettings settings, LogEngine engine, Clock clock, RandomGenerator random,
                  MeterRegistry registry) {
        this.registry = registry;
        FloeConfig.Janitor c = config.janitor();
        this.clock = clock;
        this.config = c;
        this.janitor = new Janitor(engine.maintenance(), clock, random, settings);
        this.pace = new JanitorPace(c.interval(), c.maxInterval());
        if (c.enabled()) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "floe-janitor");
                t.setDaemon(true);
                return t;
            });
            scheduler.schedule(this::runAndReschedule, c.interval().toMillis(), TimeUnit.MILLISECONDS);
        } else {
            scheduler = null;
        }
    }

    /** One run, remembered and counted, then the next at the pace {@link JanitorPace} sets (D48). */
    private void runAndReschedule() {
        long start = clock.millis();
        Janitor.Report r = Janitor.Report.notLeader();
        try {
            r = janitor.runOnce();
            remember(new Run(start, clock.millis() - start, r, null));
            if (r.leader() && (r.controlCommits() > 0 || r.deleted() > 0)) {
                LOG.debugf("Janitor: %s", r);
            }
        } catch (RuntimeException e) {
            remember(new Run(start, clock.millis() - start, null, String.valueOf(e.getMessage())));
            LOG.warnf("Janitor run failed; the next one retries: %s", e.getMessage());
        } finally {
            try {
                scheduler.schedule(this::runAndReschedule, pace.next(r, clock.millis()).toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                // shut down: no next run
            }
        }
    }

    /**
     * Counts a run at /q/metrics: {@code floe_janitor_runs_total{outcome=leader|standby|failed}} and
     * {@code floe_janitor_work_total{kind}} (control commits, truncated, merged, compacted, deleted).
     */
    private void remember(Run run) {
        String outcome = run.report() == null ? "failed" : run.report().leader() ? "leader" : "standby";
        Counter.builder("floe.janitor.runs").description("Scheduled janitor runs of this instance, by outcome")
                .tag("outcome", outcome).register(registry).increment();
        Janitor.Report r = run.report();
        if (r != null) {
            work("control_commits", r.controlCommits());
            work("truncated", r.truncated());
            work("merged", r.merged());
            work("compacted", r.compacted());
            work("deleted", r.deleted());
        }
        synchronized (recent) {
            recent.addFirst(run);
            while (recent.size() > RECENT_RUNS) {
                recent.pollLast();
            }
        }
    }

    private void work(String kind, long n) {
        Counter.builder("floe.janitor.work").description("What the janitor did, by kind (see Janitor.Report)")
                .tag("kind", kind).register(registry).increment(n);
    }

    /** This instance's last scheduled runs, newest first (in memory). */
    public List<Run> recentRuns() {
        synchronized (recent) {
            return new ArrayList<>(recent);
        }
    }

    /** Whether this instance runs the janitor on a schedule, and how often. */
    public boolean scheduled() {
        return scheduler != null;
    }

    public java.time.Duration interval() {
        return config.interval();
    }

    /** The janitor; {@code runOnce()} is the hook for a scheduled Lambda invocation. */
    @Produces
    @Singleton
    Janitor janitor() {
        return janitor;
    }

    @PreDestroy
    void shutdown() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
