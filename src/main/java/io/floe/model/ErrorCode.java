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
    /** A topic subscription's regular expression does not compile (RE2/J syntax). */
    INVALID_REGULAR_EXPRESSION(Kind.INVALID),
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
    INTERNAL(Kind.INTERNAL),
    // ---- consumer groups (io.floe.group) ----
    /** The group id is empty, too long or otherwise unusable. */
    INVALID_GROUP_ID(Kind.INVALID),
    /** The group does not exist (never created, or deleted). */
    UNKNOWN_GROUP(Kind.NOT_FOUND),
    /** The member (or REST consumer instance) is not in the group: it left or its session expired. Rejoin. */
    UNKNOWN_MEMBER(Kind.NOT_FOUND),
    /** A member with that name already exists in the group. */
    MEMBER_EXISTS(Kind.CONFLICT),
    /** The group is rebalancing; rejoin to get the next generation. */
    REBALANCE_IN_PROGRESS(Kind.CONFLICT),
    /** The member's generation is not the group's current one: it was fenced and must rejoin. */
    ILLEGAL_GENERATION(Kind.FENCED),
    /** A newer member took over this static member's group instance id. */
    FENCED_INSTANCE_ID(Kind.FENCED),
    /** The partition is not assigned to this member in the current generation; rejoin. */
    NOT_ASSIGNED(Kind.FENCED),
    /** Protocol type or name does not match the group's (or no protocol is common to all members). */
    INCONSISTENT_GROUP_PROTOCOL(Kind.INVALID),
    /** The session timeout is outside the range the engine accepts. */
    INVALID_SESSION_TIMEOUT(Kind.INVALID),
    /** Only a group without members can be deleted. */
    GROUP_NOT_EMPTY(Kind.CONFLICT),
    /** Offsets of a topic the group still consumes cannot be deleted. */
    GROUP_SUBSCRIBED_TO_TOPIC(Kind.CONFLICT),
    /** No committed offset, and {@code auto.offset.reset=none}: set a position first. */
    NO_OFFSET(Kind.INVALID),
    // ---- transactions (io.floe.txn) ----
    /** The producer id does not belong to the transactional id (or the transactional id is unknown). */
    INVALID_PRODUCER_ID_MAPPING(Kind.INVALID),
    /** A newer producer with the same transactional id bumped the epoch: this one is a zombie. */
    PRODUCER_FENCED(Kind.FENCED),
    /** The request does not fit the transaction's state (EndTxn with no transaction, commit after abort…). */
    INVALID_TXN_STATE(Kind.INVALID),
    /** The transaction timeout is outside 1 ms .. the maximum the coordinator accepts. */
    INVALID_TRANSACTION_TIMEOUT(Kind.INVALID),
    /** No transaction state exists for the transactional id. */
    TRANSACTIONAL_ID_NOT_FOUND(Kind.NOT_FOUND),
    // ---- record batches and idempotent producers (io.floe.log) ----
    /** A record batch fails its CRC: damaged on the way; send it again (Kafka's CORRUPT_MESSAGE, retried by clients). */
    CORRUPT_RECORD(Kind.INVALID),
    /** An idempotent producer's batch does not continue its sequence (an earlier one is missing); resend in order. */
    OUT_OF_ORDER_SEQUENCE(Kind.INVALID),
    /** An idempotent producer's batch was written before, but is too old to answer with its offset. */
    DUPLICATE_SEQUENCE(Kind.INVALID),
    /** The producer's epoch is older than the partition's: a newer instance of the producer took over. */
    INVALID_PRODUCER_EPOCH(Kind.FENCED),
    // ---- the consumer group protocol of KIP-848 (io.floe.group) ----
    /** A commit names a member epoch that is not the member's current one: refresh it with a heartbeat and retry. */
    STALE_MEMBER_EPOCH(Kind.FENCED),
    /**
     * A heartbeat names a member epoch the group does not accept: the member must give up its partitions and
     * rejoin (also share groups: join again with epoch 0).
     */
    FENCED_MEMBER_EPOCH(Kind.FENCED),
    /** A static member's instance id is still held by a member that has not left. */
    UNRELEASED_INSTANCE_ID(Kind.CONFLICT),
    /** The server assignor a member asks for does not exist. */
    UNSUPPORTED_ASSIGNOR(Kind.INVALID),

    // ---- share groups (io.floe.share) ----
    /** An acknowledged record is not held by the member (never delivered to it, already settled, or its lock expired). */
    INVALID_RECORD_STATE(Kind.CONFLICT),

    // ---- topic configs (io.floe.log) ----
    /** A record's CreateTime is outside the topic's message.timestamp.before.max.ms / after.max.ms of the time now. */
    INVALID_TIMESTAMP(Kind.INVALID);

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
