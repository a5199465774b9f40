package io.floe.log;

import io.floe.format.Checkpoint;
import io.floe.format.Commit;
import io.floe.format.IndexEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * What this instance knows of one topic's commit chain: the last commit applied and, per
 * partition, the offset index built from the checkpoint and the commits after it.
 *
 * <p>Thread-safe: every method takes the state's lock; none does I/O. Fetches waiting at the end
 * of a partition register a future here and are woken when a commit advances that partition.
 */
final class TopicState {

    private final String topicId;
    private final ReentrantLock lock = new ReentrantLock();
    /** Serialises reading the chain (catch-up) so two threads do not GET the same commits. */
    final ReentrantLock catchUpLock = new ReentrantLock();
    private final Map<Integer, PartitionIndex> partitions = new TreeMap<>();
    private final Map<Integer, List<CompletableFuture<Void>>> waiters = new TreeMap<>();
    private long headSequence;
    private long lastRefreshMs;

    private TopicState(String topicId, long headSequence) {
        this.topicId = topicId;
        this.headSequence = headSequence;
    }

    static TopicState empty(String topicId) {
        return new TopicState(topicId, -1);
    }

    static TopicState fromCheckpoint(String topicId, Checkpoint checkpoint) {
        TopicState s = new TopicState(topicId, checkpoint.sequence());
        for (Checkpoint.PartitionState p : checkpoint.partitions()) {
            s.partitions.put(p.partition(), restore(p));
        }
        return s;
    }

    private static PartitionIndex restore(Checkpoint.PartitionState p) {
        PartitionIndex index = new PartitionIndex(p.logStartOffset(), p.endOffset(), p.entries(), p.cleanedUpTo());
        index.producers(ProducerTable.restore(p.producers(), p.aborted()));
        return index;
    }

    /**
     * Replaces what this state knows by a newer checkpoint (used when the state is too old to be
     * caught up commit by commit: the commits it misses may have been removed). Does nothing if the
     * checkpoint is not newer. Waiting fetches are woken to look again.
     */
    void resetTo(Checkpoint checkpoint) {
        List<CompletableFuture<Void>> wake = new ArrayList<>();
        lock.lock();
        try {
            if (checkpoint.sequence() <= headSequence) {
                return;
            }
            partitions.clear();
            for (Checkpoint.PartitionState p : checkpoint.partitions()) {
                partitions.put(p.partition(), restore(p));
            }
            headSequence = checkpoint.sequence();
            waiters.values().forEach(wake::addAll);
            waiters.clear();
        } finally {
            lock.unlock();
        }
        wake.forEach(f -> f.complete(null));
    }

    String topicId() {
        return topicId;
    }

    /** The sequence of the last commit applied, -1 before the first. */
    long headSequence() {
        lock.lock();
        try {
            return headSequence;
        } finally {
            lock.unlock();
        }
    }

    long lastRefreshMs() {
        lock.lock();
        try {
            return lastRefreshMs;
        } finally {
            lock.unlock();
        }
    }

    void markRefreshed(long nowMs) {
        lock.lock();
        try {
            lastRefreshMs = Math.max(lastRefreshMs, nowMs);
        } finally {
            lock.unlock();
        }
    }

    long endOffset(int partition) {
        lock.lock();
        try {
            PartitionIndex p = partitions.get(partition);
            return p == null ? 0 : p.endOffset();
        } finally {
            lock.unlock();
        }
    }

    /**
     * What a commit needs to know, read under one lock so that it is consistent: the sequence it
     * would take, the end offsets of {@code partitions}, and a private copy of the producer state
     * of the producers named in {@code producerIds} (by partition).
     */
    Chain.Tip tip(Iterable<Integer> partitions, Map<Integer, ? extends java.util.Collection<Long>> producerIds) {
        lock.lock();
        try {
            Map<Integer, Long> ends = new TreeMap<>();
            Map<Integer, ProducerTable> tables = new TreeMap<>();
            for (int p : partitions) {
                PartitionIndex index = this.partitions.get(p);
                ends.put(p, index == null ? 0 : index.endOffset());
                var ids = producerIds.get(p);
                if (ids != null && !ids.isEmpty()) {
                    tables.put(p, index == null ? new ProducerTable() : index.producers().copyOf(ids));
                }
            }
            return new Chain.Tip(headSequence + 1, ends, tables);
        } finally {
            lock.unlock();
        }
    }

    /** The last stable offset, never below the log start (retention may pass an old open transaction, as in Kafka). */
    private static long lastStable(PartitionIndex p) {
        return Math.max(p.logStartOffset(), p.producers().lastStableOffset(p.endOffset()));
    }

    /** The producers {@code partition} knows (DescribeProducers): epoch, last runs, open transaction's first offset. */
    List<Checkpoint.Producer> producers(int partition) {
        lock.lock();
        try {
            PartitionIndex p = partitions.get(partition);
            return p == null ? List.of() : p.producers().producers();
        } finally {
            lock.unlock();
        }
    }

    /** Aborted transactions of {@code partition} overlapping {@code [from, to)}. */
    List<Checkpoint.AbortedTxn> abortedBetween(int partition, long from, long to) {
        lock.lock();
        try {
            PartitionIndex p = partitions.get(partition);
            return p == null ? List.of() : p.producers().abortedBetween(from, to);
        } finally {
            lock.unlock();
        }
    }

    PartitionOffsets offsets(int partition) {
        lock.lock();
        try {
            PartitionIndex p = partitions.get(partition);
            return p == null ? new PartitionOffsets(partition, 0, 0)
                    : new PartitionOffsets(partition, p.logStartOffset(), p.endOffset(), lastStable(p));
        } finally {
            lock.unlock();
        }
    }

    List<IndexEntry> entriesFrom(int partition, long offset, int maxBytes) {
        lock.lock();
        try {
            PartitionIndex p = partitions.get(partition);
            return p == null ? List.of() : p.entriesFrom(offset, maxBytes);
        } finally {
            lock.unlock();
        }
    }

    List<IndexEntry> allEntries(int partition) {
        lock.lock();
        try {
            PartitionIndex p = partitions.get(partition);
            return p == null ? List.of() : List.copyOf(p.entries());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Applies the next commit of the chain. Returns false (and changes nothing) when the commit is
     * not the next one, because another thread applied it first.
     *
     * @param commitKey   the key the commit was read from (inline entries live there)
     * @param onInlineEntry told about every inline entry, so its bytes can be cached
     */
    boolean apply(Commit commit, String commitKey, Consumer<IndexEntry> onInlineEntry) {
        List<CompletableFuture<Void>> wake = new ArrayList<>();
        lock.lock();
        try {
            if (commit.sequence() != headSequence + 1) {
                return false;
            }
            Map<Integer, Long> ends = new TreeMap<>(); // a partition may have several entries, back to back
            for (Commit.Entry e : commit.entries()) {
                PartitionIndex p = partitions.computeIfAbsent(e.partition(), k -> new PartitionIndex(0, 0, List.of()));
                long end = ends.getOrDefault(e.partition(), p.endOffset());
                if (e.baseOffset() != end) {
                    throw new IllegalStateException("Commit " + commitKey + " gives partition " + e.partition()
                            + " base offset " + e.baseOffset() + " but the chain ends at " + end);
                }
                ends.put(e.partition(), e.baseOffset() + e.offsetCount());
            }
            for (Commit.ProducerBatch b : commit.producerBatches()) {
                long end = ends.getOrDefault(b.partition(), -1L);
                if (b.lastOffset() >= end || !partitions.containsKey(b.partition())
                        || b.baseOffset() < partitions.get(b.partition()).endOffset()) {
                    throw new IllegalStateException("Commit " + commitKey + " names producer " + b.producerId()
                            + " batch at offsets [" + b.baseOffset() + ", " + b.lastOffset() + "] of partition "
                            + b.partition() + ", outside what the commit appends to it");
                }
            }
            for (Commit.Entry e : commit.entries()) {
                String objectKey = e.inline() ? commitKey : commit.segmentKey();
                IndexEntry entry = new IndexEntry(e.baseOffset(), e.offsetCount(), e.maxTimestamp(), objectKey,
                        e.position(), e.length());
                partitions.get(e.partition()).append(entry);
                if (e.inline()) {
                    onInlineEntry.accept(entry);
                }
                List<CompletableFuture<Void>> w = waiters.remove(e.partition());
                if (w != null) {
                    wake.addAll(w);
                }
            }
            for (Commit.ProducerBatch b : commit.producerBatches()) {
                partitions.get(b.partition()).producers().apply(b, commit.timestampMs());
            }
            if (!commit.producerBatches().isEmpty()) {
                for (int id : ends.keySet()) {
                    partitions.get(id).producers().expire(commit.timestampMs());
                }
            }
            for (Commit.Control c : commit.controls()) {
                applyControl(c, commitKey);
            }
            headSequence = commit.sequence();
        } finally {
            lock.unlock();
        }
        wake.forEach(f -> f.complete(null));
        return true;
    }

    /**
     * Applies one control of a commit. A control that does not fit the state it lands on (written by
     * a fenced janitor, or a bug) is skipped: every reader holds the same state at that sequence, so
     * every reader skips it alike, and the objects it names simply stay unreferenced.
     */
    private void applyControl(Commit.Control c, String commitKey) {
        PartitionIndex p = partitions.get(c.partition());
        boolean applied = p != null && switch (c) {
            case Commit.Truncate t -> p.truncate(t.newLogStartOffset());
            case Commit.Replace r -> p.replace(r.fromOffset(), r.toOffset(), r.entries(), r.cleanedUpTo());
        };
        if (!applied) {
            System.getLogger(TopicState.class.getName()).log(System.Logger.Level.DEBUG,
                    "Commit " + commitKey + " carries a control that does not fit the chain; skipped: " + c);
        }
    }

    /** The partitions' index as it is now, for the janitor. */
    Map<Integer, Maintenance.PartitionView> view() {
        lock.lock();
        try {
            Map<Integer, Maintenance.PartitionView> out = new TreeMap<>();
            partitions.forEach((id, p) -> out.put(id, new Maintenance.PartitionView(id, p.logStartOffset(), p.endOffset(),
                    p.cleanedUpTo(), List.copyOf(p.entries()), lastStable(p), p.producers().aborted())));
            return out;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Registers a fetch waiting for {@code partition} to grow past {@code offset}. The future is
     * completed at once if it already has.
     */
    CompletableFuture<Void> awaitBeyond(int partition, long offset) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        lock.lock();
        try {
            PartitionIndex p = partitions.get(partition);
            if (p != null && p.endOffset() > offset) {
                f.complete(null);
            } else {
                waiters.computeIfAbsent(partition, k -> new ArrayList<>()).add(f);
            }
        } finally {
            lock.unlock();
        }
        return f;
    }

    boolean hasWaiters() {
        lock.lock();
        try {
            waiters.values().removeIf(list -> {
                list.removeIf(CompletableFuture::isDone);
                return list.isEmpty();
            });
            return !waiters.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** A checkpoint of the state as it is now. */
    Checkpoint snapshot(long nowMs) {
        lock.lock();
        try {
            List<Checkpoint.PartitionState> ps = new ArrayList<>();
            partitions.forEach((id, p) -> ps.add(new Checkpoint.PartitionState(id, p.logStartOffset(), p.endOffset(),
                    List.copyOf(p.entries()), p.cleanedUpTo(), p.producers().producers(), p.producers().aborted())));
            return new Checkpoint(headSequence, nowMs, ps);
        } finally {
            lock.unlock();
        }
    }
}
