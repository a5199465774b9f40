package io.floe.bench;

import io.floe.store.ObjectStore;
import io.floe.store.Operation;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Wraps a store and records how long each request took, per {@link Operation}: where the write
 * path's time goes (the engine has one flush in flight, so its segment PUT plus commit PUT bound the
 * flush rate). Thread-safe: one synchronized {@link Samples} per operation.
 */
final class TimedObjectStore implements ObjectStore {

    private final ObjectStore delegate;
    private final Map<Operation, Samples> samples = new EnumMap<>(Operation.class);
    private final Map<Operation, long[]> bytes = new EnumMap<>(Operation.class);

    TimedObjectStore(ObjectStore delegate) {
        this.delegate = delegate;
        for (Operation op : Operation.values()) {
            samples.put(op, new Samples());
            bytes.put(op, new long[1]);
        }
    }

    /** Forgets everything recorded so far (end of warm-up). */
    void reset() {
        samples.values().forEach(Samples::clear);
        bytes.values().forEach(b -> {
            synchronized (b) {
                b[0] = 0;
            }
        });
    }

    Samples samples(Operation op) {
        return samples.get(op);
    }

    long bytes(Operation op) {
        long[] b = bytes.get(op);
        synchronized (b) {
            return b[0];
        }
    }

    private <T> T time(Operation op, long size, Supplier<T> call) {
        long t0 = System.nanoTime();
        try {
            return call.get();
        } finally {
            samples.get(op).add(System.nanoTime() - t0);
            long[] b = bytes.get(op);
            synchronized (b) {
                b[0] += size;
            }
        }
    }

    @Override
    public Optional<StoredObject> get(String key) {
        return time(Operation.GET, 0, () -> delegate.get(key));
    }

    @Override
    public Optional<StoredObject> getRange(String key, long position, int length) {
        return time(Operation.RANGE_GET, length, () -> delegate.getRange(key, position, length));
    }

    @Override
    public WriteResult createIfAbsent(String key, byte[] content) {
        return time(Operation.CREATE_IF_ABSENT, content.length, () -> delegate.createIfAbsent(key, content));
    }

    @Override
    public WriteResult replaceIfMatch(String key, byte[] content, String expectedEtag) {
        return time(Operation.REPLACE_IF_MATCH, content.length, () -> delegate.replaceIfMatch(key, content, expectedEtag));
    }

    @Override
    public String put(String key, byte[] content) {
        return time(Operation.PUT, content.length, () -> delegate.put(key, content));
    }

    @Override
    public List<ObjectInfo> list(String prefix, String startAfter, int limit) {
        return time(Operation.LIST, 0, () -> delegate.list(prefix, startAfter, limit));
    }

    @Override
    public void delete(String key) {
        time(Operation.DELETE, 0, () -> {
            delegate.delete(key);
            return null;
        });
    }

    @Override
    public void close() {
        delegate.close();
    }
}
