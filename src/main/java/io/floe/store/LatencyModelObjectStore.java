package io.floe.store;

import io.floe.store.FaultInjectingObjectStore.Sleeper;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Wraps an {@link ObjectStore} and makes every request take as long as it would on the real store a
 * {@link LatencyProfile} describes: writes wait before they are passed on (the upload, then the object
 * is visible), reads after the answer came back (first byte plus transfer of what was read).
 *
 * <p>Latencies are drawn from the injected {@link RandomGenerator} and spent with the injected
 * {@link Sleeper} ({@link Sleeper#REAL} at run time; a recording one in tests, which then run in no
 * time). Driven from one thread with the same seed, the same calls get the same latencies.
 * Thread-safe: draws are serialised on this object; sleeps happen outside the lock, so concurrent
 * requests overlap as they do against S3.
 */
public final class LatencyModelObjectStore implements ObjectStore {

    private final ObjectStore delegate;
    private final LatencyProfile profile;
    private final RandomGenerator random;
    private final Sleeper sleeper;

    public LatencyModelObjectStore(ObjectStore delegate, LatencyProfile profile, RandomGenerator random, Sleeper sleeper) {
        this.delegate = delegate;
        this.profile = profile;
        this.random = random;
        this.sleeper = sleeper;
    }

    /** The profile this store imitates. */
    public LatencyProfile profile() {
        return profile;
    }

    @Override
    public Optional<StoredObject> get(String key) {
        return read(Operation.GET, delegate.get(key));
    }

    @Override
    public Optional<StoredObject> getRange(String key, long position, int length) {
        return read(Operation.RANGE_GET, delegate.getRange(key, position, length));
    }

    @Override
    public WriteResult createIfAbsent(String key, byte[] content) {
        spend(Operation.CREATE_IF_ABSENT, content.length);
        return delegate.createIfAbsent(key, content);
    }

    @Override
    public WriteResult replaceIfMatch(String key, byte[] content, String expectedEtag) {
        spend(Operation.REPLACE_IF_MATCH, content.length);
        return delegate.replaceIfMatch(key, content, expectedEtag);
    }

    @Override
    public String put(String key, byte[] content) {
        spend(Operation.PUT, content.length);
        return delegate.put(key, content);
    }

    @Override
    public List<ObjectInfo> list(String prefix, String startAfter, int limit) {
        List<ObjectInfo> result = delegate.list(prefix, startAfter, limit);
        spend(Operation.LIST, 0);
        return result;
    }

    @Override
    public void delete(String key) {
        spend(Operation.DELETE, 0);
        delegate.delete(key);
    }

    @Override
    public void close() {
        delegate.close();
    }

    private Optional<StoredObject> read(Operation op, Optional<StoredObject> result) {
        spend(op, result.map(o -> o.content().length).orElse(0));
        return result;
    }

    private void spend(Operation op, long bytes) {
        if (profile == LatencyProfile.NONE) {
            return;
        }
        Duration latency;
        synchronized (this) {
            latency = profile.latency(op, bytes, random);
        }
        sleeper.sleep(latency);
    }
}
