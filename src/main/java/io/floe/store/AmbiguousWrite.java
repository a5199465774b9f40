package io.floe.store;

import io.floe.store.ObjectStore.StoredObject;
import io.floe.store.ObjectStore.WriteResult;
import java.util.Arrays;
import java.util.Optional;

/**
 * What a conditional write did, decided after an ambiguous answer (HTTP 500, a timeout, a reset
 * connection) by re-reading the key. A pure function, so the rules are tested on their own.
 *
 * <p>Some S3 servers (radosgw) answer 500 to the writer that lost a conditional-write race; and a
 * timeout says nothing about whether the write landed. The re-read decides:
 * <ul>
 *   <li>the key now holds exactly our bytes: our write landed → {@code Written(etag)};
 *   <li>create-if-absent, the key holds other bytes: someone else's object is there → {@code Conflict};
 *   <li>replace-if-match, the key is gone, or holds other bytes under an ETag other than the expected
 *       one: the precondition can no longer hold → {@code Conflict};
 *   <li>otherwise (absent after a create; unchanged after a replace) our write may still be in
 *       flight → unknown: empty, and the caller reports {@link StoreException.Kind#UNAVAILABLE}.
 * </ul>
 */
final class AmbiguousWrite {

    private AmbiguousWrite() {
    }

    /**
     * @param ours         the bytes we tried to write
     * @param expectedEtag empty for create-if-absent; the If-Match ETag for replace-if-match
     * @param now          what a read of the key returned after the ambiguous answer
     * @return the outcome, or empty when it is still unknown
     */
    static Optional<WriteResult> resolve(byte[] ours, Optional<String> expectedEtag, Optional<StoredObject> now) {
        if (now.isPresent() && Arrays.equals(now.get().content(), ours)) {
            return Optional.of(new WriteResult.Written(ETags.unquote(now.get().etag())));
        }
        if (expectedEtag.isEmpty()) {
            return now.isPresent() ? Optional.of(WriteResult.CONFLICT) : Optional.empty();
        }
        if (now.isEmpty()) {
            return Optional.of(WriteResult.CONFLICT);
        }
        String expected = ETags.unquote(expectedEtag.get());
        return ETags.unquote(now.get().etag()).equalsIgnoreCase(expected)
                ? Optional.empty()
                : Optional.of(WriteResult.CONFLICT);
    }
}
