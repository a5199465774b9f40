package io.floe.store;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * Wraps an {@link ObjectStore} and counts requests by {@link Operation} and bytes moved: what S3
 * bills. Used by benchmarks and cost reports. Thread-safe ({@link LongAdder}s); a request is counted
 * when it is sent, whether or not it succeeds; bytes are counted on success.
 */
public final class CountingObjectStore implements ObjectStore {

    /**
     * Counts at one moment.
     *
     * @param requests     requests per operation (every operation present)
     * @param bytesWritten content bytes sent by put, createIfAbsent and replaceIfMatch
     * @param bytesRead    content bytes received by get and getRange
     */
    public record Counts(Map<Operation, Long> requests, long bytesWritten, long bytesRead) {
        public Counts {
            requests = Map.copyOf(requests);
        }

        public long requests(Operation operation) {
            return requests.getOrDefault(operation, 0L);
        }

        public long totalRequests() {
            return requests.values().stream().mapToLong(Long::longValue).sum();
        }

        /** The counts accumulated since {@code earlier}. */
        public Counts minus(Counts earlier) {
            Map<Operation, Long> diff = new EnumMap<>(Operation.class);
            requests.forEach((op, n) -> diff.put(op, n - earlier.requests(op)));
            return new Counts(diff, bytesWritten - earlier.bytesWritten, bytesRead - earlier.bytesRead);
        }
    }

    private final ObjectStore delegate;
    private final Map<Operation, LongAdder> requests = new EnumMap<>(Operation.class);
    private final LongAdder bytesWritten = new LongAdder();
    private final LongAdder bytesRead = new LongAdder();

    public CountingObjectStore(ObjectStore delegate) {
        this.delegate = delegate;
        for (Operation op : Operation.values()) {
            requests.put(op, new LongAdder());   // filled once, read-only afterwards
        }
    }

    /** The counts so far. */
    public Counts snapshot() {
        Map<Operation, Long> r = new EnumMap<>(Operation.class);
        requests.forEach((op, n) -> r.put(op, n.sum()));
        return new Counts(r, bytesWritten.sum(), bytesRead.sum());
    }

    @Override
    public Optional<StoredObject> get(String key) {
        requests.get(Operation.GET).increment();
        return read(delegate.get(key));
    }

    @Override
    public Optional<StoredObject> getRange(String key, long position, int length) {
        requests.get(Operation.RANGE_GET).increment();
        return read(delegate.getRange(key, position, length));
    }

    @Override
    public WriteResult createIfAbsent(String key, byte[] content) {
        requests.get(Operation.CREATE_IF_ABSENT).increment();
        return written(delegate.createIfAbsent(key, content), content);
    }

    @Override
    public WriteResult replaceIfMatch(String key, byte[] content, String expectedEtag) {
        requests.get(Operation.REPLACE_IF_MATCH).increment();
        return written(delegate.replaceIfMatch(key, content, expectedEtag), content);
    }

    @Override
    public String put(String key, byte[] content) {
        requests.get(Operation.PUT).increment();
        String etag = delegate.put(key, content);
        bytesWritten.add(content.length);
        return etag;
    }

    @Override
    public List<ObjectInfo> list(String prefix, String startAfter, int limit) {
        requests.get(Operation.LIST).increment();
        return delegate.list(prefix, startAfter, limit);
    }

    @Override
    public void delete(String key) {
        requests.get(Operation.DELETE).increment();
        delegate.delete(key);
    }

    @Override
    public void close() {
        delegate.close();
    }

    private Optional<StoredObject> read(Optional<StoredObject> result) {
        result.ifPresent(o -> bytesRead.add(o.content().length));
        return result;
    }

    private WriteResult written(WriteResult result, byte[] content) {
        // A rejected conditional write still uploads its body to S3.
        bytesWritten.add(content.length);
        return result;
    }
}
