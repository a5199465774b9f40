package io.floe.runtime;

import io.floe.auth.Authenticator;
import io.floe.auth.Authorizer;
import io.floe.auth.Credential;
import io.floe.auth.Principal;
import io.floe.auth.Security;
import io.floe.auth.SecurityStore;
import io.floe.log.LogEngine;
import io.floe.store.ObjectStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.jboss.logging.Logger;

/**
 * Builds the security components both front doors share ({@code floe.auth.*}): the users and ACLs
 * read from the bucket and refreshed every {@code floe.auth.refresh-interval}, the authenticator, the
 * authorizer; creates or updates the superuser {@code admin} from {@code floe.auth.admin-password}
 * (or its file); registers the audit metrics; and says at start-up how Floe is exposed (authenticated,
 * anonymous on purpose, or loopback only: {@link ListenPolicy}). Thread-safe: immutable once built.
 */
@Startup
@Singleton
public class SecurityWiring {

    private static final Logger LOG = Logger.getLogger(SecurityWiring.class);
    static final String ADMIN = "admin";

    private final Security security;

    SecurityWiring(FloeConfig config, LogEngine engine, ObjectStore store, Clock clock, RandomGenerator random,
                   MeterRegistry registry) {
        FloeConfig.Auth a = config.auth();
        if (a.refreshInterval().toMillis() <= 0 || a.sessionLifetime().isNegative()) {
            throw new ConfigurationException("Invalid Floe settings, start-up stopped: floe.auth.refresh-interval must be "
                    + "greater than 0 and floe.auth.session-lifetime at least 0");
        }
        Optional<String> adminPassword = adminPassword(a);
        Set<String> superUsers = new HashSet<>();
        superUsers.add(Principal.user(ADMIN).toString());
        for (String s : a.superUsers().orElse(java.util.List.of())) {
            try {
                superUsers.add(Principal.parse(s.trim()).toString());
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("Invalid Floe settings, start-up stopped: floe.auth.super-users: " + e.getMessage());
            }
        }
        SecurityStore users = new SecurityStore(store, engine.retry(), random, "auth-" + Long.toHexString(random.nextLong()));
        adminPassword.ifPresent(p -> users.whenReachable(() -> ensureAdmin(users, p)));
        users.startRefreshing(a.refreshInterval().toMillis(), clock);
        Authenticator authenticator = new Authenticator(users, clock, () -> secret(engine.clusterId()));
        Authorizer authorizer = new Authorizer(users, a.enabled(), superUsers);
        this.security = new Security(users, authenticator, authorizer, a.enabled(), a.sessionLifetime(), clock);
        FunctionCounter.builder("floe.auth.failures", authenticator, Authenticator::failures)
                .description("Failed authentications (SASL and HTTP Basic)").register(registry);
        FunctionCounter.builder("floe.auth.denials", authorizer, Authorizer::denials)
                .description("Requests refused by the authorizer").register(registry);
        announce(a, adminPassword.isPresent(), users);
    }

    @Produces
    @Singleton
    Security security() {
        return security;
    }

    private static Optional<String> adminPassword(FloeConfig.Auth a) {
        if (a.adminPassword().isPresent() && a.adminPasswordFile().isPresent()) {
            throw new ConfigurationException("Invalid Floe settings, start-up stopped: set floe.auth.admin-password or "
                    + "floe.auth.admin-password-file, not both");
        }
        if (a.adminPasswordFile().isPresent()) {
            Path file = Path.of(a.adminPasswordFile().get().trim());
            try {
                String p = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (p.isEmpty()) {
                    throw new ConfigurationException("Invalid Floe settings, start-up stopped: floe.auth.admin-password-file "
                            + file + " is empty");
                }
                return Optional.of(p);
            } catch (IOException e) {
                throw new ConfigurationException("Invalid Floe settings, start-up stopped: cannot read "
                        + "floe.auth.admin-password-file " + file + ": " + e.getClass().getSimpleName());
            }
        }
        return a.adminPassword().filter(p -> !p.isEmpty());
    }

    /** Writes admin's credentials only when they do not match the password (so instances do not race at start-up). */
    private static void ensureAdmin(SecurityStore users, String password) {
        for (ScramMechanism m : ScramMechanism.values()) {
            boolean current = users.snapshot().credential(ADMIN, m).map(c -> c.matches(password)).orElse(false);
            if (!current) {
                users.putCredential(ADMIN, Credential.fromPassword(m, password, Credential.DEFAULT_ITERATIONS));
                LOG.infof("User admin: %s credential stored from floe.auth.admin-password", m.mechanismName());
            }
        }
    }

    /** Seeds the made-up credentials of unknown users: stable across instances, unknown before authentication. */
    private static byte[] secret(String clusterId) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(("floe-unknown-user:" + clusterId).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void announce(FloeConfig.Auth a, boolean adminPassword, SecurityStore users) {
        if (a.enabled()) {
            LOG.info("Authentication on: Kafka clients use SASL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512), REST clients HTTP "
                    + "Basic; every request is checked against the ACLs in the bucket");
            if (!adminPassword && users.snapshot().users().isEmpty()) {
                LOG.warn("Authentication is on but there are no users: set FLOE_AUTH_ADMIN_PASSWORD (or "
                        + "floe.auth.admin-password-file) to create the superuser admin");
            }
        } else if (a.anonymous()) {
            LOG.warn("floe.auth.anonymous=true: no authentication, listening on every interface configured; anyone who "
                    + "reaches the ports may read, write and delete every topic");
        } else {
            LOG.warn("No authentication configured: Floe listens on loopback (" + ListenPolicy.LOOPBACK + ") only. To serve "
                    + "other hosts set FLOE_AUTH_ENABLED=true and FLOE_AUTH_ADMIN_PASSWORD (or FLOE_AUTH_ANONYMOUS=true "
                    + "to allow anyone)");
        }
    }

    @PreDestroy
    void close() {
        security.store().close();
    }
}
