package io.floe.runtime;

import io.floe.api.kafka.KafkaListener;
import io.floe.api.kafka.KafkaTls;
import io.floe.api.kafka.KafkaSettings;
import io.floe.auth.Security;
import io.floe.group.GroupCoordinator;
import io.floe.log.LogEngine;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.floe.store.ObjectStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * Starts the Kafka listener ({@code floe.kafka.*}) once the engine is built, and stops it at shutdown
 * before the engine flushes and closes (ShutdownEvent observers run before beans are destroyed).
 * Thread-safe: the listener is set once at start-up.
 */
@Singleton
public class KafkaWiring {

    private static final Logger LOG = Logger.getLogger(KafkaWiring.class);

    private final FloeConfig config;
    private final KafkaSettings settings;
    private final LogEngine engine;
    private final ObjectStore store;
    private final Clock clock;
    private final GroupCoordinator groups;
    private final Security security;
    private final io.floe.share.ShareGroups shareGroups;
    private volatile KafkaListener listener;

    KafkaWiring(FloeConfig config, KafkaSettings settings, LogEngine engine, GroupCoordinator groups, ObjectStore store,
                Clock clock, Security security, io.floe.share.ShareGroups shareGroups) {
        this.shareGroups = shareGroups;
        this.config = config;
        this.settings = settings;
        this.security = security;
        this.engine = engine;
        this.groups = groups;
        this.store = store;
        this.clock = clock;
    }

    void start(@Observes StartupEvent event) {
        FloeConfig.Kafka k = config.kafka();
        if (!k.enabled()) {
            LOG.info("Kafka listener disabled (floe.kafka.enabled=false)");
            return;
        }
        try {
            listener = new KafkaListener(engine, groups, store, clock, settings, security, tls(config.tls()))
                    .withShareGroups(shareGroups).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen for Kafka clients on port " + k.port()
                    + " (floe.kafka.port): " + e.getMessage(), e);
        }
    }

    /**
     * TLS from floe.tls.*, or null: plaintext. Which settings go together is checked with the others by
     * {@link FloeSettings#check}; what is left here is reading the files.
     */
    static KafkaTls tls(FloeConfig.Tls t) {
        if (t.certificateFile().isEmpty() || t.keyFile().isEmpty()) {
            return null;
        }
        try {
            return new KafkaTls(Path.of(t.certificateFile().get().trim()), Path.of(t.keyFile().get().trim()),
                    t.clientCaFile().map(f -> Path.of(f.trim())));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("Invalid Floe settings, start-up stopped: " + e.getMessage());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (listener != null) {
            listener.close();
        }
    }

    /** The running listener's port, or -1 when disabled. */
    public int port() {
        KafkaListener l = listener;
        return l == null ? -1 : l.port();
    }
}
