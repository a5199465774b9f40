package io.floe.log;

import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.store.Backoff;
import io.floe.store.StoreException;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Floe's one retry policy for store calls (docs/DECISIONS.md D41). A call that fails with a retryable
 * {@link StoreException} (UNAVAILABLE: 5xx, SlowDown, a timeout, a reset connection) is tried again,
 * at most {@link #ATTEMPTS} times in all, after a jittered exponential backoff; exhaustion or a fatal
 * error becomes STORE_UNAVAILABLE, which both front doors answer as retriable.
 *
 * <p><b>Budget.</b> Backoff before attempt n+1 is drawn uniformly from [b/2, b] with
 * b = min(1 s, 10 ms · 2<sup>n-1</sup>) ("equal jitter": a floor so that retries do not hammer, a random
 * half so that instances that failed together do not retry together). Eight attempts sleep at most
 * 10 + 20 + … + 640 = 1,270 ms in all (at least 635 ms), plus the calls themselves, each bounded by the
 * store's call timeout. The S3 client itself never retries: this policy is not nested inside the SDK's.
 *
 * <p><b>What may be retried.</b> Idempotent calls: reads, lists, deletes, unconditional writes of keys
 * unique to the writer, and conditional writes of writer-unique content (after an ambiguous answer the
 * store re-reads the key and recognises its own earlier write, {@code store.AmbiguousWrite}, so a retry
 * answers Written, not Conflict). Which conditional write owns a contested key is decided by its
 * caller, never by retrying ({@link Chain#commit}). Lost compare-and-swap races back off with the same
 * policy ({@link #pause}, a {@link Backoff}).
 *
 * <p>Thread-safe if its random generator is (production uses a thread-safe one; the simulation runs
 * single-threaded with a seeded one and {@link Sleeper#NONE}).
 */
public final class Retry implements Backoff {

    /** Sleeps; injected so that the simulation does not wait in real time. */
    public interface Sleeper {
        void sleep(long millis);

        Sleeper REAL = millis -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FloeException(ErrorCode.STORE_UNAVAILABLE, "Interrupted while waiting to retry the store.");
            }
        };
        Sleeper NONE = millis -> {
        };
    }

    /** Attempts per call, the first included. */
    public static final int ATTEMPTS = 8;
    static final long BASE_MILLIS = 10;
    static final long CAP_MILLIS = 1000;

    private final Sleeper sleeper;
    private final RandomGenerator random;

    public Retry(Sleeper sleeper, RandomGenerator random) {
        this.sleeper = sleeper;
        this.random = random;
    }

    /** The upper bound of the backoff after attempt {@code attempt} (1-based): 10 ms doubling, at most 1 s. */
    static long backoffCeilingMillis(int attempt) {
        return Math.min(CAP_MILLIS, BASE_MILLIS << Math.min(Math.max(attempt, 1) - 1, 10));
    }

    /** The jittered backoff after attempt {@code attempt}: uniform in [ceiling/2, ceiling]. */
    long backoffMillis(int attempt) {
        long ceiling = backoffCeilingMillis(attempt);
        long floor = ceiling / 2;
        return floor + random.nextLong(ceiling - floor + 1);
    }

    @Override
    public void pause(int attempt) {
        sleeper.sleep(backoffMillis(attempt));
    }

    /** Runs {@code call}, retrying retryable store failures within the budget. */
    public <T> T call(String what, Supplier<T> call) {
        StoreException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                return call.get();
            } catch (StoreException e) {
                if (!e.retryable()) {
                    throw unavailable(what, e);
                }
                last = e;
                if (attempt < ATTEMPTS) {
                    pause(attempt);
                }
            }
        }
        throw unavailable(what, last);
    }

    public void run(String what, Runnable call) {
        call(what, () -> {
            call.run();
            return null;
        });
    }

    static FloeException unavailable(String what, StoreException cause) {
        return new FloeException(ErrorCode.STORE_UNAVAILABLE,
                "The object store is unavailable (" + what + "): " + cause.getMessage() + ". Retry later; acknowledged data is safe.",
                cause);
    }
}
