package io.floe.model;

/**
 * Every error Floe reports, each with the coarse {@link Kind} that tells the caller what to do.
 * The front doors map each code once: REST to an HTTP status and REST Proxy error code, Kafka to
 * its protocol error. Codes are never renumbered or reused once published.
 */
public enum ErrorCode {
    INVALID_REQUEST(Kind.INVALID),
    INVALID_TOPIC_NAME(Kind.INVALID),
    INVALID_PARTITIONS(Kind.INVALID),
    INVALID_CONFIG(Kind.INVALID),
    INVALID_RECORD(Kind.INVALID),
    RECORD_TOO_LARGE(Kind.INVALID),
    OFFSET_OUT_OF_RANGE(Kind.INVALID),
    UNKNOWN_TOPIC(Kind.NOT_FOUND),
    UNKNOWN_PARTITION(Kind.NOT_FOUND),
    TOPIC_EXISTS(Kind.CONFLICT),
    /** A compare-and-swap kept losing; the caller may retry the whole request. */
    CONCURRENT_UPDATE(Kind.CONFLICT),
    FENCED(Kind.FENCED),
    STORE_UNAVAILABLE(Kind.UNAVAILABLE),
    CORRUPT_OBJECT(Kind.CORRUPT),
    INTERNAL(Kind.INTERNAL);

    /** What the caller should do about it. */
    public enum Kind {
        /** Fix the request; retrying it unchanged fails the same way. */
        INVALID,
        /** The named thing does not exist. */
        NOT_FOUND,
        /** Someone else changed or owns it; re-read and decide. */
        CONFLICT,
        /** The caller's epoch or generation is stale; rejoin. */
        FENCED,
        /** Transient; retry later. Data already acknowledged is safe. */
        UNAVAILABLE,
        /** An object in the bucket does not parse; an operator must look. */
        CORRUPT,
        /** A bug. */
        INTERNAL
    }

    private final Kind kind;

    ErrorCode(Kind kind) {
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
