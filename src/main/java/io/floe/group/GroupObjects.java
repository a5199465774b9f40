package io.floe.group;

import io.floe.format.BucketLayout;
import static io.floe.group.GroupChecks.unknownGroup;

import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.log.Retry;
import io.floe.store.Backoff;
import io.floe.store.ConditionalUpdate;
import io.floe.store.ObjectStore;
import io.floe.store.StoreException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Reads and writes the group objects ({@code groups/{group}/state}): fresh and cached reads, the
 * compare-and-swap update through {@link ConditionalUpdate}, and the leases of the members whose
 * calls reach this instance (renewed by every write). Each new version read or written is handed to
 * the {@link Waiters}. The only class of the group engine that changes group objects.
 *
 * <p>Writes cost one request when this instance wrote or read the current version last: the update
 * starts from that copy and its ETag (a conditional PUT, no GET), and only the PUT's success vouches
 * for it; when another instance wrote since, the PUT loses (412) and the update re-reads. Updates of
 * one group by this instance are made one at a time (a lock per group), so that its own threads never
 * race each other for the object, each starting from the version the previous one wrote. While other
 * instances keep writing the group, starting from our copy would only add a lost PUT before each
 * read, so after such a miss the next updates read first, for a number of updates that doubles with
 * each consecutive miss (up to {@value #MAX_SKIPPED}); see {@link Believed}.
 *
 * <p>Each write stores the version it read plus one and keeps the group's incarnation (a new one when the
 * object is created), which order committed offsets ({@link OffsetStamp}); the highest version seen per
 * group is kept for the stamps of members' commits; writes that remove members note the group, whose
 * member offsets objects are then folded ({@link #takeDepartures}).
 *
 * <p>Thread-safe: the bucket is the truth; the cache and the local-member map are concurrent maps
 * holding copies only, the write counter is atomic, and a group's {@link Believed} is guarded by its lock.
 */
final class GroupObjects {

    private static final int MAX_ATTEMPTS = 32;
    /** The most updates in a row that read first after writes from our copy kept losing to other instances. */
    static final int MAX_SKIPPED = 63;
    private static final int MAX_MISSES = 6;   // 2^6 - 1 = MAX_SKIPPED

    private final ObjectStore store;
    private final Retry retry;
    private final Clock clock;
    private final RandomGenerator random;
    private final GroupSettings settings;
    private final Waiters waiters;
    private final AtomicLong writes = new AtomicLong();
    /** Last group object this instance read or wrote, per group: a cache, never the truth. */
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    /** Members whose calls reach this instance: group → member → last call (ms). Renewed by our writes. */
    private final Map<String, Map<String, Long>> local = new ConcurrentHashMap<>();
    /** One writer at a time per group on this instance, with its policy of starting from our copy. */
    private final Map<String, Believed> writers = new ConcurrentHashMap<>();
    private final AtomicLong believedWrites = new AtomicLong();
    /** The highest version of each group object this instance read or wrote (member commits stamp it). */
    private final Map<String, Seen> highest = new ConcurrentHashMap<>();
    /** Groups that lost members in a write of ours since the last {@link #takeDepartures}: their offsets are folded. */
    private final Set<String> departures = ConcurrentHashMap.newKeySet();

    private record Seen(String incarnation, long version) {
    }

    private record Cached(byte[] bytes, String etag, long readAtMs) {
    }

    /**
     * Whether an update of one group starts from this instance's copy (see the class comment): yes
     * unless the last one lost to another instance's write; after {@code misses} such losses in a row
     * the next {@code 2^misses - 1} updates (at most {@value GroupObjects#MAX_SKIPPED}) read first. Guarded by its lock.
     */
    static final class Believed {
        final ReentrantLock lock = new ReentrantLock();
        private int misses;
        private int skip;

        /** Whether this update may start from the cached copy (consumes one skipped update if not). */
        boolean trustCopy() {
            if (skip > 0) {
                skip--;
                return false;
            }
            return true;
        }

        /** The outcome of an update that started from the copy: current (one request) or not. */
        void copyWas(boolean current) {
            if (current) {
                misses = 0;
            } else {
                misses = Math.min(misses + 1, MAX_MISSES);
                skip = (1 << misses) - 1;
            }
        }
    }

    /** Told of each new generation with members this instance writes. */
    private volatile GroupEvents events = GroupEvents.NONE;

    GroupObjects(ObjectStore store, Retry retry, Clock clock, RandomGenerator random, GroupSettings settings, Waiters waiters) {
        this.store = store;
        this.retry = retry;
        this.clock = clock;
        this.random = random;
        this.settings = settings;
        this.waiters = waiters;
    }

    void listen(GroupEvents listener) {
        this.events = listener == null ? GroupEvents.NONE : listener;
    }

    /** A fresh read (one GET); empty when the group does not exist or is DEAD. */
    Optional<GroupDoc> read(String groupId) {
        String key = stateKey(groupId);
        long now = clock.millis();
        Optional<ObjectStore.StoredObject> o = retry.call("read group " + groupId, () -> store.get(key));
        if (o.isEmpty()) {
            cache.remove(groupId);
            return Optional.empty();
        }
        cache.put(groupId, new Cached(o.get().content(), o.get().etag(), now));
        GroupDoc d = GroupFormat.decode(key, o.get().content());
        saw(groupId, d);
        if (d.state == GroupState.DEAD) {
            return Optional.empty();
        }
        waiters.resolve(groupId, d);
        return Optional.of(d);
    }

    /**
     * Whether a share group (KIP-932, {@code share-groups/{group}}) holds this id: group ids are one
     * namespace, so a classic or consumer group cannot be created under it (Kafka's rule). One GET.
     */
    boolean isShareGroup(String groupId) {
        String key = io.floe.format.BucketLayout.shareGroup(groupId);
        return retry.call("read share group " + groupId, () -> store.get(key)).isPresent();
    }

    /** The cached copy if younger than {@link GroupSettings#stateMaxAge()}, else a fresh read. */
    Optional<GroupDoc> readCached(String groupId) {
        Cached c = cache.get(groupId);
        if (c != null && clock.millis() - c.readAtMs() <= settings.stateMaxAge().toMillis()) {
            GroupDoc d = GroupFormat.decode(stateKey(groupId), c.bytes());
            return d.state == GroupState.DEAD ? Optional.empty() : Optional.of(d);
        }
        return read(groupId);
    }

    /**
     * Compare-and-swap of the group object. {@code mutate} gets a fresh copy (a new empty group when
     * absent and {@code create}; else UNKNOWN_GROUP) and returns it changed, or null for no change.
     * Every write also renews the leases of members whose calls reached this instance.
     */
    GroupDoc update(String groupId, boolean create, Function<GroupDoc, GroupDoc> mutate) {
        String key = stateKey(groupId);
        Believed believed = writers.computeIfAbsent(groupId, g -> new Believed());
        GroupDoc d;
        believed.lock.lock();
        try {
            d = write(groupId, key, create, mutate, believed);
        } finally {
            believed.lock.unlock();
        }
        waiters.resolve(groupId, d);
        return d;
    }

    /** The compare-and-swap of {@link #update}, under the group's lock. */
    private GroupDoc write(String groupId, String key, boolean create, Function<GroupDoc, GroupDoc> mutate,
                           Believed believed) {
        String writer = settings.instanceId();
        // The generation the written change started from (the last attempt's: earlier ones lost their race).
        int[] fromGeneration = {-1};
        boolean[] lostMembers = new boolean[1];
        // An unavailable store retries the whole update (its content is writer-unique: writeId); lost races
        // retry at once, as group members contend briefly and often. After a failure the outcome of our last
        // write is unknown, so the retry reads first.
        boolean[] fromCopy = new boolean[1];
        var outcome = retry.call("update group " + groupId, () -> {
            Cached c = cache.get(groupId);
            fromCopy[0] = c != null && c.etag() != null && believed.trustCopy();
            try {
                return ConditionalUpdate.update(store, key, current -> {
                    GroupDoc doc = current.map(b -> GroupFormat.decode(key, b)).orElse(null);
                    if (doc != null && doc.state == GroupState.DEAD) {
                        doc = null;
                    }
                    if (doc == null) {
                        if (!create) {
                            throw unknownGroup(groupId);
                        }
                        doc = GroupDoc.empty(groupId);
                    }
                    // Members whose calls reached us are alive: renew them before anything expires anyone.
                    renewLocal(groupId, doc);
                    fromGeneration[0] = doc.generation;
                    long fromVersion = doc.version;
                    String incarnation = doc.incarnation.isEmpty() ? newIncarnation() : doc.incarnation;
                    Set<String> membersBefore = Set.copyOf(doc.members.keySet());
                    GroupDoc next = mutate.apply(doc);
                    if (next == null) {
                        return Optional.empty();
                    }
                    next.version = fromVersion + 1;
                    next.incarnation = incarnation;
                    lostMembers[0] = !next.members.keySet().containsAll(membersBefore);
                    long now = clock.millis();
                    next.writeId = writer + ":" + writes.incrementAndGet() + ":" + Long.toHexString(random.nextLong());
                    next.updatedAtMs = now;
                    return Optional.of(GroupFormat.encode(next));
                }, MAX_ATTEMPTS, Backoff.NONE,
                        fromCopy[0] ? new ObjectStore.StoredObject(c.bytes(), c.etag()) : null);
            } catch (StoreException e) {
                cache.remove(groupId);
                throw e;
            }
        });
        if (fromCopy[0]) {
            boolean current = outcome.attempts() == 1 && outcome.updated();
            believed.copyWas(current);
            if (current) {
                believedWrites.incrementAndGet();
            }
        }
        ObjectStore.StoredObject now = switch (outcome) {
            case ConditionalUpdate.Outcome.Updated u -> new ObjectStore.StoredObject(u.content(), u.etag());
            case ConditionalUpdate.Outcome.Unchanged u -> u.current().orElse(null);
            case ConditionalUpdate.Outcome.GaveUp g -> throw new FloeException(ErrorCode.CONCURRENT_UPDATE,
                    "Group '" + groupId + "' is being changed by many members at once; retry.");
        };
        if (now == null) {
            // Unchanged and absent: only reachable with create (mutate returned no change on an empty group).
            cache.remove(groupId);
            return GroupDoc.empty(groupId);
        }
        cache.put(groupId, new Cached(now.content(), now.etag(), clock.millis()));
        GroupDoc d = GroupFormat.decode(key, now.content());
        saw(groupId, d);
        if (outcome instanceof ConditionalUpdate.Outcome.Updated && lostMembers[0]) {
            departures.add(groupId);
        }
        if (outcome instanceof ConditionalUpdate.Outcome.Updated && d.generation > fromGeneration[0] && !d.members.isEmpty()) {
            events.rebalanced(groupId, d.protocolType == null ? "" : d.protocolType);
        }
        return d;
    }

    private String newIncarnation() {
        return Long.toHexString(random.nextLong() | Long.MIN_VALUE);
    }

    private void saw(String groupId, GroupDoc d) {
        highest.merge(groupId, new Seen(d.incarnation, d.version),
                (was, now) -> !was.incarnation().equals(now.incarnation()) || now.version() > was.version() ? now : was);
    }

    /**
     * The version a member's commit accepted against {@code view} stamps (see {@link OffsetStamp}): the
     * highest this instance has read or written of the view's incarnation, at least the view's own.
     */
    long stampVersion(String groupId, GroupDoc view) {
        Seen s = highest.get(groupId);
        return s != null && s.incarnation().equals(view.incarnation) ? Math.max(s.version(), view.version) : view.version;
    }

    /** Notes that a group lost members (or that folding its offsets must be tried again). */
    void departed(String groupId) {
        departures.add(groupId);
    }

    /** The groups that lost members in a write of this instance since the last call (their offsets are folded). */
    Set<String> takeDepartures() {
        Set<String> out = Set.copyOf(departures);
        departures.removeAll(out);
        return out;
    }

    /** Deletes the group object and drops the cached copy. */
    void delete(String groupId) {
        retry.run("delete group " + groupId, () -> store.delete(stateKey(groupId)));
        cache.remove(groupId);
    }

    private boolean renewLocal(String groupId, GroupDoc doc) {
        Map<String, Long> mine = local.get(groupId);
        boolean renewed = false;
        if (mine == null) {
            return false;
        }
        for (var e : mine.entrySet()) {
            GroupDoc.Member m = doc.members.get(e.getKey());
            if (m != null && e.getValue() + m.sessionTimeoutMs > m.leaseExpiresAtMs) {
                m.leaseExpiresAtMs = e.getValue() + m.sessionTimeoutMs;
                renewed = true;
            }
        }
        return renewed;
    }

    /** Whether the member's lease should be written now (less than the renew fraction of it left). */
    boolean renewalDue(GroupDoc.Member m, long now) {
        return m != null && m.leaseExpiresAtMs - now < (long) (settings.renewFraction() * m.sessionTimeoutMs);
    }

    /** Notes that a member's call reached this instance: our writes renew its lease from now on. */
    void seen(String groupId, String memberId) {
        local.computeIfAbsent(groupId, g -> new ConcurrentHashMap<>()).put(memberId, clock.millis());
    }

    /** Stops renewing a member that left. */
    void forget(String groupId, String memberId) {
        Map<String, Long> mine = local.get(groupId);
        if (mine != null && memberId != null) {
            mine.remove(memberId);
        }
    }

    /** Number of group-object writes this instance made. */
    long writes() {
        return writes.get();
    }

    /** Number of updates that started from this instance's copy and found it current (one request each). */
    long writesFromCopy() {
        return believedWrites.get();
    }

    /** The key of a group's state object; refuses an invalid group id. */
    private static String stateKey(String groupId) {
        return BucketLayout.groupState(GroupChecks.checkGroupId(groupId));
    }
}
