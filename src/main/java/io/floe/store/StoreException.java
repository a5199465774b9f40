package io.floe.store;

/**
 * A store request that failed for a reason other than a lost race.
 *
 * <p>{@link Kind#UNAVAILABLE}: transient (HTTP 5xx, 503 SlowDown, timeout, connection reset).
 * For a write the outcome is unknown. {@link Kind#FATAL}: configuration or permission problem.
 */
public final class StoreException extends RuntimeException {

    public enum Kind { UNAVAILABLE, FATAL }

    private final Kind kind;

    public StoreException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public StoreException(Kind kind, String message) {
        this(kind, message, null);
    }

    public Kind kind() {
        return kind;
    }

    public boolean retryable() {
        return kind == Kind.UNAVAILABLE;
    }
}
