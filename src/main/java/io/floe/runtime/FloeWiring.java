package io.floe.runtime;

import io.floe.api.rest.RestLimits;
import io.floe.group.GroupCoordinator;
import io.floe.api.kafka.KafkaSettings;
import io.floe.janitor.JanitorSettings;
import io.floe.log.LogEngine;
import io.floe.log.LogSettings;
import io.floe.store.CountingObjectStore;
import io.floe.store.FaultInjectingObjectStore;
import io.floe.store.LatencyModelObjectStore;
import io.floe.store.LatencyProfile;
import io.floe.store.ObjectStore;
import io.floe.store.ObjectStores;
import io.floe.store.TimedObjectStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.jboss.logging.Logger;

/**
 * The one place where Floe's components are built and torn down: settings are checked, then the
 * object store (counted), the clock, the random source and the log engine are made once at
 * start-up (so a bad setting or a bad storage URL stops start-up) and handed out as CDI beans. On
 * shutdown the engine flushes what producers are still waiting for, then the engine and the store
 * close, in that order. Thread-safe: immutable after construction.
 */
@Startup
@Singleton
public class FloeWiring {

    private static final Logger LOG = Logger.getLogger(FloeWiring.class);

    private final Clock clock = Clock.systemUTC();
    /** Thread-safe; production needs no seed. Renewed after a restore from a snapshot ({@link SnapshotRestore}). */
    private final RenewableRandom random = new RenewableRandom();
    private final FloeSettings.Checked settings;
    private final CountingObjectStore store;
    private final LogEngine engine;
    private final GroupCoordinator groups;
    private final io.floe.share.ShareGroups shareGroups;

    FloeWiring(FloeConfig config, MeterRegistry registry) {
        try {
            this.settings = FloeSettings.check(config, random);
        } catch (FloeSettings.InvalidSettingsException e) {
            throw new ConfigurationException(e.getMessage());
        }
        ObjectStore opened;
        try {
            opened = ObjectStores.open(settings.store());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("Invalid Floe settings, start-up stopped: " + e.getMessage());
        }
        if (settings.latencyModel() != LatencyProfile.NONE) {
            // Benchmarks only: every request also waits as long as it would on the modelled store.
            opened = new LatencyModelObjectStore(opened, settings.latencyModel(), new Random(),
                    FaultInjectingObjectStore.Sleeper.REAL);
            LOG.warnf("floe.s3.latency-model = %s: every store request is delayed as on that store (benchmarks only)",
                    settings.latencyModel().settingName());
        }
        // Counted as sent, timed as answered (floe_store_request_duration_seconds, LogMetrics).
        this.store = new CountingObjectStore(new TimedObjectStore(opened, LogMetrics.storeListener(registry)));
        try {
            this.engine = new LogEngine(store, clock, random, settings.log());
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        this.groups = new GroupCoordinator(store, engine, clock, random, settings.group());
        this.shareGroups = new io.floe.share.ShareGroups(store, engine, clock, random,
                io.floe.share.ShareSettings.defaults(settings.log().instanceId()));
        LOG.infof("Floe instance %s storing in %s", settings.log().instanceId(), settings.store().url());
    }

    @Produces
    @Singleton
    LogEngine engine() {
        return engine;
    }

    @Produces
    @Singleton
    GroupCoordinator groups() {
        return groups;
    }

    @Produces
    @Singleton
    LogSettings logSettings() {
        return settings.log();
    }

    @Produces
    @Singleton
    io.floe.share.ShareGroups shareGroups() {
        return shareGroups;
    }

    @Produces
    @Singleton
    JanitorSettings janitorSettings() {
        return settings.janitor();
    }

    @Produces
    @Singleton
    KafkaSettings kafkaSettings() {
        return settings.kafka();
    }

    @Produces
    @Singleton
    RestLimits restLimits() {
        return settings.rest();
    }

    @Produces
    @Singleton
    ObjectStore store() {
        return store;
    }

    @Produces
    @Singleton
    Clock clock() {
        return clock;
    }

    @Produces
    @Singleton
    RandomGenerator random() {
        return random;
    }

    /** The random source every component draws from, for {@link SnapshotRestore} to renew. */
    RenewableRandom renewableRandom() {
        return random;
    }

    /** Requests sent to the store so far, by kind, and bytes moved (for metrics and cost reports). */
    CountingObjectStore.Counts storeCounts() {
        return store.snapshot();
    }

    /** Where the data lives, for the health check (never includes credentials). */
    String storageUrl() {
        return settings.store().url();
    }

    @PreDestroy
    void shutdown() {
        CountingObjectStore.Counts c = store.snapshot();
        LOG.infof("Store requests since start: %s; bytes written %d, read %d", c.requests(), c.bytesWritten(), c.bytesRead());
        try {
            groups.close();
        } catch (RuntimeException e) {
            LOG.warnf("Closing the group coordinator failed: %s", e.getMessage());
        }
        try {
            engine.flushNow();
        } catch (RuntimeException e) {
            LOG.warnf("Final flush failed; records not yet acknowledged were not stored: %s", e.getMessage());
        }
        try {
            engine.close();
        } finally {
            store.close();
        }
    }
}
