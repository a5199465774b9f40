package io.floe.auth;

import io.floe.format.BucketLayout;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.log.Retry;
import io.floe.store.ConditionalUpdate;
import io.floe.store.ObjectStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * Users and ACLs as every instance sees them: two small objects in the bucket ({@link SecurityKeys}),
 * held in memory as one immutable {@link Snapshot}. Checks read the snapshot, not the store; a
 * refresher reads both objects every {@code refreshMillis} (one GET each) and swaps the snapshot when
 * an ETag changed, so a change made on any instance is seen everywhere within that interval. The
 * refresher reads only if the snapshot was used since its last read: an idle instance makes no
 * request for security. The first use after an idle spell longer than two intervals reads the bucket
 * before it answers, so no check ever relies on a snapshot older than that. A change made here is
 * visible here at once.
 *
 * <p>Thread-safe: the snapshot is a volatile immutable value; writes go through {@link ConditionalUpdate}.
 */
public final class SecurityStore implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SecurityStore.class.getName());
    private static final int MAX_ATTEMPTS = 10;

    /** Users (name → mechanism → credential) and ACLs at one moment, with the ETags they were read at. */
    public record Snapshot(Map<String, Map<ScramMechanism, Credential>> users, List<Acl> acls, String usersEtag,
                           String aclsEtag) {
        static final Snapshot EMPTY = new Snapshot(Map.of(), List.of(), null, null);

        public Optional<Credential> credential(String user, ScramMechanism mechanism) {
            return Optional.ofNullable(users.getOrDefault(user, Map.of()).get(mechanism));
        }
    }

    private final Retry retry;
    private final ObjectStore store;
    private final RandomGenerator random;
    private final String writerId;
    private final AtomicLong writes = new AtomicLong();
    private volatile Snapshot snapshot = Snapshot.EMPTY;
    private ScheduledExecutorService refresher;
    /** Set by {@link #startRefreshing}; null before (then only writes and {@link #refresh} read the bucket). */
    private volatile Clock clock;
    private volatile long refreshMillis;
    /** Whether a check used the snapshot since the refresher's last read. */
    private volatile boolean used;
    /** When the last read of the bucket was tried (succeeded or not), by {@link #clock}. */
    private volatile long triedAtMillis;

    /** A task to run once the bucket answers (the admin bootstrap); null when done. */
    private volatile Runnable whenReachable;

    /** Reads the bucket once; if it does not answer, starts empty (everything denied) and keeps trying. */
    public SecurityStore(ObjectStore store, Retry retry, RandomGenerator random, String writerId) {
        this.store = store;
        this.retry = retry;
        this.random = random;
        this.writerId = writerId;
        refreshQuietly();
    }

    /**
     * Runs {@code task} now if the bucket answers, else on the first refresh that succeeds (start-up
     * must not depend on the bucket: Floe starts alive and becomes ready when the bucket answers).
     */
    public void whenReachable(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "The bucket does not answer yet; will retry: " + e.getMessage());
            whenReachable = task;
        }
    }

    /** Starts re-reading the bucket every {@code refreshMillis} while the snapshot is in use. */
    public synchronized SecurityStore startRefreshing(long refreshMillis, Clock clock) {
        if (refresher == null) {
            this.refreshMillis = refreshMillis;
            this.triedAtMillis = clock.millis(); // the constructor has just read the bucket
            this.clock = clock;
            refresher = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon(true)
                    .name("floe-security-refresh").unstarted(r));
            refresher.scheduleWithFixedDelay(this::tick, refreshMillis, refreshMillis, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /**
     * The users and ACLs for a check. After an idle spell (no read for two refresh intervals) this reads
     * the bucket first; if the bucket does not answer, the last snapshot stands, as for the refresher.
     */
    public Snapshot snapshot() {
        used = true;
        Clock c = clock;
        if (c != null && c.millis() - triedAtMillis > 2 * refreshMillis) {
            refreshIfStale(c);
        }
        return snapshot;
    }

    /** One refresher run: reads the bucket only if a check used the snapshot since the last read. */
    void tick() {
        if (whenReachable == null && !used) {
            return;
        }
        used = false;
        refreshQuietly();
    }

    private synchronized void refreshIfStale(Clock c) {
        if (c.millis() - triedAtMillis > 2 * refreshMillis) { // another caller may have read it meanwhile
            refreshQuietly();
        }
    }

    /** Reads both objects now (2 GETs) and installs what changed. */
    public void refresh() {
        Snapshot s = snapshot;
        Optional<ObjectStore.StoredObject> users = retry.call("read users", () -> store.get(BucketLayout.SECURITY_USERS));
        Optional<ObjectStore.StoredObject> acls = retry.call("read ACLs", () -> store.get(BucketLayout.SECURITY_ACLS));
        String ue = users.map(ObjectStore.StoredObject::etag).orElse(null);
        String ae = acls.map(ObjectStore.StoredObject::etag).orElse(null);
        if (java.util.Objects.equals(ue, s.usersEtag()) && java.util.Objects.equals(ae, s.aclsEtag())) {
            return;
        }
        snapshot = new Snapshot(
                users.map(o -> SecurityFormat.decodeUsers(o.content())).map(java.util.Collections::unmodifiableMap).orElse(Map.of()),
                acls.map(o -> SecurityFormat.decodeAcls(o.content())).orElse(List.of()), ue, ae);
    }

    private synchronized void refreshQuietly() {
        Clock c = clock;
        if (c != null) {
            triedAtMillis = c.millis();
        }
        try {
            Runnable pending = whenReachable;
            if (pending != null) {
                pending.run();
                whenReachable = null;
            }
            refresh();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Reading users and ACLs from the bucket failed (keeping the last ones): "
                    + e.getMessage());
        }
    }

    // ---- users ---------------------------------------------------------------------------------

    /** Sets (adds or replaces) the credential of {@code user} for its mechanism. */
    public void putCredential(String user, Credential credential) {
        updateUsers(users -> {
            Map<String, Map<ScramMechanism, Credential>> next = copy(users);
            Map<ScramMechanism, Credential> creds = next.computeIfAbsent(user, u -> new EnumMap<>(ScramMechanism.class));
            if (credential.equals(creds.get(credential.mechanism()))) {
                return null;
            }
            creds.put(credential.mechanism(), credential);
            return next;
        });
    }

    /** Removes the credential of {@code user} for {@code mechanism}; false if it had none. */
    public boolean deleteCredential(String user, ScramMechanism mechanism) {
        boolean[] found = {false};
        updateUsers(users -> {
            Map<String, Map<ScramMechanism, Credential>> next = copy(users);
            Map<ScramMechanism, Credential> creds = next.get(user);
            found[0] = creds != null && creds.remove(mechanism) != null;
            if (!found[0]) {
                return null;
            }
            if (creds.isEmpty()) {
                next.remove(user);
            }
            return next;
        });
        return found[0];
    }

    private static Map<String, Map<ScramMechanism, Credential>> copy(Map<String, Map<ScramMechanism, Credential>> users) {
        Map<String, Map<ScramMechanism, Credential>> next = new TreeMap<>();
        users.forEach((u, c) -> next.put(u, c.isEmpty() ? new EnumMap<>(ScramMechanism.class) : new EnumMap<>(c)));
        return next;
    }

    private void updateUsers(UnaryOperator<Map<String, Map<ScramMechanism, Credential>>> change) {
        update(BucketLayout.SECURITY_USERS, bytes -> {
            var current = bytes.map(SecurityFormat::decodeUsers).orElse(Map.of());
            var next = change.apply(current);
            return Optional.ofNullable(next).map(n -> SecurityFormat.encodeUsers(n, writeId()));
        });
    }

    // ---- ACLs ----------------------------------------------------------------------------------

    /** Adds the ACLs not already present. */
    public void addAcls(List<Acl> add) {
        updateAcls(acls -> {
            List<Acl> next = new ArrayList<>(acls);
            for (Acl a : add) {
                if (!next.contains(a)) {
                    next.add(a);
                }
            }
            return next.size() == acls.size() ? null : next;
        });
    }

    /** Removes every ACL that {@code matches}; returns those removed. */
    public List<Acl> removeAcls(java.util.function.Predicate<Acl> matches) {
        List<Acl> removed = new ArrayList<>();
        updateAcls(acls -> {
            removed.clear();
            List<Acl> next = new ArrayList<>();
            for (Acl a : acls) {
                (matches.test(a) ? removed : next).add(a);
            }
            return removed.isEmpty() ? null : next;
        });
        return List.copyOf(removed);
    }

    private void updateAcls(UnaryOperator<List<Acl>> change) {
        update(BucketLayout.SECURITY_ACLS, bytes -> {
            List<Acl> current = bytes.map(SecurityFormat::decodeAcls).orElse(List.of());
            return Optional.ofNullable(change.apply(current)).map(n -> SecurityFormat.encodeAcls(n, writeId()));
        });
    }

    private void update(String key, java.util.function.Function<Optional<byte[]>, Optional<byte[]>> mutate) {
        // Every change is idempotent (it compares with what it reads), so a retry after a lost answer is safe.
        ConditionalUpdate.Outcome o = retry.call("update " + key, () -> ConditionalUpdate.update(store, key, mutate,
                MAX_ATTEMPTS, retry));
        if (o instanceof ConditionalUpdate.Outcome.GaveUp) {
            throw new FloeException(ErrorCode.CONCURRENT_UPDATE, key + " changed concurrently " + MAX_ATTEMPTS + " times; retry");
        }
        refresh(); // visible on this instance at once
    }

    private String writeId() {
        return writerId + ":" + writes.incrementAndGet() + ":" + Long.toHexString(random.nextLong());
    }

    @Override
    public synchronized void close() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }
}
