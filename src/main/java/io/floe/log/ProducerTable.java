package io.floe.log;

import io.floe.format.Checkpoint;
import io.floe.format.Commit;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One partition's producer state (DESIGN.md §9), derived only from committed {@link Commit.ProducerBatch}es
 * and checkpoints: per producer id its epoch, its last {@link #CACHED} batches (sequences and offsets)
 * and the first offset of its open transaction; and the aborted transactions' offset ranges. Every
 * instance that has applied the chain up to commit N holds the same table, so a batch checked
 * against the table at N is accepted or refused exactly as every other instance would.
 *
 * <p>Not thread-safe: owned by its {@link PartitionIndex} under the {@link TopicState}'s lock, or a
 * private copy ({@link #copyOf}) owned by one commit attempt.
 */
final class ProducerTable {

    /** Batches remembered per producer, as Kafka (max.in.flight.requests.per.connection <= 5). */
    static final int CACHED = 5;
    /** A producer with no batch for this long (and no open transaction) is forgotten: Kafka's producer.id.expiration.ms. */
    static final long EXPIRATION_MS = 86_400_000L;

    /**
     * A batch of a producer, before offsets are assigned: what the write buffer knows of it.
     *
     * @param transactionalId the producer's transactional id as its produce request named it, for a
     *                        transactional batch from the Kafka door (null otherwise): such a batch is
     *                        verified with the coordinator before it starts a transaction (KIP-890)
     */
    record Append(long producerId, short epoch, int firstSeq, int lastSeq, Commit.BatchKind kind, String transactionalId) {
    }

    /** The outcome of checking an append against the table. */
    sealed interface Decision {
    }

    /** New: append it. */
    record Accept() implements Decision {
    }

    /** A retry of a batch committed at {@code baseOffset}: answer that offset, write nothing. */
    record Duplicate(long baseOffset) implements Decision {
    }

    /** Refused with {@code error}; write nothing. */
    record Refuse(FloeException error) implements Decision {
    }

    private static final class Entry {
        short epoch;
        long lastCommitMs;
        long txnFirstOffset = -1;
        final Deque<Checkpoint.SeqRange> batches = new ArrayDeque<>();

        Entry copy() {
            Entry e = new Entry();
            e.epoch = epoch;
            e.lastCommitMs = lastCommitMs;
            e.txnFirstOffset = txnFirstOffset;
            e.batches.addAll(batches);
            return e;
        }
    }

    /**
     * Simulation only: takes out the fix of issue 12's fault 2 — a retry of a committed batch is
     * accepted as new, as when the front door forgot a batch whose commit had an unknown outcome.
     */
    static volatile boolean acceptRetriesAsNew;

    private final Map<Long, Entry> producers = new HashMap<>();
    private final List<Checkpoint.AbortedTxn> aborted = new ArrayList<>();

    ProducerTable() {
    }

    static ProducerTable restore(List<Checkpoint.Producer> producers, List<Checkpoint.AbortedTxn> aborted) {
        ProducerTable t = new ProducerTable();
        for (Checkpoint.Producer p : producers) {
            Entry e = new Entry();
            e.epoch = p.epoch();
            e.lastCommitMs = p.lastCommitMs();
            e.txnFirstOffset = p.txnFirstOffset();
            e.batches.addAll(p.batches());
            t.producers.put(p.producerId(), e);
        }
        t.aborted.addAll(aborted);
        return t;
    }

    /** A private copy of the entries of {@code producerIds} (enough to check a commit's appends). */
    ProducerTable copyOf(Collection<Long> producerIds) {
        ProducerTable t = new ProducerTable();
        for (long id : producerIds) {
            Entry e = producers.get(id);
            if (e != null) {
                t.producers.put(id, e.copy());
            }
        }
        return t;
    }

    /**
     * Checks an append as Kafka's broker does (ProducerAppendInfo): an older epoch is fenced; a new
     * epoch starts at sequence 0; in the same epoch a batch equal to a cached one is a duplicate and
     * any other must continue the last sequence. A producer the table does not know (new, or expired)
     * may start anywhere, as in Kafka. Markers carry no sequence: only their epoch is checked.
     */
    Decision check(Append a) {
        Entry e = producers.get(a.producerId());
        if (e == null) {
            return new Accept();
        }
        if (a.epoch() < e.epoch) {
            return new Refuse(new FloeException(ErrorCode.INVALID_PRODUCER_EPOCH, "Producer " + a.producerId() + " epoch "
                    + a.epoch() + " is older than the current epoch " + e.epoch + "."));
        }
        if (a.kind().marker()) {
            return new Accept();
        }
        if (a.epoch() > e.epoch) {
            return a.firstSeq() == 0 ? new Accept() : outOfOrder(a, 0);
        }
        for (Checkpoint.SeqRange b : e.batches) {
            if (b.firstSeq() == a.firstSeq() && b.lastSeq() == a.lastSeq()) {
                return acceptRetriesAsNew ? new Accept() : new Duplicate(b.baseOffset());
            }
        }
        Checkpoint.SeqRange last = e.batches.peekLast();
        int expected = last == null ? 0 : nextSequence(last.lastSeq());
        if (a.firstSeq() == expected) {
            return new Accept();
        }
        Checkpoint.SeqRange first = e.batches.peekFirst();
        if (first != null && a.firstSeq() >= first.firstSeq() && a.firstSeq() < expected) {
            return new Refuse(new FloeException(ErrorCode.DUPLICATE_SEQUENCE, "Sequence " + a.firstSeq() + " of producer "
                    + a.producerId() + " was already written."));
        }
        return outOfOrder(a, expected);
    }

    private static Refuse outOfOrder(Append a, int expected) {
        return new Refuse(new FloeException(ErrorCode.OUT_OF_ORDER_SEQUENCE, "Producer " + a.producerId() + " epoch "
                + a.epoch() + " sent sequence " + a.firstSeq() + "; expected " + expected + "."));
    }

    /** Whether the producer, at {@code epoch}, has a transaction open on this partition. */
    boolean inTransaction(long producerId, short epoch) {
        Entry e = producers.get(producerId);
        return e != null && e.epoch == epoch && e.txnFirstOffset >= 0;
    }

    /** Whether the table knows the producer (a batch of it is within the expiration window). */
    boolean knows(long producerId) {
        return producers.containsKey(producerId);
    }

    /** Applies a committed batch; {@code commitMs} is its commit's timestamp. */
    void apply(Commit.ProducerBatch b, long commitMs) {
        Entry e = producers.computeIfAbsent(b.producerId(), k -> new Entry());
        if (b.epoch() > e.epoch) {
            e.batches.clear(); // a new epoch starts its sequences again
            e.epoch = b.epoch();
        }
        e.lastCommitMs = Math.max(e.lastCommitMs, commitMs);
        if (b.kind().marker()) {
            if (e.txnFirstOffset >= 0 && b.kind() == Commit.BatchKind.ABORT_MARKER) {
                aborted.add(new Checkpoint.AbortedTxn(b.producerId(), e.txnFirstOffset, b.lastOffset()));
            }
            e.txnFirstOffset = -1;
            return;
        }
        if (b.kind() == Commit.BatchKind.TRANSACTIONAL && e.txnFirstOffset < 0) {
            e.txnFirstOffset = b.baseOffset();
        }
        e.batches.addLast(new Checkpoint.SeqRange(b.firstSeq(), b.lastSeq(), b.baseOffset(), b.lastOffset()));
        while (e.batches.size() > CACHED) {
            e.batches.removeFirst();
        }
    }

    /** Forgets producers idle for {@link #EXPIRATION_MS} before {@code nowMs} that have no open transaction. */
    void expire(long nowMs) {
        producers.values().removeIf(e -> e.txnFirstOffset < 0 && e.lastCommitMs < nowMs - EXPIRATION_MS);
    }

    /** Drops aborted ranges wholly below the new log start (retention). */
    void truncate(long logStartOffset) {
        aborted.removeIf(a -> a.lastOffset() < logStartOffset);
    }

    /** The last stable offset: the first offset of the oldest open transaction, else {@code highWatermark}. */
    long lastStableOffset(long highWatermark) {
        long lso = highWatermark;
        for (Entry e : producers.values()) {
            if (e.txnFirstOffset >= 0) {
                lso = Math.min(lso, e.txnFirstOffset);
            }
        }
        return lso;
    }

    /** Aborted transactions overlapping {@code [from, to)}, by first offset (what a read_committed Fetch returns). */
    List<Checkpoint.AbortedTxn> abortedBetween(long from, long to) {
        List<Checkpoint.AbortedTxn> out = new ArrayList<>();
        for (Checkpoint.AbortedTxn a : aborted) {
            if (a.lastOffset() >= from && a.firstOffset() < to) {
                out.add(a);
            }
        }
        out.sort(java.util.Comparator.comparingLong(Checkpoint.AbortedTxn::firstOffset));
        return out;
    }

    List<Checkpoint.Producer> producers() {
        List<Checkpoint.Producer> out = new ArrayList<>(producers.size());
        producers.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(en -> {
            Entry e = en.getValue();
            out.add(new Checkpoint.Producer(en.getKey(), e.epoch, e.lastCommitMs, e.txnFirstOffset, List.copyOf(e.batches)));
        });
        return out;
    }

    List<Checkpoint.AbortedTxn> aborted() {
        return List.copyOf(aborted);
    }

    static int nextSequence(int seq) {
        return seq == Integer.MAX_VALUE ? 0 : seq + 1;
    }
}
