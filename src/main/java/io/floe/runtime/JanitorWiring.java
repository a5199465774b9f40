package io.floe.runtime;

import io.floe.janitor.Janitor;
import io.floe.janitor.JanitorPace;
import io.floe.janitor.JanitorSettings;
import io.floe.log.LogEngine;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.jboss.logging.Logger;

/**
 * Builds the {@link Janitor} from {@code floe.janitor.*} and, when enabled, runs it on one daemon
 * thread at the pace {@link JanitorPace} sets: every {@code floe.janitor.interval} while there is work,
 * backing off to {@code floe.janitor.max-interval} while the bucket is idle (D48). The Janitor bean
 * is also what a scheduled Lambda invocation calls ({@link ScheduledMaintenance}). Thread-safe: the
 * scheduler runs one run at a time, and only that thread touches the pace.
 */
@Startup
@Singleton
public class JanitorWiring {

    private static final Logger LOG = Logger.getLogger(JanitorWiring.class);

    private final Janitor janitor;
    private final ScheduledExecutorService scheduler;
    private final JanitorPace pace;
    private final Clock clock;

    JanitorWiring(FloeConfig config, JanitorSettings settings, LogEngine engine, Clock clock, RandomGenerator random) {
        FloeConfig.Janitor c = config.janitor();
        this.janitor = new Janitor(engine.maintenance(), clock, random, settings);
        this.clock = clock;
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

    private void runAndReschedule() {
        Janitor.Report r = Janitor.Report.notLeader();
        try {
            r = janitor.runOnce();
            if (r.leader() && (r.controlCommits() > 0 || r.deleted() > 0)) {
                LOG.debugf("Janitor: %s", r);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Janitor run failed; the next one retries: %s", e.getMessage());
        } finally {
            try {
                scheduler.schedule(this::runAndReschedule, pace.next(r, clock.millis()).toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                // shut down: no next run
            }
        }
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
