package io.floe.api.kafka;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.apache.kafka.common.protocol.Errors;

/**
 * Idempotent-producer state per partition: for each producer id, its epoch and its last
 * {@link #CACHED} batches (first and last sequence, base offset). A batch whose sequences match a
 * cached one is a retry: it is not appended again and is answered with the original offset. A
 * batch that does not continue the sequence is refused with OUT_OF_ORDER_SEQUENCE_NUMBER.
 *
 * <p><b>Where the state lives.</b> The truth is in the bucket: every committed batch carries its
 * producer id, epoch and sequences in its header. This table is a cache of it. When an instance
 * sees a producer for the first time on a partition (after a restart, or because the producer's
 * previous instance died mid-request and the client reconnected elsewhere), it first rebuilds that
 * producer's entry from the tail of the partition ({@link Recovery}), so a retry of a batch
 * committed by another instance is still recognised. A producer only talks to one instance at a
 * time, so the local table then stays authoritative for it.
 *
 * <p>Thread-safe: one lock per partition, held while a batch is checked and handed to the engine
 * (which buffers on the caller's thread), so checks and appends of one partition are serialised.
 */
final class ProducerStates {

    /** Batches remembered per producer, as Kafka (max.in.flight.requests.per.connection <= 5). */
    static final int CACHED = 5;

    /** A batch already in the log (or on its way there). */
    record Batch(short epoch, int firstSeq, int lastSeq, CompletableFuture<Long> baseOffset) {
    }

    /** Reads a producer's last batches from the committed log of a partition, oldest first. */
    interface Recovery {
        List<Batch> lastBatches(long producerId);
    }

    private record Key(String topicId, int partition) {
    }

    private static final class Entry {
        short epoch;
        final Deque<Batch> batches = new ArrayDeque<>();
    }

    private static final class PartitionState {
        final ReentrantLock lock = new ReentrantLock();
        final Map<Long, Entry> producers = new HashMap<>();
    }

    private final Map<Key, PartitionState> partitions = new ConcurrentHashMap<>();

    /**
     * Checks an idempotent batch run and appends it through {@code append} when it is new.
     *
     * @return the base offset future: the new append's, or the original's for a retry
     * @throws org.apache.kafka.common.errors.ApiException OUT_OF_ORDER_SEQUENCE_NUMBER,
     *         DUPLICATE_SEQUENCE_NUMBER or INVALID_PRODUCER_EPOCH
     */
    CompletableFuture<Long> append(String topicId, int partition, long producerId, short epoch, int firstSeq,
                                   int lastSeq, Recovery recovery, Supplier<CompletableFuture<Long>> append) {
        PartitionState state = partitions.computeIfAbsent(new Key(topicId, partition), k -> new PartitionState());
        state.lock.lock();
        try {
            Entry entry = state.producers.get(producerId);
            if (entry == null) {
                entry = recover(recovery.lastBatches(producerId));
                if (entry != null) {
                    state.producers.put(producerId, entry);
                }
            }
            if (entry != null) {
                if (epoch < entry.epoch) {
                    throw Errors.INVALID_PRODUCER_EPOCH.exception("Producer " + producerId + " epoch " + epoch
                            + " is older than the current epoch " + entry.epoch + ".");
                }
                if (epoch > entry.epoch) {
                    if (firstSeq != 0) {
                        throw Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.exception("Producer " + producerId + " starts epoch "
                                + epoch + " at sequence " + firstSeq + "; expected 0.");
                    }
                    entry.epoch = epoch;
                    entry.batches.clear();
                } else {
                    for (Batch b : entry.batches) {
                        if (b.firstSeq() == firstSeq && b.lastSeq() == lastSeq) {
                            return b.baseOffset(); // a retry: already appended
                        }
                    }
                    Batch last = entry.batches.peekLast();
                    if (last != null) {
                        int expected = nextSequence(last.lastSeq());
                        if (firstSeq != expected) {
                            Batch first = entry.batches.peekFirst();
                            if (firstSeq >= first.firstSeq() && firstSeq < expected) {
                                throw Errors.DUPLICATE_SEQUENCE_NUMBER.exception("Sequence " + firstSeq
                                        + " of producer " + producerId + " was already written.");
                            }
                            throw Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.exception("Producer " + producerId + " sent sequence "
                                    + firstSeq + "; expected " + expected + ".");
                        }
                    }
                }
            } else {
                // Unknown producer (new, or its state is older than what we keep): accept, as Kafka does.
                entry = new Entry();
                entry.epoch = epoch;
                state.producers.put(producerId, entry);
            }
            CompletableFuture<Long> base = append.get();
            Batch batch = new Batch(epoch, firstSeq, lastSeq, base);
            entry.batches.addLast(batch);
            while (entry.batches.size() > CACHED) {
                entry.batches.removeFirst();
            }
            Entry owner = entry;
            base.whenComplete((offset, failure) -> {
                if (failure != null) {
                    forget(state, owner, batch);
                }
            });
            return base;
        } finally {
            state.lock.unlock();
        }
    }

    /** A failed append is not in the log: forget it and what followed, so the client's retry is accepted. */
    private static void forget(PartitionState state, Entry entry, Batch failed) {
        state.lock.lock();
        try {
            List<Batch> keep = new ArrayList<>();
            for (Batch b : entry.batches) {
                if (b == failed) {
                    break;
                }
                keep.add(b);
            }
            entry.batches.clear();
            entry.batches.addAll(keep);
        } finally {
            state.lock.unlock();
        }
    }

    private static Entry recover(List<Batch> batches) {
        if (batches.isEmpty()) {
            return null;
        }
        Entry e = new Entry();
        e.epoch = batches.getLast().epoch();
        for (Batch b : batches) {
            if (b.epoch() == e.epoch) {
                e.batches.addLast(b);
            }
        }
        while (e.batches.size() > CACHED) {
            e.batches.removeFirst();
        }
        return e;
    }

    static int nextSequence(int seq) {
        return seq == Integer.MAX_VALUE ? 0 : seq + 1;
    }
}
