package io.floe.group;

import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Group commit of the synchronous offset commits of one key on this instance — a group (its object) or
 * a member (its offsets object, see {@link Offsets}), named "group" below: commits that arrive
 * while a write of the group's offsets is in flight wait for it, then the first of them writes all of
 * them in one compare-and-swap, and each is answered from its own part of that write. A commit is
 * answered only after the write that holds it succeeded (or with the error that stopped it), so
 * coalescing changes the number of writes, never what an answer means.
 *
 * <p>Without concurrency nothing changes: a lone commit finds the lock free and writes at once. Under
 * load a group's commits cost one write per round trip to the store instead of one per commit — a
 * kafka-python or Java consumer committing after every poll, many members on one instance.
 *
 * <p>Thread-safe: a group's queue is concurrent; the writing is serialised by the group's lock, and a
 * {@link Commit}'s outcome is set by the writer under that lock and read by its owner after taking it.
 */
final class SyncCommits {

    /** One synchronous commit waiting to be written; its outcome is filled in by whoever writes it. */
    static final class Commit {
        final OffsetCommit request;
        final Map<TopicPartition, CommittedOffset> offsets;
        private boolean done;
        private Map<TopicPartition, ErrorCode> refused = Map.of();
        private RuntimeException failure;

        Commit(OffsetCommit request, Map<TopicPartition, CommittedOffset> offsets) {
            this.request = request;
            this.offsets = offsets;
        }

        /** Written (the partitions in {@code refused} were not, and why). */
        void written(Map<TopicPartition, ErrorCode> refusedPartitions) {
            refused = new TreeMap<>(GroupDoc::compare);
            refused.putAll(refusedPartitions);
            failure = null;
            done = true;
        }

        /** Refused as a whole (a group-level error) or not written (the store failed). */
        void failed(RuntimeException e) {
            failure = e;
            done = true;
        }

        /** The partitions not committed, with why; throws the commit's group-level error. */
        Map<TopicPartition, ErrorCode> outcome() {
            if (!done) {
                throw new FloeException(ErrorCode.INTERNAL, "Offset commit of group '" + request.groupId()
                        + "' was never written.");
            }
            if (failure != null) {
                throw failure;
            }
            return refused;
        }
    }

    private record Slot(ReentrantLock lock, Queue<Commit> queue) {
    }

    private final Map<String, Slot> slots = new ConcurrentHashMap<>();

    /**
     * Writes {@code c} with the commits of its group queued meanwhile: {@code write} gets the batch (in
     * arrival order) and must settle every commit in it, or throw, which fails those it did not settle.
     * Returns when {@code c} is settled.
     */
    Map<TopicPartition, ErrorCode> commit(String groupId, Commit c, Consumer<List<Commit>> write) {
        Slot slot = slots.computeIfAbsent(groupId, g -> new Slot(new ReentrantLock(), new ConcurrentLinkedQueue<>()));
        slot.queue().add(c);
        slot.lock().lock();
        try {
            if (!c.done) {
                List<Commit> batch = new ArrayList<>();
                for (Commit next; (next = slot.queue().poll()) != null; ) {
                    batch.add(next);
                }
                try {
                    write.accept(batch);
                } catch (RuntimeException e) {
                    batch.stream().filter(b -> !b.done).forEach(b -> b.failed(e));
                }
                batch.stream().filter(b -> !b.done).forEach(b -> b.failed(new FloeException(ErrorCode.INTERNAL,
                        "Offset commit of group '" + groupId + "' was left unsettled by its write.")));
            }
        } finally {
            slot.lock().unlock();
        }
        return c.outcome();
    }
}
