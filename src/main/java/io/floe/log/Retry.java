package io.floe.log;

import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.store.StoreException;
import java.util.function.Supplier;

/**
 * Retries store calls that failed with a retryable {@link StoreException}, with exponential
 * backoff, and turns exhaustion or a fatal error into STORE_UNAVAILABLE. Only for idempotent
 * calls (reads, deletes, unconditional writes of unique keys); conditional writes decide
 * ownership themselves (see {@link Chain#commit}).
 */
final class Retry {

    /** Sleeps; injected so that the simulation does not wait in real time. */
    interface Sleeper {
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

    static final int ATTEMPTS = 8;
    private final Sleeper sleeper;

    Retry(Sleeper sleeper) {
        this.sleeper = sleeper;
    }

    /** Backoff before attempt {@code attempt} (1-based): 10 ms doubling, at most 1 s. */
    static long backoffMillis(int attempt) {
        return Math.min(1000, 10L << Math.min(attempt - 1, 10));
    }

    void pause(int attempt) {
        sleeper.sleep(backoffMillis(attempt));
    }

    <T> T call(String what, Supplier<T> call) {
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

    void run(String what, Runnable call) {
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
