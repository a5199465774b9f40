package io.floe.group;

import io.floe.format.BucketLayout;
import io.floe.log.Retry;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.TopicPartition;
import io.floe.store.Backoff;
import io.floe.store.ConditionalUpdate;
import io.floe.store.ObjectStore;
import io.floe.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Reads and writes the member offsets objects ({@code group-offsets/{group}/{member}},
 * {@link MemberOffsets}, docs/FORMAT.md §9a). A member's commits are compare-and-swapped into its
 * object starting from the version this instance wrote last (one conditional PUT, no GET, as long as
 * the member stays on this instance; a member that moved between instances costs a 412 and a read), so
 * that each commit of a member lands after, and outranks, the one before it whichever instance took
 * it. Reads list a group's objects and GET only those whose ETag changed since this instance last read
 * or wrote them.
 *
 * <p>Thread-safe: the caches are concurrent maps of immutable values; a member's believed version is
 * used only under that member's lock, which {@link Offsets} holds (one {@link SyncCommits} slot per key).
 */
final class MemberOffsetObjects {

    private static final int PAGE = 1000;
    private static final int MAX_ATTEMPTS = 8;

    private final ObjectStore store;
    private final Retry retry;
    private final RandomGenerator random;
    private final String instanceId;
    private final BiFunction<List<String>, Function<String, Optional<Known>>, List<Optional<Known>>> readAll;
    private final AtomicLong writes = new AtomicLong();
    /** What this instance last read or wrote of each key, with its ETag: a cache, never the truth. */
    private final Map<String, Known> known = new ConcurrentHashMap<>();
    /** The version of each key this instance wrote last: the next write starts from it. */
    private final Map<String, ObjectStore.StoredObject> believed = new ConcurrentHashMap<>();

    /** A member object as listed and read. */
    record Known(String key, String etag, MemberOffsets offsets) {
    }

    MemberOffsetObjects(ObjectStore store, Retry retry, RandomGenerator random, String instanceId,
                        BiFunction<List<String>, Function<String, Optional<Known>>, List<Optional<Known>>> readAll) {
        this.store = store;
        this.retry = retry;
        this.random = random;
        this.instanceId = instanceId;
        this.readAll = readAll;
    }

    /** The key of a member's commits. */
    static String key(String groupId, String memberId) {
        return BucketLayout.groupMemberOffsets(GroupChecks.checkGroupId(groupId), memberId);
    }

    /**
     * Adds a member's commits to its object, each stamped after the member's previous commit of the
     * partition (see {@link OffsetStamp}): {@code version} and {@code nowMs} unless the object holds a
     * later stamp, and a sequence above every one in it. A commit accepted under another incarnation than
     * the object's starts the object afresh (the group was deleted and made again). Returns once the
     * object is in the bucket; throws STORE_UNAVAILABLE or CONCURRENT_UPDATE when it could not be written.
     * Call under the member's lock.
     */
    void write(String groupId, String memberId, String incarnation, long version, long nowMs,
               Map<TopicPartition, CommittedOffset> offsets) {
        String key = key(groupId, memberId);
        var outcome = retry.call("write member offsets " + key, () -> {
            try {
                return ConditionalUpdate.update(store, key, current -> {
                    MemberOffsets was = current.map(b -> MemberOffsets.decode(key, b)).orElse(null);
                    Map<TopicPartition, MemberOffsets.Entry> all = new TreeMap<>(GroupDoc::compare);
                    long seq = 0;
                    if (was != null && was.incarnation().equals(incarnation)) {
                        all.putAll(was.offsets());
                        for (MemberOffsets.Entry e : was.offsets().values()) {
                            seq = Math.max(seq, e.stamp().seq());
                        }
                    }
                    for (var o : offsets.entrySet()) {
                        MemberOffsets.Entry before = all.get(o.getKey());
                        OffsetStamp s = new OffsetStamp(version, OffsetStamp.MEMBER, nowMs, key, ++seq);
                        if (before != null && !s.after(before.stamp())) {
                            s = new OffsetStamp(before.stamp().version(), OffsetStamp.MEMBER, before.stamp().timeMs(), key, seq);
                        }
                        all.put(o.getKey(), new MemberOffsets.Entry(o.getValue(), s));
                    }
                    return Optional.of(new MemberOffsets(groupId, memberId, incarnation,
                            instanceId + ":" + writes.incrementAndGet() + ":" + Long.toHexString(random.nextLong()), all).encode());
                }, MAX_ATTEMPTS, Backoff.NONE, believed.get(key));
            } catch (StoreException e) {
                believed.remove(key); // the outcome of our last write is unknown: read first next time
                throw e;
            }
        });
        if (!(outcome instanceof ConditionalUpdate.Outcome.Updated u)) {
            believed.remove(key);
            throw new FloeException(ErrorCode.CONCURRENT_UPDATE, "The offsets of member '" + memberId + "' of group '"
                    + groupId + "' are being committed through several instances at once; retry.");
        }
        believed.put(key, new ObjectStore.StoredObject(u.content(), u.etag()));
        known.put(key, new Known(key, u.etag(), MemberOffsets.decode(key, u.content())));
    }

    /**
     * Every member object of a group: one LIST (per thousand), and a GET, concurrently, of each object
     * whose ETag this instance has not seen. An object deleted between the LIST and its GET is left out.
     */
    List<Known> readAll(String groupId) {
        String prefix = BucketLayout.groupOffsetsPrefix(GroupChecks.checkGroupId(groupId));
        List<ObjectStore.ObjectInfo> listed = new ArrayList<>();
        String after = null;
        while (true) {
            String from = after;
            List<ObjectStore.ObjectInfo> page = retry.call("list member offsets " + groupId,
                    () -> store.list(prefix, from, PAGE));
            listed.addAll(page);
            if (page.size() < PAGE) {
                break;
            }
            after = page.getLast().key();
        }
        List<Known> out = new ArrayList<>();
        List<String> toRead = new ArrayList<>();
        for (ObjectStore.ObjectInfo info : listed) {
            if (BucketLayout.memberOfOffsets(prefix, info.key()) == null) {
                continue;
            }
            Known k = known.get(info.key());
            if (k != null && info.etag() != null && info.etag().equals(k.etag())) {
                out.add(k);
            } else {
                toRead.add(info.key());
            }
        }
        for (Optional<Known> k : readAll.apply(toRead, this::read)) {
            k.ifPresent(out::add);
        }
        return out;
    }

    private Optional<Known> read(String key) {
        Optional<ObjectStore.StoredObject> o = retry.call("read member offsets " + key, () -> store.get(key));
        if (o.isEmpty()) {
            known.remove(key);
            return Optional.empty();
        }
        Known k = new Known(key, o.get().etag(), MemberOffsets.decode(key, o.get().content()));
        known.put(key, k);
        return Optional.of(k);
    }

    /** Deletes a member object (folded, its member gone) and forgets it. */
    void delete(String key) {
        retry.run("delete member offsets " + key, () -> store.delete(key));
        known.remove(key);
        believed.remove(key);
    }

    /** Number of member offsets objects this instance wrote (for cost measurements). */
    long writes() {
        return writes.get();
    }
}
