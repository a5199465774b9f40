package io.floe.runtime;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Says at start-up how Floe is exposed: authenticated, anonymous on every interface (asked for
 * explicitly), or loopback only because nothing was configured ({@link ListenPolicy}).
 */
@Singleton
public class SecurityWiring {

    private static final Logger LOG = Logger.getLogger(SecurityWiring.class);

    private final FloeConfig config;

    SecurityWiring(FloeConfig config) {
        this.config = config;
    }

    void announce(@Observes StartupEvent event) {
        FloeConfig.Auth a = config.auth();
        if (a.enabled()) {
            LOG.info("Authentication on: Kafka clients use SASL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512), REST clients HTTP "
                    + "Basic; every request is checked against the ACLs in the bucket");
        } else if (a.anonymous()) {
            LOG.warn("floe.auth.anonymous=true: no authentication, listening on every interface configured; anyone who "
                    + "reaches the ports may read, write and delete every topic");
        } else {
            LOG.warn("No authentication configured: Floe listens on loopback (" + ListenPolicy.LOOPBACK + ") only. To serve "
                    + "other hosts set FLOE_AUTH_ENABLED=true and FLOE_AUTH_ADMIN_PASSWORD (or FLOE_AUTH_ANONYMOUS=true "
                    + "to allow anyone)");
        }
    }
}
