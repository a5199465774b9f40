package io.floe.log;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.floe.format.IndexEntry;
import io.floe.format.RecordBatches;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.store.ObjectStore;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The bytes of committed index entries, with offsets already assigned, weighed in bytes.
 * Concurrent misses for one entry share one ranged GET (Caffeine's async cache keeps one
 * in-flight future per key). Thread-safe. Values are read-only; callers take duplicates.
 *
 * <p>An entry that lies within the first {@link #prefixBytes} of its object is read from that
 * prefix, fetched with one GET and kept briefly: one flush's segment (or commit) holds chunks of
 * many partitions side by side, so a consumer of several partitions reads them all with one
 * request instead of one per partition. Entries further in are read with their own ranged GET, so
 * a reader of one partition never downloads a large object whole.
 *
 * <p>An entry read from a prefix is a read-only view of the prefix's bytes (its offsets assigned in
 * place: each entry owns its own range), not a copy, for as long as the prefix is held; when the prefix
 * is dropped, the entries still cached as its views are replaced by copies of their bytes (D103). So
 * the memory held never exceeds the two caches' budgets, as when every entry was copied at once, and a
 * reader that reads an object while it is held (the common case: D29's multi-partition reader, the
 * read-ahead) copies nothing.
 */
final class SegmentCache {

    /** The smallest prefix: a whole flush object at the default {@code floe.flush.max-bytes}. */
    static final int MIN_PREFIX_BYTES = 8 << 20;
    /** The smallest budget of reads in flight. */
    static final int MIN_READS_IN_FLIGHT_BYTES = 32 << 20;

    /**
     * Entries ending within this many bytes of their object's start are served from its prefix:
     * a whole flush object (the larger of 8 MiB and {@code floe.flush.max-bytes}), so a reader of
     * all its partitions pays one GET for it (D29).
     */
    final int prefixBytes;
    /** At most this many bytes of reads in flight: concurrent read-ahead must not exhaust the heap. */
    final int readsInFlightBytes;

    private final ObjectStore store;
    private final Retry retry;
    private final Executor executor;
    private final AsyncCache<IndexEntry, ByteBuffer> cache;
    /** Object key to its first {@link #prefixBytes} (fewer when the object is shorter). */
    private final PrefixCache prefixes;
    /** Object key to the entries cached as views of its held prefix; taken when the prefix is dropped. */
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.Set<IndexEntry>> views =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** Keys of dropped prefixes whose views are still to be copied. */
    private final java.util.concurrent.ConcurrentLinkedQueue<String> droppedPrefixes = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** KiB of reads in flight; a read takes its requested length before it starts. */
    private final java.util.concurrent.Semaphore readBudget;

    /** Told of every read: served from memory (a hit) or loaded from the store (a miss). */
    private final java.util.function.Supplier<LogEvents> events;

    /**
     * @param flushBytes the largest flush object this deployment writes ({@code floe.flush.max-bytes})
     * @param events     told whether each read was a hit
     */
    SegmentCache(ObjectStore store, Retry retry, Executor executor, long maxBytes, int flushBytes,
                 java.util.function.Supplier<LogEvents> events) {
        this(store, retry, executor, maxBytes, flushBytes, events, java.time.Clock.systemUTC());
    }

    SegmentCache(ObjectStore store, Retry retry, Executor executor, long maxBytes, int flushBytes,
                 java.util.function.Supplier<LogEvents> events, java.time.Clock clock) {
        this.events = events;
        this.prefixBytes = Math.max(MIN_PREFIX_BYTES, flushBytes);
        this.readsInFlightBytes = Math.max(MIN_READS_IN_FLIGHT_BYTES, 2 * prefixBytes);
        this.readBudget = new java.util.concurrent.Semaphore(readsInFlightBytes >> 10);
        this.store = store;
        this.retry = retry;
        this.executor = executor;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((IndexEntry k, ByteBuffer v) -> v.capacity())
                .executor(executor)
                .buildAsync();
        this.prefixes = new PrefixCache(Math.max(4L * prefixBytes, Math.min(32L << 20, maxBytes / 3)),
                java.time.Duration.ofSeconds(60), clock, this::prefixDropped);
    }

    /**
     * The prefix of {@code objectKey} is no longer held. Noted only: it is told from within a load, which
     * may run inside the entry cache's own update of another key (a caller's executor may run it in
     * place), where the cache must not be changed. {@link #copyDroppedViews} does the work, after each
     * read and when a load completes.
     */
    private void prefixDropped(String objectKey) {
        droppedPrefixes.add(objectKey);
    }

    /** The entries still cached as views of dropped prefixes become copies, so they no longer hold them. */
    private void copyDroppedViews() {
        for (String key; (key = droppedPrefixes.poll()) != null; ) {
            java.util.Set<IndexEntry> entries = views.remove(key);
            if (entries != null) {
                for (IndexEntry e : entries) {
                    cache.asMap().computeIfPresent(e, (k, bytes) -> bytes.thenApply(SegmentCache::copyOf));
                }
            }
        }
    }

    private static ByteBuffer copyOf(ByteBuffer view) {
        ByteBuffer copy = ByteBuffer.allocate(view.remaining());
        copy.put(view.duplicate()).flip();
        return copy.asReadOnlyBuffer();
    }

    /**
     * The entry's bytes, from memory or read from the store. A read that finds the entry in memory,
     * or joins a load already in flight, is a hit; one that starts a load is a miss (the load may
     * still be served from a prefix another entry fetched: the miss counts the entry, not requests).
     */
    CompletableFuture<ByteBuffer> read(IndexEntry entry) {
        boolean[] loads = {false};
        CompletableFuture<ByteBuffer> f = cache.get(entry, (key, ex) -> {
            loads[0] = true;
            return CompletableFuture.supplyAsync(() -> load(key), executor);
        });
        events.get().cacheRead(!loads[0]);
        copyDroppedViews();
        if (loads[0]) {
            f.whenComplete((bytes, error) -> copyDroppedViews()); // what this load dropped, even if no read follows
        }
        return f.thenApply(ByteBuffer::duplicate);
    }

    /** Caches an inline entry from the bytes of the commit object that carries it. */
    void putInline(IndexEntry entry, byte[] commitObject) {
        ByteBuffer copy = ByteBuffer.allocate(entry.length());
        copy.put(commitObject, (int) entry.position(), entry.length()).flip();
        RecordBatches.assignOffsets(copy, entry.baseOffset());
        cache.put(entry, CompletableFuture.completedFuture(copy.asReadOnlyBuffer()));
    }

    /**
     * Caches the bytes of an entry this instance has just written to a segment, before its commit
     * is attempted: a consumer at the tail on this instance then reads them without a GET (as a
     * Kafka consumer reads from its leader's page cache). If the commit attempt loses, the entry is
     * never named by the chain and simply ages out.
     */
    void putWritten(IndexEntry entry, ByteBuffer bytes) {
        ByteBuffer copy = ByteBuffer.allocate(entry.length());
        copy.put(bytes.duplicate()).flip();
        RecordBatches.assignOffsets(copy, entry.baseOffset());
        cache.put(entry, CompletableFuture.completedFuture(copy.asReadOnlyBuffer()));
    }

    /**
     * The object an index entry names is gone: the janitor removed it after replacing or truncating
     * the entry (a grace period after), so the state that named it is older than the chain.
     */
    static final class ObjectGone extends FloeException {
        ObjectGone(IndexEntry e) {
            super(ErrorCode.STORE_UNAVAILABLE, "Object " + e.objectKey() + " holding offsets " + e.baseOffset() + ".."
                    + (e.nextOffset() - 1) + " is gone (removed by retention, merging or compaction); fetch again.");
        }

        static boolean causes(Throwable t) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                if (c instanceof ObjectGone) {
                    return true;
                }
            }
            return false;
        }
    }

    private ByteBuffer load(IndexEntry e) {
        if (e.position() + e.length() <= prefixBytes) {
            byte[] prefix = prefixes.get(e.objectKey(), key -> CompletableFuture.supplyAsync(() -> bounded(prefixBytes,
                    () -> retry.call("read " + key, () -> store.getRange(key, 0, prefixBytes)))
                    .map(ObjectStore.StoredObject::content).orElseThrow(() -> new ObjectGone(e)), executor)).join();
            int end = (int) Math.min(prefix.length, e.position() + e.length());
            int start = (int) Math.min(e.position(), end);
            checkLength(e, end - start);
            ByteBuffer view = ByteBuffer.wrap(prefix, start, end - start).slice();
            // In place: the bytes of this entry are its alone, and every load of it writes the same offsets.
            RecordBatches.assignOffsets(view, e.baseOffset());
            if (prefixes.whileHeld(e.objectKey(), prefix,
                    () -> views.computeIfAbsent(e.objectKey(), k -> java.util.concurrent.ConcurrentHashMap.newKeySet()).add(e))) {
                return view.asReadOnlyBuffer();
            }
            return copyOf(view); // the prefix is already dropped: do not keep it alive
        }
        byte[] bytes = bounded(e.length(), () -> retry.call("read " + e.objectKey(),
                () -> store.getRange(e.objectKey(), e.position(), e.length())))
                .orElseThrow(() -> new ObjectGone(e))
                .content();
        checkLength(e, bytes.length);
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        RecordBatches.assignOffsets(buf, e.baseOffset());
        return buf.asReadOnlyBuffer();
    }

    private static void checkLength(IndexEntry e, int got) {
        if (got != e.length()) {
            throw new FloeException(ErrorCode.CORRUPT_OBJECT, "Object " + e.objectKey() + " is shorter than its index says: wanted "
                    + e.length() + " bytes at " + e.position() + ", got " + got + ".");
        }
    }

    /** Runs a read of up to {@code bytes} once that many bytes of reads in flight are free. */
    private <T> T bounded(int bytes, java.util.function.Supplier<T> read) {
        int permits = Math.max(1, Math.min(readsInFlightBytes, bytes) >> 10);
        readBudget.acquireUninterruptibly(permits);
        try {
            return read.get();
        } finally {
            readBudget.release(permits);
        }
    }
}
