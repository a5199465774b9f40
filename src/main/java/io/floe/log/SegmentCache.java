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
                java.time.Duration.ofSeconds(60), clock);
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
        byte[] bytes;
        if (e.position() + e.length() <= prefixBytes) {
            byte[] prefix = prefixes.get(e.objectKey(), key -> CompletableFuture.supplyAsync(() -> bounded(prefixBytes,
                    () -> retry.call("read " + key, () -> store.getRange(key, 0, prefixBytes)))
                    .map(ObjectStore.StoredObject::content).orElseThrow(() -> new ObjectGone(e)), executor)).join();
            int end = (int) Math.min(prefix.length, e.position() + e.length());
            bytes = java.util.Arrays.copyOfRange(prefix, (int) Math.min(e.position(), end), end);
        } else {
            bytes = bounded(e.length(), () -> retry.call("read " + e.objectKey(),
                    () -> store.getRange(e.objectKey(), e.position(), e.length())))
                    .orElseThrow(() -> new ObjectGone(e))
                    .content();
        }
        if (bytes.length != e.length()) {
            throw new FloeException(ErrorCode.CORRUPT_OBJECT, "Object " + e.objectKey() + " is shorter than its index says: wanted "
                    + e.length() + " bytes at " + e.position() + ", got " + bytes.length + ".");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        RecordBatches.assignOffsets(buf, e.baseOffset());
        return buf.asReadOnlyBuffer();
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
