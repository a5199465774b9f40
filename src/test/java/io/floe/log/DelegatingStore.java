package io.floe.log;

import io.floe.store.ObjectStore;
import java.util.List;
import java.util.Optional;

/** Passes every call through; tests (of any package) override what they need. */
public class DelegatingStore implements ObjectStore {
    private final ObjectStore delegate;

    public DelegatingStore(ObjectStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public Optional<StoredObject> get(String key) {
        return delegate.get(key);
    }

    @Override
    public Optional<StoredObject> getRange(String key, long position, int length) {
        return delegate.getRange(key, position, length);
    }

    @Override
    public WriteResult createIfAbsent(String key, byte[] content) {
        return delegate.createIfAbsent(key, content);
    }

    @Override
    public WriteResult replaceIfMatch(String key, byte[] content, String expectedEtag) {
        return delegate.replaceIfMatch(key, content, expectedEtag);
    }

    @Override
    public String put(String key, byte[] content) {
        return delegate.put(key, content);
    }

    @Override
    public List<ObjectInfo> list(String prefix, String startAfter, int limit) {
        return delegate.list(prefix, startAfter, limit);
    }

    @Override
    public void delete(String key) {
        delegate.delete(key);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
