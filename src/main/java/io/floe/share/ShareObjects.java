package io.floe.share;

import io.floe.format.BucketLayout;
import io.floe.log.Retry;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.store.ConditionalUpdate;
import io.floe.store.ObjectStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Reads and writes the share objects: the group object {@code share-groups/{group}} and the share-partition
 * objects {@code share-partitions/{group}/{topicId}/{partition}}, each changed only by compare-and-swap
 * ({@link ConditionalUpdate}) inside the engine's one retry policy ({@link Retry}). Every write carries a
 * writer-unique {@code writeId}, so that an ambiguous answer is resolved by re-reading. The only class of
 * the share engine that touches the store.
 *
 * <p>Thread-safe: the bucket is the truth; the group cache is a concurrent map of copies.
 */
final class ShareObjects {

    private static final int MAX_ATTEMPTS = 32;

    private final ObjectStore store;
    private final Retry retry;
    private final Clock clock;
    private final RandomGenerator random;
    private final String instanceId;
    private final AtomicLong writes = new AtomicLong();
    private final Map<String, Cached> groups = new ConcurrentHashMap<>();

    private record Cached(ShareGroupDoc doc, long readAtMs) {
    }

    ShareObjects(ObjectStore store, Retry retry, Clock clock, RandomGenerator random, String instanceId) {
        this.store = store;
        this.retry = retry;
        this.clock = clock;
        this.random = random;
        this.instanceId = instanceId;
    }

    private String writeId() {
        return instanceId + ":" + writes.incrementAndGet() + ":" + Long.toHexString(random.nextLong());
    }

    // ---- the group object ------------------------------------------------------------------------

    /** A fresh read; empty when the share group does not exist. */
    Optional<ShareGroupDoc> readGroup(String groupId) {
        String key = BucketLayout.shareGroup(groupId);
        long now = clock.millis();
        Optional<ShareGroupDoc> d = retry.call("read share group " + groupId, () -> store.get(key))
                .map(o -> ShareGroupFormat.decode(key, o.content()));
        d.ifPresentOrElse(doc -> groups.put(groupId, new Cached(doc, now)), () -> groups.remove(groupId));
        return d;
    }

    /** The copy this instance read or wrote less than {@code maxAgeMs} ago, else a fresh read. */
    Optional<ShareGroupDoc> readGroupCached(String groupId, long maxAgeMs) {
        Cached c = groups.get(groupId);
        if (c != null && clock.millis() - c.readAtMs() <= maxAgeMs) {
            return Optional.of(c.doc());
        }
        return readGroup(groupId);
    }

    /**
     * Compare-and-swap of the group object: {@code mutate} gets the current object (an empty group when
     * absent) and returns the next one with a value for the caller, or a null object for no change.
     */
    <T> T updateGroup(String groupId, Function<ShareGroupDoc, Change<ShareGroupDoc, T>> mutate) {
        String key = BucketLayout.shareGroup(groupId);
        Change<ShareGroupDoc, T> done = cas("update share group " + groupId, key, current -> {
            ShareGroupDoc doc = current.map(b -> ShareGroupFormat.decode(key, b)).orElse(ShareGroupDoc.empty(groupId));
            Change<ShareGroupDoc, T> c = mutate.apply(doc);
            if (c.next() == null) {
                return new Attempt<>(null, new Change<>(doc, c.value()));
            }
            ShareGroupDoc stamped = c.next().stamped(writeId(), clock.millis());
            return new Attempt<>(ShareGroupFormat.encode(stamped), new Change<>(stamped, c.value()));
        });
        groups.put(groupId, new Cached(done.next(), clock.millis()));
        return done.value();
    }

    /** The next version of an object (null: unchanged) and what the caller learns from the change. */
    record Change<S, T>(S next, T value) {
    }

    /** One attempt's bytes to write (null: no change) and its value for the caller. */
    private record Attempt<T>(byte[] bytes, T value) {
    }

    /**
     * The compare-and-swap loop of every share object, inside the retry policy. After an unavailable
     * store the whole update runs again; if the object then holds exactly the bytes of our last attempt
     * (unique: they carry a writeId), that attempt landed and its value is the answer — an acknowledgement
     * whose answer was lost is not applied twice, nor refused on the second try.
     */
    @SuppressWarnings("unchecked")
    private <T> T cas(String what, String key, Function<Optional<byte[]>, Attempt<T>> attempt) {
        Attempt<T>[] written = new Attempt[1];
        Object[] value = new Object[1];
        var outcome = retry.call(what, () -> ConditionalUpdate.update(store, key, current -> {
            if (written[0] != null && current.isPresent() && java.util.Arrays.equals(current.get(), written[0].bytes())) {
                value[0] = written[0].value();
                return Optional.empty();
            }
            Attempt<T> a = attempt.apply(current);
            value[0] = a.value();
            if (a.bytes() == null) {
                return Optional.empty();
            }
            written[0] = a;
            return Optional.of(a.bytes());
        }, MAX_ATTEMPTS, retry));
        if (outcome instanceof ConditionalUpdate.Outcome.GaveUp) {
            throw new FloeException(ErrorCode.CONCURRENT_UPDATE, "The share object " + key
                    + " is being changed by many members at once; retry.");
        }
        return (T) value[0];
    }

    /** Deletes the group object and every share-partition object of the group. */
    void deleteGroup(String groupId) {
        String prefix = BucketLayout.sharePartitionsPrefix(groupId);
        for (String key : listAll(prefix)) {
            retry.run("delete share-partition " + key, () -> store.delete(key));
        }
        retry.run("delete share group " + groupId, () -> store.delete(BucketLayout.shareGroup(groupId)));
        groups.remove(groupId);
    }

    /** The ids of every share group in the bucket, sorted. */
    List<String> groupIds() {
        List<String> out = new ArrayList<>();
        for (String key : listAll(BucketLayout.SHARE_GROUPS)) {
            String id = BucketLayout.shareGroupOf(key);
            if (id != null) {
                out.add(id);
            }
        }
        return out;
    }

    private List<String> listAll(String prefix) {
        List<String> out = new ArrayList<>();
        String after = null;
        while (true) {
            String from = after;
            List<ObjectStore.ObjectInfo> page = retry.call("list " + prefix, () -> store.list(prefix, from, 1000));
            page.forEach(o -> out.add(o.key()));
            if (page.size() < 1000) {
                return out;
            }
            after = page.getLast().key();
        }
    }

    // ---- share-partition objects -----------------------------------------------------------------

    /** A fresh read of a share-partition; empty when it was never written. */
    Optional<SharePartitionState> readPartition(String groupId, String topicId, int partition) {
        String key = BucketLayout.sharePartition(groupId, topicId, partition);
        return retry.call("read share-partition " + key, () -> store.get(key))
                .map(o -> SharePartitionFormat.decode(key, o.content()));
    }

    /**
     * Compare-and-swap of a share-partition: {@code mutate} maps the current state ({@code initial} when the
     * object is absent) to the next one and a value for the caller; an equal state writes nothing.
     * {@code mutate} may run once per attempt and must be a pure function of its argument.
     */
    <T> Change<SharePartitionState, T> updatePartition(String groupId, String topicId, int partition, SharePartitionState initial,
                                                       Function<SharePartitionState, Change<SharePartitionState, T>> mutate) {
        String key = BucketLayout.sharePartition(groupId, topicId, partition);
        return cas("update share-partition " + key, key, current -> {
            SharePartitionState s = current.map(b -> SharePartitionFormat.decode(key, b)).orElse(initial);
            Change<SharePartitionState, T> c = mutate.apply(s);
            if (c.next().equals(s) && (current.isPresent() || s.inFlight().isEmpty())) {
                return new Attempt<>(null, c); // unchanged (or nothing delivered yet: no object needed)
            }
            return new Attempt<>(SharePartitionFormat.encode(groupId, topicId, partition, c.next(), writeId(), clock.millis()), c);
        });
    }

    /** Deletes a share-partition's object (absent already: nothing happens). */
    void deletePartition(String groupId, String topicId, int partition) {
        String key = BucketLayout.sharePartition(groupId, topicId, partition);
        retry.run("delete share-partition " + key, () -> store.delete(key));
    }

    /** Number of writes this instance made to share objects (for cost measurements). */
    long writes() {
        return writes.get();
    }
}
