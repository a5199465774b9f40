package io.floe.log;

import io.floe.format.IndexEntry;
import io.floe.format.RecordBatches;
import io.floe.model.OffsetOutOfRangeException;
import io.floe.model.Topic;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The read path (DESIGN.md §5): from a partition's index to cached, offset-assigned batches, and
 * the long poll at the end of the log. A fetch never returns uncommitted data (invariant 3): the
 * index only ever holds entries of commits that exist in the bucket.
 *
 * <p>Thread-safe. Waiting fetches are woken by {@link TopicState#apply} (local commits and
 * catch-ups) or by their timeout on the scheduler.
 */
final class Reader {

    /** How far ahead of a fetch the next entries of its partition are loaded into the cache. */
    static final int READ_AHEAD_BYTES = 4 << 20;

    private final Chain chain;
    private final SegmentCache cache;
    private final Clock clock;
    private final Duration pollInterval;
    private final ScheduledExecutorService scheduler; // null: never wait (simulation)

    Reader(Chain chain, SegmentCache cache, Clock clock, Duration pollInterval, ScheduledExecutorService scheduler) {
        this.chain = chain;
        this.cache = cache;
        this.clock = clock;
        this.pollInterval = pollInterval;
        this.scheduler = scheduler;
    }

    /** Catches up with other instances' commits if the state was last refreshed over a poll interval ago. */
    void refreshIfStale(TopicState state) {
        if (clock.millis() - state.lastRefreshMs() >= pollInterval.toMillis()) {
            chain.catchUp(state);
        }
    }

    /**
     * Catches up unless a catch-up started at or after {@code asOfMs} (a request's arrival): every
     * commit acknowledged before the request is then visible, and concurrent requests share reads.
     */
    void refreshSince(TopicState state, long asOfMs) {
        if (state.lastRefreshMs() < asOfMs) {
            chain.catchUp(state);
        }
    }

    PartitionOffsets offsets(Topic topic, TopicState state, int partition) {
        topic.checkPartition(partition);
        refreshSince(state, clock.millis());
        return state.offsets(partition);
    }

    /**
     * @param thenWaits the caller will wait for more (with a waiting fetch) if this one finds nothing
     */
    CompletableFuture<FetchResult> fetch(Topic topic, TopicState state, int partition, long offset, int maxBytes,
                                         Duration maxWait, boolean thenWaits, IsolationLevel isolation) {
        topic.checkPartition(partition);
        long asOf = clock.millis();
        PartitionOffsets range = state.offsets(partition);
        boolean mayWait = scheduler != null && !maxWait.isZero() && !maxWait.isNegative();
        if (offset > range.endOffset() || (offset == range.endOffset() && !mayWait && !thenWaits)) {
            refreshSince(state, asOf);
            range = state.offsets(partition);
        } else if (offset == range.endOffset()) {
            // A fetch at the end that may wait does not read the chain head itself: this instance's
            // commits wake it at once and the poll timer brings other instances' within a poll
            // interval. Reading the head on every such fetch cost a GET per fetch of every tail
            // consumer — most of Floe's requests per GiB consumed (docs/BENCHMARKS.md, T4).
            refreshIfStale(state);
            range = state.offsets(partition);
        }
        if (offset < range.logStartOffset() || offset > range.endOffset()) {
            throw new OffsetOutOfRangeException(topic.name(), partition, offset, range.logStartOffset(), range.endOffset());
        }
        if (offset >= range.readableEnd(isolation) && mayWait) {
            // At the end (or, read_committed, at the last stable offset): wait for the partition to grow.
            CompletableFuture<Void> grown = state.awaitBeyond(partition, range.endOffset());
            return grown.completeOnTimeout(null, maxWait.toMillis(), TimeUnit.MILLISECONDS)
                    .thenCompose(x -> read(topic, state, partition, offset, maxBytes, isolation));
        }
        return read(topic, state, partition, offset, maxBytes, isolation);
    }

    /**
     * Reads, and if an object the state named is gone (the janitor removed it a grace period after
     * the chain stopped naming it), catches up with the chain and reads once more from the new index.
     */
    private CompletableFuture<FetchResult> read(Topic topic, TopicState state, int partition, long offset, int maxBytes,
                                                IsolationLevel isolation) {
        return readOnce(topic, state, partition, offset, maxBytes, isolation).handle((r, e) -> {
            if (e == null) {
                return CompletableFuture.completedFuture(r);
            }
            if (!SegmentCache.ObjectGone.causes(e)) {
                return CompletableFuture.<FetchResult>failedFuture(e);
            }
            chain.catchUp(state);
            PartitionOffsets now = state.offsets(partition);
            if (offset < now.logStartOffset()) {
                throw new OffsetOutOfRangeException(topic.name(), partition, offset, now.logStartOffset(), now.endOffset());
            }
            return readOnce(topic, state, partition, offset, maxBytes, isolation);
        }).thenCompose(f -> f);
    }

    private CompletableFuture<FetchResult> readOnce(Topic topic, TopicState state, int partition, long offset, int maxBytes,
                                                    IsolationLevel isolation) {
        PartitionOffsets range = state.offsets(partition);
        long readable = range.readableEnd(isolation);
        if (offset >= readable) {
            return CompletableFuture.completedFuture(new FetchResult(topic.name(), partition, offset,
                    range.logStartOffset(), range.endOffset(), List.of(), range.lastStableOffset(), List.of()));
        }
        List<IndexEntry> entries = state.entriesFrom(partition, offset, Math.max(1, maxBytes));
        List<CompletableFuture<ByteBuffer>> reads = new ArrayList<>();
        for (IndexEntry e : entries) {
            reads.add(cache.read(e));
        }
        readAhead(state, partition, entries);
        PartitionOffsets at = range;
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(x -> {
            List<ByteBuffer> batches = new ArrayList<>();
            for (CompletableFuture<ByteBuffer> r : reads) {
                batches.add(r.join());
            }
            if (!batches.isEmpty()) {
                batches.set(0, RecordBatches.fromOffset(batches.get(0), offset));
            }
            trimTo(batches, maxBytes);
            List<FetchResult.AbortedTransaction> aborted = List.of();
            if (isolation == IsolationLevel.READ_COMMITTED) {
                cutAt(batches, readable);
                long end = offset;
                for (ByteBuffer b : batches) {
                    end = Math.max(end, RecordBatches.nextOffset(b));
                }
                aborted = state.abortedBetween(partition, offset, end).stream()
                        .map(a -> new FetchResult.AbortedTransaction(a.producerId(), a.firstOffset(), a.lastOffset())).toList();
            }
            return new FetchResult(topic.name(), partition, offset, at.logStartOffset(), at.endOffset(), batches,
                    at.lastStableOffset(), aborted);
        });
    }

    /**
     * Consumers read a partition front to back, each waiting for its fetch before sending the next:
     * start loading the next {@link #READ_AHEAD_BYTES} into the cache now, so that the next fetch
     * finds them there instead of waiting for a GET. Failures are ignored (the fetch that needs the
     * bytes reads them again). Not in simulation (no background threads), to keep its reads minimal.
     */
    private void readAhead(TopicState state, int partition, List<IndexEntry> read) {
        if (scheduler == null || read.isEmpty()) {
            return;
        }
        // At most one object ahead: a flush object holds every partition's chunk, so reading further
        // ahead on each partition of a consumer keeps many whole objects in play, more than the cache
        // of objects holds, and they are read again (docs/BENCHMARKS.md, "Objects still read more than once").
        String object = null;
        for (IndexEntry next : state.entriesFrom(partition, read.get(read.size() - 1).nextOffset(), READ_AHEAD_BYTES)) {
            if (object != null && !object.equals(next.objectKey())) {
                break;
            }
            object = next.objectKey();
            cache.read(next).exceptionally(e -> null);
        }
    }

    /** read_committed: drops every batch at or after {@code lastStable} (a batch never straddles it). */
    static void cutAt(List<ByteBuffer> batches, long lastStable) {
        for (int i = 0; i < batches.size(); i++) {
            ByteBuffer kept = RecordBatches.below(batches.get(i), lastStable);
            if (kept.remaining() < batches.get(i).remaining()) {
                batches.set(i, kept);
                batches.subList(kept.hasRemaining() ? i + 1 : i, batches.size()).clear();
                return;
            }
        }
    }

    /** Cuts the batches at a batch boundary so that they total at most {@code maxBytes} (at least one batch). */
    static void trimTo(List<ByteBuffer> batches, int maxBytes) {
        long total = 0;
        for (int i = 0; i < batches.size(); i++) {
            ByteBuffer b = batches.get(i);
            if (total + b.remaining() <= maxBytes) {
                total += b.remaining();
                continue;
            }
            ByteBuffer cut = RecordBatches.upTo(b, (int) Math.max(0, maxBytes - total));
            if (total > 0 && cut.remaining() > maxBytes - total) {
                cut = cut.limit(0).slice(); // only the very first batch may exceed the limit
            }
            batches.subList(i + 1, batches.size()).clear();
            if (cut.hasRemaining()) {
                batches.set(i, cut);
            } else {
                batches.remove(i);
            }
            return;
        }
    }

    /** The first offset with timestamp >= {@code timestampMs}, or -1. */
    long offsetForTimestamp(Topic topic, TopicState state, int partition, long timestampMs) {
        topic.checkPartition(partition);
        refreshSince(state, clock.millis());
        for (IndexEntry e : state.allEntries(partition)) {
            if (e.maxTimestamp() >= timestampMs) {
                ByteBuffer bytes;
                try {
                    bytes = cache.read(e).join();
                } catch (RuntimeException gone) {
                    if (!SegmentCache.ObjectGone.causes(gone)) {
                        throw gone;
                    }
                    chain.catchUp(state);
                    return offsetForTimestamp(topic, state, partition, timestampMs);
                }
                long found = RecordBatches.offsetForTimestamp(bytes, timestampMs);
                if (found >= 0) {
                    return found;
                }
            }
        }
        return -1;
    }
}
