package io.floe.log;

import io.floe.format.BucketLayout;
import io.floe.format.Checkpoint;
import io.floe.format.CheckpointFormat;
import io.floe.format.Commit;
import io.floe.format.CommitFormat;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.store.ObjectStore;
import io.floe.store.StoreException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and extends topics' commit chains (DESIGN.md §3). A commit numbered N is created only if
 * absent; the writer that creates it owns the offsets it lists. A writer that loses re-reads the
 * chain and tries N+1 with offsets recomputed. After an ambiguous answer (timeout, 5xx, lost
 * response) the writer re-reads N and recognises its own commit by its {@code commitId}, so a
 * retried write is never committed twice (invariant 2).
 *
 * <p>Thread-safe; holds no state of its own beyond the collaborators.
 */
final class Chain {

    /** Gives up a commit after this many rounds without winning. */
    static final int MAX_COMMIT_ROUNDS = 64;

    private final ObjectStore store;
    private final SegmentCache cache;
    private final Retry retry;
    private final Clock clock;
    /**
     * A state not refreshed for this long is reloaded from the newest checkpoint rather than caught
     * up commit by commit: the janitor removes commits that a checkpoint covers once they have been
     * covered for its grace period, so an old head may be followed by a hole. Must stay well below
     * half the janitor's grace (clock skew); see docs/DECISIONS.md D23.
     */
    private volatile long maxStateAgeMs = 60_000;

    Chain(ObjectStore store, SegmentCache cache, Retry retry, Clock clock) {
        this.store = store;
        this.cache = cache;
        this.retry = retry;
        this.clock = clock;
    }

    /** Builds a topic's state from its newest checkpoint and the commits after it. */
    TopicState load(String topicId) {
        TopicState state = null;
        for (int listing = 1; state == null; listing++) {
            List<ObjectStore.ObjectInfo> checkpoints = retry.call("list checkpoints",
                    () -> store.list(BucketLayout.checkpointsPrefix(topicId), null, 1000));
            if (checkpoints.isEmpty()) {
                state = TopicState.empty(topicId);
            }
            if (!checkpoints.isEmpty()) {
                Optional<Checkpoint> newest = readCheckpoint(checkpoints.get(checkpoints.size() - 1).key());
                if (newest.isPresent()) {
                    state = TopicState.fromCheckpoint(topicId, newest.get());
                }
            }
            // The newest checkpoint was pruned while we read (a newer one exists): list again. Never
            // fall back to an older checkpoint or the start of the chain: the commits after it may be
            // gone (the janitor removes commits covered by a checkpoint).
            if (state == null && listing >= Retry.ATTEMPTS) {
                throw new FloeException(ErrorCode.STORE_UNAVAILABLE,
                        "Checkpoints of topic id " + topicId + " kept changing while being read; retry.");
            }
        }
        catchUp(state);
        return state;
    }

    private Optional<Checkpoint> readCheckpoint(String key) {
        return retry.call("read checkpoint", () -> store.get(key)).map(o -> CheckpointFormat.decode(o.content()));
    }

    void maxStateAge(long millis) {
        maxStateAgeMs = millis;
    }

    boolean stale(TopicState state) {
        long last = state.lastRefreshMs();
        return last > 0 && clock.millis() - last > maxStateAgeMs;
    }

    /**
     * Applies every commit after the state's head, reading until the first absent sequence. A state
     * older than {@link #maxStateAgeMs} first jumps to the newest checkpoint if that is ahead of it.
     *
     * <p>Commits are read without holding the state's catch-up lock, which is taken only to apply
     * one: a writer applying the commit it has just won must not wait behind a reader's GET (under
     * S3 latencies that wait was most of a produce's acknowledgement time).
     */
    void catchUp(TopicState state) {
        long now = clock.millis();
        if (stale(state)) {
            state.catchUpLock.lock();
            try {
                if (stale(state)) {
                    jumpToNewestCheckpoint(state);
                }
            } finally {
                state.catchUpLock.unlock();
            }
        }
        while (true) {
            long seq = state.headSequence() + 1;
            String key = BucketLayout.commit(state.topicId(), seq);
            Optional<ObjectStore.StoredObject> o = retry.call("read commit", () -> store.get(key));
            if (o.isEmpty()) {
                if (state.headSequence() >= seq) {
                    continue; // applied meanwhile by its writer on this instance; look further
                }
                break;
            }
            byte[] bytes = o.get().content();
            applyIfNext(state, decodeAt(key, bytes), key, bytes);
        }
        state.markRefreshed(now);
    }

    /** Decodes the commit read from {@code key}, which must carry that key's sequence. */
    private static Commit decodeAt(String key, byte[] bytes) {
        Commit c = CommitFormat.decode(bytes);
        if (c.sequence() != BucketLayout.sequenceOf(key)) {
            throw new FloeException(ErrorCode.CORRUPT_OBJECT,
                    "Commit object " + key + " says it is sequence " + c.sequence() + ".");
        }
        return c;
    }

    /** Applies {@code c} unless another thread applied it first (the head has moved past it). */
    private void applyIfNext(TopicState state, Commit c, String key, byte[] bytes) {
        state.catchUpLock.lock();
        try {
            if (state.headSequence() == c.sequence() - 1) {
                applyOrCorrupt(state, c, key, bytes);
            }
        } finally {
            state.catchUpLock.unlock();
        }
    }

    private void jumpToNewestCheckpoint(TopicState state) {
        List<ObjectStore.ObjectInfo> checkpoints = retry.call("list checkpoints",
                () -> store.list(BucketLayout.checkpointsPrefix(state.topicId()), null, 1000));
        if (!checkpoints.isEmpty()) {
            String newest = checkpoints.get(checkpoints.size() - 1).key();
            if (BucketLayout.sequenceOf(newest) > state.headSequence()) {
                // Absent: pruned after listing, so a newer one exists; the next catch-up retries.
                readCheckpoint(newest).ifPresentOrElse(state::resetTo, () -> {
                    throw new FloeException(ErrorCode.STORE_UNAVAILABLE, "Checkpoint " + newest
                            + " was replaced while being read; retry.");
                });
            }
        }
    }

    /**
     * The next offsets a commit would take, read consistently from the state, with a private copy of
     * the producer state of the producers the commit carries (by partition; the builder may change it).
     */
    record Tip(long sequence, Map<Integer, Long> endOffsets, Map<Integer, ProducerTable> producers) {
    }

    /** Builds the bytes of a commit once the tip is known; null when, at this tip, there is nothing to commit. */
    interface CommitBuilder {
        byte[] build(Tip tip);
    }

    /**
     * Appends one commit to the topic's chain, retrying at later sequences when other writers win.
     * Returns the commit as written (its entries carry the assigned base offsets).
     */
    Commit commit(TopicState state, String commitId, Iterable<Integer> partitions, CommitBuilder builder) {
        return commit(state, commitId, partitions, Map.of(), builder);
    }

    /**
     * As {@link #commit(TopicState, String, Iterable, CommitBuilder)}, giving the builder the producer
     * state of {@code producerIds} at each tip, so that a producer's batch is accepted or refused against
     * the chain exactly as it stands where the commit lands (DESIGN.md §9). Returns null when the
     * builder found nothing to commit.
     */
    Commit commit(TopicState state, String commitId, Iterable<Integer> partitions,
                  Map<Integer, ? extends java.util.Collection<Long>> producerIds, CommitBuilder builder) {
        if (stale(state)) {
            catchUp(state); // never write after a head whose successors may have been removed
        }
        for (int round = 1; round <= MAX_COMMIT_ROUNDS; round++) {
            Tip tip = state.tip(partitions, producerIds);
            byte[] bytes = builder.build(tip);
            if (bytes == null) {
                // Nothing to write: the builder refused or recognised everything against this tip. That
                // decision holds only if the tip is the chain's head; no create-if-absent checks it here,
                // so read the next commit: absent confirms the head, present means decide again.
                catchUp(state);
                if (state.headSequence() + 1 == tip.sequence()) {
                    return null;
                }
                continue;
            }
            String key = BucketLayout.commit(state.topicId(), tip.sequence());
            Optional<Commit> won = tryCreate(state, key, bytes, commitId);
            if (won.isPresent()) {
                return won.get();
            }
            retry.pause(Math.min(round, 4));
        }
        throw new FloeException(ErrorCode.CONCURRENT_UPDATE, "Could not append to the commit chain of topic id "
                + state.topicId() + " after " + MAX_COMMIT_ROUNDS + " rounds of contention; retry.");
    }

    /**
     * One round: create the commit at its sequence. Empty when someone else holds that sequence
     * (the state has then caught up past it).
     */
    private Optional<Commit> tryCreate(TopicState state, String key, byte[] bytes, String commitId) {
        for (int attempt = 1; attempt <= Retry.ATTEMPTS; attempt++) {
            try {
                long before = clock.millis();
                ObjectStore.WriteResult r = store.createIfAbsent(key, bytes);
                if (r.written()) {
                    Commit mine = CommitFormat.decode(bytes);
                    state.catchUpLock.lock();
                    try {
                        // A reader may have applied it already, having seen it in the bucket first.
                        if (state.headSequence() < mine.sequence()) {
                            applyOrCorrupt(state, mine, key, bytes);
                            if (attempt == 1) {
                                // Winning N on the first try means N-1 was the head when we started.
                                state.markRefreshed(before);
                            }
                        }
                    } finally {
                        state.catchUpLock.unlock();
                    }
                    return Optional.of(mine);
                }
                // Someone holds this sequence: us (an earlier attempt whose answer was lost) or
                // another writer. The object itself tells which (a concurrent catch-up on this
                // instance may already have applied it, so what our own catch-up applies cannot).
                Optional<byte[]> held = retry.call("read commit", () -> store.get(key))
                        .map(ObjectStore.StoredObject::content);
                Optional<Commit> holder = held.map(content -> decodeAt(key, content));
                holder.ifPresent(c -> applyIfNext(state, c, key, held.get())); // catch-up need not read it again
                catchUp(state);
                return holder.filter(c -> c.commitId().equals(commitId));
            } catch (StoreException e) {
                if (!e.retryable()) {
                    throw Retry.unavailable("write commit " + key, e);
                }
                // Outcome unknown: retry the same bytes at the same key; a Conflict then means
                // either our earlier attempt landed or we lost, and catch-up decides.
                retry.pause(attempt);
            }
        }
        throw new FloeException(ErrorCode.STORE_UNAVAILABLE,
                "The object store kept failing while writing commit " + key + "; retry later. Acknowledged data is safe.");
    }

    private void applyOrCorrupt(TopicState state, Commit c, String key, byte[] bytes) {
        try {
            state.apply(c, key, entry -> cache.putInline(entry, bytes));
        } catch (IllegalStateException e) {
            throw new FloeException(ErrorCode.CORRUPT_OBJECT, e.getMessage());
        }
    }

    /**
     * Writes a checkpoint of the state (if nobody wrote one at this sequence) and removes older
     * checkpoints beyond the newest two. Best effort: failures only delay the next instance's start.
     */
    void checkpoint(TopicState state) {
        Checkpoint cp = state.snapshot(clock.millis());
        if (cp.sequence() < 0) {
            return;
        }
        String topicId = state.topicId();
        retry.call("write checkpoint", () -> store.createIfAbsent(BucketLayout.checkpoint(topicId, cp.sequence()),
                CheckpointFormat.encode(cp)));
        List<ObjectStore.ObjectInfo> all = retry.call("list checkpoints",
                () -> store.list(BucketLayout.checkpointsPrefix(topicId), null, 1000));
        for (int i = 0; i < all.size() - 2; i++) {
            String old = all.get(i).key();
            retry.run("delete old checkpoint", () -> store.delete(old));
        }
    }
}
