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
 */
final class SegmentCache {

    private final ObjectStore store;
    private final Retry retry;
    private final Executor executor;
    private final AsyncCache<IndexEntry, ByteBuffer> cache;

    SegmentCache(ObjectStore store, Retry retry, Executor executor, long maxBytes) {
        this.store = store;
        this.retry = retry;
        this.executor = executor;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((IndexEntry k, ByteBuffer v) -> v.capacity())
                .executor(executor)
                .buildAsync();
    }

    CompletableFuture<ByteBuffer> read(IndexEntry entry) {
        return cache.get(entry, (key, ex) -> CompletableFuture.supplyAsync(() -> load(key), executor))
                .thenApply(ByteBuffer::duplicate);
    }

    /** Caches an inline entry from the bytes of the commit object that carries it. */
    void putInline(IndexEntry entry, byte[] commitObject) {
        ByteBuffer copy = ByteBuffer.allocate(entry.length());
        copy.put(commitObject, (int) entry.position(), entry.length()).flip();
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
        byte[] bytes = retry.call("read " + e.objectKey(), () -> store.getRange(e.objectKey(), e.position(), e.length()))
                .orElseThrow(() -> new ObjectGone(e))
                .content();
        if (bytes.length != e.length()) {
            throw new FloeException(ErrorCode.CORRUPT_OBJECT, "Object " + e.objectKey() + " is shorter than its index says: wanted "
                    + e.length() + " bytes at " + e.position() + ", got " + bytes.length + ".");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        RecordBatches.assignOffsets(buf, e.baseOffset());
        return buf.asReadOnlyBuffer();
    }
}
