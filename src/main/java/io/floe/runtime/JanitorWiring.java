package io.floe.runtime;

import io.floe.janitor.Janitor;
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
 * Builds the {@link Janitor} from {@code floe.janitor.*} and, when enabled, runs it every
 * {@code floe.janitor.interval} on one daemon thread. The Janitor bean is also what a scheduled
 * Lambda invocation calls ({@link Janitor#runOnce()}). Thread-safe: the scheduler runs one run at a time.
 */
@Startup
@Singleton
public class JanitorWiring {

    private static final Logger LOG = Logger.getLogger(JanitorWiring.class);

    private final Janitor janitor;
    private final ScheduledExecutorService scheduler;

    JanitorWiring(FloeConfig config, JanitorSettings settings, LogEngine engine, Clock clock, RandomGenerator random) {
        FloeConfig.Janitor c = config.janitor();
        this.janitor = new Janitor(engine.maintenance(), clock, random, settings);
        if (c.enabled()) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "floe-janitor");
                t.setDaemon(true);
                return t;
            });
            long every = c.interval().toMillis();
            scheduler.scheduleWithFixedDelay(this::runQuietly, every, every, TimeUnit.MILLISECONDS);
        } else {
            scheduler = null;
        }
    }

    private void runQuietly() {
        try {
            Janitor.Report r = janitor.runOnce();
            if (r.leader() && (r.controlCommits() > 0 || r.deleted() > 0)) {
                LOG.debugf("Janitor: %s", r);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Janitor run failed; the next one retries: %s", e.getMessage());
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
