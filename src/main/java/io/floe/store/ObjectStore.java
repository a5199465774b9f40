package io.floe.store;

import java.util.List;
import java.util.Optional;

/**
 * The only state Floe has: a flat namespace of immutable-or-compare-and-swapped objects.
 *
 * <p>Six operations. Each says whether it is idempotent and how it fails. Losing a race is a
 * returned value ({@link WriteResult.Conflict}), never an exception. Every other failure is a
 * {@link StoreException}: {@link StoreException.Kind#UNAVAILABLE} means the request may be
 * retried (throttling, 5xx, timeouts — and for a write, the outcome is then <em>unknown</em>:
 * the caller re-reads and decides); {@link StoreException.Kind#FATAL} means retrying will not
 * help (bad credentials, missing bucket).
 *
 * <p>Conditional writes that get an ambiguous answer are resolved by re-reading the key: if it holds
 * exactly the bytes written, the write counts as {@code Written}. Writers of a shared key therefore
 * make their contents unique (a writer id or epoch inside), or identical writes of two writers could
 * both be reported as won. See {@link ConditionalUpdate}.
 *
 * <p>Keys are relative to the store's root (bucket prefix, data directory); they use {@code /}
 * as separator and the characters {@code [A-Za-z0-9._/-]}.
 *
 * <p>Implementations are thread-safe.
 */
public interface ObjectStore extends AutoCloseable {

    /**
     * Reads a whole object. Idempotent. Empty when the key does not exist.
     */
    Optional<StoredObject> get(String key);

    /**
     * Reads {@code length} bytes from {@code position} (fewer if the object is shorter). Idempotent.
     * Empty when the key does not exist.
     */
    Optional<StoredObject> getRange(String key, long position, int length);

    /**
     * Creates the object only if no object has that key ({@code If-None-Match: *}).
     * Not idempotent: a retry after an unknown outcome answers {@link WriteResult.Conflict} if the
     * first attempt landed, so callers who must know re-read and compare contents.
     */
    WriteResult createIfAbsent(String key, byte[] content);

    /**
     * Replaces the object only if its current ETag equals {@code expectedEtag} ({@code If-Match}).
     * Conflict when the object changed or does not exist. Same retry caveat as createIfAbsent.
     */
    WriteResult replaceIfMatch(String key, byte[] content, String expectedEtag);

    /**
     * Writes unconditionally. Idempotent for a given content; used only for objects whose key is
     * unique to the writer (segments).
     */
    String put(String key, byte[] content);

    /**
     * Lists keys starting with {@code prefix}, in ascending (UTF-8 binary) order, strictly after
     * {@code startAfter} when it is non-null, at most {@code limit} of them, each with its size and
     * ETag. Idempotent.
     */
    List<ObjectInfo> list(String prefix, String startAfter, int limit);

    /** Deletes the object if it exists. Idempotent: deleting a missing key is not an error. */
    void delete(String key);

    @Override
    default void close() {
    }

    /** The bytes of an object (or of a range of it) with the ETag of the whole object. */
    record StoredObject(byte[] content, String etag) {
    }

    /**
     * A listed object. {@code etag} is the object's ETag as {@link #get} returns it (unquoted): a listing
     * tells a replaced object from the one it replaced without reading either.
     */
    record ObjectInfo(String key, long size, String etag) {
    }

    /** Outcome of a conditional write. */
    sealed interface WriteResult {
        /** The write happened; {@code etag} identifies the new version for a later replaceIfMatch. */
        record Written(String etag) implements WriteResult {
        }

        /** The precondition failed: someone else's object is there (or it is gone, for replace). */
        record Conflict() implements WriteResult {
        }

        WriteResult CONFLICT = new Conflict();

        default boolean written() {
            return this instanceof Written;
        }
    }
}
