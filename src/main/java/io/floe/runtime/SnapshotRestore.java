package io.floe.runtime;

import io.floe.janitor.Janitor;
import io.floe.log.LogEngine;
import io.quarkus.runtime.Startup;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.util.Optional;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.jboss.logging.Logger;

/**
 * Renews, when the process is restored from a snapshot (AWS Lambda SnapStart, or any CRaC checkpoint), what
 * it drew once at start: every clone restored from one snapshot starts with the snapshot's random state,
 * instance id and writer nonce, so without this the clones would draw the same commit and write ids and name
 * their segments, deletions and janitor lease alike (DECISIONS.md D94).
 *
 * <p>Registered with CRaC's global context at start-up (org.crac, as Quarkus and AWS recommend; a JVM that
 * takes no snapshot never calls it). After a restore it seeds the random source from the operating system
 * ({@link SecureRandom} made then, not the snapshot's state), draws a new instance id (unless
 * {@code floe.instance-id} names one, which stays) and gives the log engine a new identity (instance id and
 * nonce) and the janitor a new lease holder name. Group and share-group write ids keep the start-up instance
 * id but draw their random part from the renewed source, so they stay unique. Thread-safety: a restore
 * happens before the restored process serves anything; CRaC calls it on one thread.
 */
@Startup
@Singleton
public class SnapshotRestore implements Resource {

    private static final Logger LOG = Logger.getLogger(SnapshotRestore.class);

    private final RenewableRandom random;
    private final LogEngine engine;
    private final Optional<String> configuredInstanceId;
    private final Janitor janitor;

    @Inject
    SnapshotRestore(FloeWiring floe, FloeConfig config, Janitor janitor) {
        this(floe.renewableRandom(), floe.engine(), config.instanceId().map(String::trim), janitor);
        // CRaC holds registered resources weakly: this singleton keeps itself alive.
        Core.getGlobalContext().register(this);
    }

    SnapshotRestore(RenewableRandom random, LogEngine engine, Optional<String> configuredInstanceId, Janitor janitor) {
        this.random = random;
        this.engine = engine;
        this.configuredInstanceId = configuredInstanceId;
        this.janitor = janitor;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        // Nothing to release: the Lambda build runs no background thread and holds no lease between invocations.
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        renew(new SecureRandom().nextLong());
    }

    /** Renews the seeds from {@code seed}, then the identities; returns the instance id from now on. */
    String renew(long seed) {
        String before = engine.maintenance().instanceId();
        random.renew(seed);
        String instanceId = configuredInstanceId.orElseGet(() -> FloeSettings.drawInstanceId(random));
        engine.renewIdentity(instanceId);
        janitor.renewHolder();
        LOG.infof("Restored from a snapshot: instance %s continues as %s with new random seeds and writer ids",
                before, instanceId);
        return instanceId;
    }
}
