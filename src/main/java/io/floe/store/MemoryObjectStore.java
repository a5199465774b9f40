package io.floe.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * An {@link ObjectStore} in memory, for unit tests and simulation.
 *
 * <p>Thread-safe: objects live in a {@link ConcurrentSkipListMap} of immutable entries, and every
 * conditional write is one atomic map operation ({@code putIfAbsent}, {@code replace(k, old, new)}).
 * Contents are copied in and out, so callers may reuse their arrays. ETags are the hex MD5 of the
 * content, as S3 gives single-part objects. Keys compare as Java strings, which for the ASCII key
 * alphabet is the same as S3's UTF-8 binary order.
 */
public final class MemoryObjectStore implements ObjectStore {

    private record Entry(byte[] content, String etag) {
    }

    private final ConcurrentSkipListMap<String, Entry> objects = new ConcurrentSkipListMap<>();

    @Override
    public Optional<StoredObject> get(String key) {
        Entry e = objects.get(KeyRules.check(key));
        return e == null ? Optional.empty() : Optional.of(new StoredObject(e.content.clone(), e.etag));
    }

    @Override
    public Optional<StoredObject> getRange(String key, long position, int length) {
        checkRange(position, length);
        Entry e = objects.get(KeyRules.check(key));
        if (e == null) {
            return Optional.empty();
        }
        int from = (int) Math.min(position, e.content.length);
        int to = (int) Math.min((long) from + length, e.content.length);
        return Optional.of(new StoredObject(Arrays.copyOfRange(e.content, from, to), e.etag));
    }

    @Override
    public WriteResult createIfAbsent(String key, byte[] content) {
        Entry e = entry(content);
        return objects.putIfAbsent(KeyRules.check(key), e) == null ? new WriteResult.Written(e.etag) : WriteResult.CONFLICT;
    }

    @Override
    public WriteResult replaceIfMatch(String key, byte[] content, String expectedEtag) {
        KeyRules.check(key);
        String expected = ETags.unquote(expectedEtag);
        Entry next = entry(content);
        while (true) {
            Entry current = objects.get(key);
            if (current == null || !current.etag.equalsIgnoreCase(expected)) {
                return WriteResult.CONFLICT;
            }
            if (objects.replace(key, current, next)) {
                return new WriteResult.Written(next.etag);
            }
        }
    }

    @Override
    public String put(String key, byte[] content) {
        Entry e = entry(content);
        objects.put(KeyRules.check(key), e);
        return e.etag;
    }

    @Override
    public List<ObjectInfo> list(String prefix, String startAfter, int limit) {
        String p = KeyRules.checkPrefix(prefix);
        checkLimit(limit);
        ConcurrentNavigableMap<String, Entry> tail = objects.tailMap(p, true);
        if (startAfter != null && startAfter.compareTo(p) >= 0) {
            tail = objects.tailMap(startAfter, false);
        }
        List<ObjectInfo> out = new ArrayList<>();
        for (Map.Entry<String, Entry> e : tail.entrySet()) {
            if (!e.getKey().startsWith(p) || out.size() >= limit) {
                break;
            }
            out.add(new ObjectInfo(e.getKey(), e.getValue().content.length));
        }
        return out;
    }

    @Override
    public void delete(String key) {
        objects.remove(KeyRules.check(key));
    }

    private static Entry entry(byte[] content) {
        byte[] copy = content.clone();
        return new Entry(copy, ETags.md5Hex(copy));
    }

    static void checkRange(long position, int length) {
        if (position < 0 || length < 0) {
            throw new IllegalArgumentException("range must not be negative: position " + position + ", length " + length);
        }
    }

    static void checkLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("list limit must not be negative: " + limit);
        }
    }
}
