package io.floe.store;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Wraps an {@link ObjectStore} and tells a {@link Listener} how long each request took, by
 * {@link Operation}, and whether it failed (threw). A lost race or a missing key is an answer, not a
 * failure. Thread-safe if the listener is.
 */
public final class TimedObjectStore implements ObjectStore {

    /** Hears of every request once it has answered. Called on the requesting thread; must be quick and not throw. */
    public interface Listener {
        /**
         * @param bytes the content a write sent or the length a ranged read asked for; 0 for other requests
         */
        void requestTook(Operation operation, long nanos, boolean failed, long bytes);
    }

    private final ObjectStore delegate;
    private final Listener listener;

    public TimedObjectStore(ObjectStore delegate, Listener listener) {
        this.delegate = delegate;
        this.listener = listener;
    }

    @Override
    public Optional<StoredObject> get(String key) {
        return timed(Operation.GET, 0, () -> delegate.get(key));
    }

    @Override
    public Optional<StoredObject> getRange(String key, long position, int length) {
        return timed(Operation.RANGE_GET, length, () -> delegate.getRange(key, position, length));
    }

    @Override
    public WriteResult createIfAbsent(String key, byte[] content) {
        return timed(Operation.CREATE_IF_ABSENT, content.length, () -> delegate.createIfAbsent(key, content));
    }

    @Override
    public WriteResult replaceIfMatch(String key, byte[] content, String expectedEtag) {
        return timed(Operation.REPLACE_IF_MATCH, content.length, () -> delegate.replaceIfMatch(key, content, expectedEtag));
    }

    @Override
    public String put(String key, byte[] content) {
        return timed(Operation.PUT, content.length, () -> delegate.put(key, content));
    }

    @Override
    public List<ObjectInfo> list(String prefix, String startAfter, int limit) {
        return timed(Operation.LIST, 0, () -> delegate.list(prefix, startAfter, limit));
    }

    @Override
    public void delete(String key) {
        timed(Operation.DELETE, 0, () -> {
            delegate.delete(key);
            return null;
        });
    }

    @Override
    public void close() {
        delegate.close();
    }

    private <T> T timed(Operation op, long bytes, Supplier<T> request) {
        // Latency for metrics only (nothing decides on it): the monotonic clock, not the injected one.
        long started = System.nanoTime();
        boolean failed = true;
        try {
            T answer = request.get();
            failed = false;
            return answer;
        } finally {
            listener.requestTook(op, System.nanoTime() - started, failed, bytes);
        }
    }
}
