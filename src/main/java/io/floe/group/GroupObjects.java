package io.floe.group;

import io.floe.format.BucketLayout;
import static io.floe.group.GroupChecks.unknownGroup;

import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.log.Retry;
import io.floe.store.ConditionalUpdate;
import io.floe.store.ObjectStore;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Reads and writes the group objects ({@code groups/{group}/state}): fresh and cached reads, the
 * compare-and-swap update through {@link ConditionalUpdate}, and the leases of the members whose
 * calls reach this instance (renewed by every write). Each new version read or written is handed to
 * the {@link Waiters}. The only class of the group engine that changes group objects.
 *
 * <p>Thread-safe: the bucket is the truth; the cache and the local-member map are concurrent maps
 * holding copies only, and the write counter is atomic.
 */
final class GroupObjects {

    private static final int MAX_ATTEMPTS = 32;

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

    private record Cached(byte[] bytes, long readAtMs) {
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
        cache.put(groupId, new Cached(o.get().content(), now));
        GroupDoc d = GroupFormat.decode(key, o.get().content());
        if (d.state == GroupState.DEAD) {
            return Optional.empty();
        }
        waiters.resolve(groupId, d);
        return Optional.of(d);
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
        String writer = settings.instanceId();
        // The generation the written change started from (the last attempt's: earlier ones lost their race).
        int[] fromGeneration = {-1};
        // An unavailable store retries the whole update (its content is writer-unique: writeId); lost races
        // retry at once, as group members contend briefly and often.
        var outcome = retry.call("update group " + groupId, () -> ConditionalUpdate.update(store, key, current -> {
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
            GroupDoc next = mutate.apply(doc);
            if (next == null) {
                return Optional.empty();
            }
            long now = clock.millis();
            next.writeId = writer + ":" + writes.incrementAndGet() + ":" + Long.toHexString(random.nextLong());
            next.updatedAtMs = now;
            return Optional.of(GroupFormat.encode(next));
        }, MAX_ATTEMPTS));
        byte[] bytes = switch (outcome) {
            case ConditionalUpdate.Outcome.Updated u -> u.content();
            case ConditionalUpdate.Outcome.Unchanged u -> u.current().map(ObjectStore.StoredObject::content).orElse(null);
            case ConditionalUpdate.Outcome.GaveUp g -> throw new FloeException(ErrorCode.CONCURRENT_UPDATE,
                    "Group '" + groupId + "' is being changed by many members at once; retry.");
        };
        if (bytes == null) {
            // Unchanged and absent: only reachable with create (mutate returned no change on an empty group).
            return GroupDoc.empty(groupId);
        }
        cache.put(groupId, new Cached(bytes, clock.millis()));
        GroupDoc d = GroupFormat.decode(key, bytes);
        if (outcome instanceof ConditionalUpdate.Outcome.Updated && d.generation > fromGeneration[0] && !d.members.isEmpty()) {
            events.rebalanced(groupId, d.protocolType == null ? "" : d.protocolType);
        }
        waiters.resolve(groupId, d);
        return d;
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

    /** The key of a group's state object; refuses an invalid group id. */
    private static String stateKey(String groupId) {
        return BucketLayout.groupState(GroupChecks.checkGroupId(groupId));
    }
}
