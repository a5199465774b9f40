package io.floe.api.kafka;

import io.floe.runtime.Defaults;
import io.floe.auth.Authenticator;
import io.floe.auth.Authorizer;
import io.floe.auth.Credential;
import io.floe.auth.Security;
import io.floe.auth.SecurityStore;
import io.floe.group.GroupCoordinator;
import io.floe.group.GroupSettings;
import io.floe.log.LogEngine;
import io.floe.log.LogSettings;
import io.floe.store.S3ObjectStore;
import io.floe.testkit.RadosGw;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * A Floe instance for the Kafka tests: a log engine on a fresh radosgw bucket (or a given store) and
 * the Kafka listener on a free port. Close it to stop both.
 */
final class FloeKafka implements AutoCloseable {

    /** The clients log every config at INFO; keep test output readable. Kept in a field: JUL holds loggers weakly. */
    private static final java.util.logging.Logger KAFKA_LOG = java.util.logging.Logger.getLogger("org.apache.kafka");

    static {
        KAFKA_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    final S3ObjectStore store;
    final LogEngine engine;
    final KafkaListener listener;
    final GroupCoordinator groups;
    private final boolean ownsStore;
    final Security security;
    /** The share group engine behind the listener's share APIs. */
    final io.floe.share.ShareGroups shares;

    private FloeKafka(S3ObjectStore store, boolean ownsStore, String instanceId) {
        this(store, ownsStore, instanceId, null);
    }

    /** @param secured null: no authentication; else the admin password, with ACLs re-read every 200 ms */
    private FloeKafka(S3ObjectStore store, boolean ownsStore, String instanceId, SecuredBy secured) {
        this(store, ownsStore, instanceId, secured, io.floe.share.ShareLimits.DEFAULT);
    }

    private FloeKafka(S3ObjectStore store, boolean ownsStore, String instanceId, SecuredBy secured,
                      io.floe.share.ShareLimits shareLimits) {
        this.store = store;
        this.ownsStore = ownsStore;
        LogSettings settings = Defaults.log(instanceId);
        settings = new LogSettings(settings.instanceId(), Duration.ofMillis(5), settings.flushBytes(), settings.flushRecords(),
                settings.inlineBytes(), settings.maxBufferedBytes(), settings.cacheBytes(), Duration.ofMillis(50),
                settings.checkpointEvery(), settings.metadataMaxAge(), true, 3);
        this.engine = new LogEngine(store, Clock.systemUTC(), new SplittableRandom(instanceId.hashCode()), settings);
        this.groups = new GroupCoordinator(store, engine, Clock.systemUTC(), new SplittableRandom(instanceId.hashCode() + 1),
                Defaults.group(instanceId));
        this.shares = new io.floe.share.ShareGroups(store, engine, Clock.systemUTC(), new SplittableRandom(instanceId.hashCode() + 3),
                io.floe.share.ShareSettings.defaults(instanceId).withLimits(shareLimits));
        if (secured == null) {
            this.security = Security.off(Clock.systemUTC());
        } else {
            SecurityStore users = new SecurityStore(store, engine.retry(), new SplittableRandom(instanceId.hashCode() + 2), instanceId);
            for (ScramMechanism m : ScramMechanism.values()) {
                users.putCredential("admin", Credential.fromPassword(m, secured.adminPassword(), 4096));
            }
            users.startRefreshing(200, Clock.systemUTC());
            this.security = new Security(users, new Authenticator(users, Clock.systemUTC(), new byte[32]),
                    new Authorizer(users, true, Set.of("User:admin")), true, secured.sessionLifetime(), Clock.systemUTC());
        }
        try {
            this.listener = new KafkaListener(engine, groups, store, Clock.systemUTC(), KafkaSettings.onPort(0), security,
                    secured == null ? null : secured.tls()).withShareGroups(shares).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new instance on a new bucket. */
    static FloeKafka start(String name) {
        return new FloeKafka(RadosGw.newBucketStore(name), true, name + "-1");
    }

    /** A new instance on a new bucket whose share-partitions have these limits (lock duration, delivery limit). */
    static FloeKafka startWithShareLimits(String name, io.floe.share.ShareLimits limits) {
        return new FloeKafka(RadosGw.newBucketStore(name), true, name + "-1", null, limits);
    }

    /** A second instance on the same bucket as {@code other}, with these share limits. */
    static FloeKafka sharingWithShareLimits(FloeKafka other, String instanceId, io.floe.share.ShareLimits limits) {
        return new FloeKafka(other.store, false, instanceId, null, limits);
    }

    /** A second instance on the same bucket as {@code other} (another process, as far as state goes). */
    static FloeKafka sharing(FloeKafka other, String instanceId) {
        return new FloeKafka(other.store, false, instanceId);
    }

    /** How a secured instance starts: the admin password, the SASL session lifetime, and TLS (null: plaintext). */
    record SecuredBy(String adminPassword, Duration sessionLifetime, KafkaTls tls) {
        SecuredBy(String adminPassword, Duration sessionLifetime) {
            this(adminPassword, sessionLifetime, null);
        }
    }

    /** A new instance on a new bucket with authentication on (SASL) and the superuser admin. */
    static FloeKafka startSecured(String name, SecuredBy secured) {
        return new FloeKafka(RadosGw.newBucketStore(name), true, name + "-1", secured);
    }

    /** A second secured instance on the same bucket as {@code other}. */
    static FloeKafka sharingSecured(FloeKafka other, String instanceId, SecuredBy secured) {
        return new FloeKafka(other.store, false, instanceId, secured);
    }

    String bootstrap() {
        return "127.0.0.1:" + listener.port();
    }

    @Override
    public void close() {
        listener.close();
        if (security.store() != null) {
            security.store().close();
        }
        groups.close();
        engine.close();
        if (ownsStore) {
            store.close();
        }
    }
}
