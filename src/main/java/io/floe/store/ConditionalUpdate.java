package io.floe.store;

import io.floe.store.ObjectStore.StoredObject;
import io.floe.store.ObjectStore.WriteResult;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one compare-and-swap primitive of Floe: read an object, compute its next content, write it
 * only if nobody changed it in between, and on a lost race start over. The manifest, consumer
 * groups and leases all update their objects through it.
 *
 * <pre>{@code
 * var outcome = ConditionalUpdate.update(store, "groups/g1/state", current -> current
 *         .map(GroupState::decode).or(() -> Optional.of(GroupState.EMPTY))
 *         .flatMap(s -> s.withMember(m))          // empty: nothing to change
 *         .map(GroupState::encode), 10);
 * switch (outcome) {
 *     case Updated u -> ...;                        // u.etag() for a later replaceIfMatch
 *     case Unchanged u -> ...;                      // mutate wanted no change
 *     case GaveUp g -> ...;                         // lost g.attempts() races: back off, retry later
 * }
 * }</pre>
 *
 * <p>Each attempt: read the key (absent → the write is {@code createIfAbsent}; present →
 * {@code replaceIfMatch} with the ETag just read), apply {@code mutate} to the content read, write.
 * {@code mutate} may run once per attempt, so it must be a pure function of its argument.
 *
 * <p><b>Every write must be unique to its writer.</b> After an ambiguous answer (a timeout, or the
 * HTTP 500 that radosgw gives the loser of a race) the store re-reads the key and calls the write
 * {@code Written} if the object holds exactly our bytes. If two writers could produce identical bytes
 * from the same base (two "counter + 1"s), the loser would then believe it won: a lost update. So
 * {@code mutate} must put something writer-unique in its result: a writer id, an epoch, a sequence
 * number (the manifest, groups and leases all carry one).
 *
 * <p>Errors: a {@link StoreException} from the store propagates at once. After an UNAVAILABLE
 * write the outcome is unknown; calling {@code update} again is safe if {@code mutate} recognises
 * its own change already applied (for example by an epoch or a writer id inside the content).
 * Stateless and thread-safe.
 */
public final class ConditionalUpdate {

    /** How an update ended. A lost race is a value, not an exception. */
    public sealed interface Outcome {
        /** The number of read-mutate-write attempts made. */
        int attempts();

        /** Our content is now the object's; {@code etag} names this version. */
        record Updated(byte[] content, String etag, int attempts) implements Outcome {
        }

        /** {@code mutate} asked for no change; {@code current} is what it saw (empty: absent). */
        record Unchanged(Optional<StoredObject> current, int attempts) implements Outcome {
        }

        /** Every one of {@code attempts} writes lost its race; nothing was written. */
        record GaveUp(int attempts) implements Outcome {
        }

        default boolean updated() {
            return this instanceof Updated;
        }
    }

    private ConditionalUpdate() {
    }

    /**
     * Reads {@code key}, applies {@code mutate}, and writes the result if the object did not change
     * meanwhile; retries on a lost race, at most {@code maxAttempts} times in all.
     *
     * @param mutate maps the current content (empty: no object) to the next content, or to empty
     *               when no change is wanted
     * @throws StoreException from the store (UNAVAILABLE: the last write's outcome is unknown)
     */
    public static Outcome update(ObjectStore store, String key,
                                 Function<Optional<byte[]>, Optional<byte[]>> mutate, int maxAttempts) {
        return update(store, key, mutate, maxAttempts, Backoff.NONE);
    }

    /**
     * As {@link #update(ObjectStore, String, Function, int)}, waiting {@code backoff} after each lost
     * race, so that writers contending for one object spread out instead of colliding again at once.
     */
    public static Outcome update(ObjectStore store, String key,
                                 Function<Optional<byte[]>, Optional<byte[]>> mutate, int maxAttempts, Backoff backoff) {
        return update(store, key, mutate, maxAttempts, backoff, null);
    }

    /**
     * As {@link #update(ObjectStore, String, Function, int, Backoff)}, but the first attempt starts from
     * {@code believed}, a version of the object the caller read or wrote earlier, instead of reading it
     * (no GET). Nothing is trusted from it but what the conditional write itself confirms: if the object
     * changed since, the write loses (412) and the update goes on as usual from a fresh read, without
     * backing off (that race was with the past, not with a live writer). If {@code mutate} wants no change
     * of {@code believed}, or throws on it, its verdict is about a copy that may be stale, so it is asked
     * again with a fresh read; only an outcome on a fresh read, or a won write, is returned. The attempt on
     * {@code believed} counts as one of {@code maxAttempts}: an outcome with {@code attempts() == 1} and
     * {@code updated()} means {@code believed} was current and cost one request.
     *
     * @param believed the caller's last known version (content and ETag), or null to read first; with
     *                 one, {@code maxAttempts} must be 2 or more (one fresh read at least)
     */
    public static Outcome update(ObjectStore store, String key, Function<Optional<byte[]>, Optional<byte[]>> mutate,
                                 int maxAttempts, Backoff backoff, StoredObject believed) {
        Objects.requireNonNull(mutate, "mutate");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        if (believed != null && maxAttempts < 2) {
            throw new IllegalArgumentException("an update from a believed version needs 2 attempts at least: " + maxAttempts);
        }
        int first = 1;
        if (believed != null) {
            first = 2;
            Optional<byte[]> next;
            try {
                next = mutate.apply(Optional.of(believed.content()));
            } catch (RuntimeException staleVerdict) {
                next = Optional.empty();
            }
            if (next.isPresent()) {
                WriteResult result = store.replaceIfMatch(key, next.get(), believed.etag());
                if (result instanceof WriteResult.Written w) {
                    return new Outcome.Updated(next.get(), w.etag(), 1);
                }
            }
        }
        for (int attempt = first; attempt <= maxAttempts; attempt++) {
            Optional<StoredObject> current = store.get(key);
            Optional<byte[]> next = mutate.apply(current.map(StoredObject::content));
            if (next.isEmpty()) {
                return new Outcome.Unchanged(current, attempt);
            }
            byte[] content = next.get();
            WriteResult result = current.isEmpty()
                    ? store.createIfAbsent(key, content)
                    : store.replaceIfMatch(key, content, current.get().etag());
            if (result instanceof WriteResult.Written w) {
                return new Outcome.Updated(content, w.etag(), attempt);
            }
            if (attempt < maxAttempts) {
                backoff.pause(attempt);
            }
        }
        return new Outcome.GaveUp(maxAttempts);
    }
}
