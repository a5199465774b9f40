package io.floe.api.kafka;

import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.protocol.Errors;

/**
 * The one mapping from Floe's errors to Kafka protocol error codes. Retriable conditions map to
 * codes that Kafka clients retry; a request the client must fix maps to a non-retriable code.
 * Stateless.
 */
final class KafkaErrors {

    private static final System.Logger LOG = System.getLogger(KafkaErrors.class.getName());

    private KafkaErrors() {
    }

    static Errors of(ErrorCode code) {
        return switch (code) {
            case INVALID_REQUEST -> Errors.INVALID_REQUEST;
            case INVALID_TOPIC_NAME -> Errors.INVALID_TOPIC_EXCEPTION;
            case INVALID_PARTITIONS -> Errors.INVALID_PARTITIONS;
            case INVALID_CONFIG -> Errors.INVALID_CONFIG;
            case INVALID_REGULAR_EXPRESSION -> Errors.INVALID_REGULAR_EXPRESSION;
            case INVALID_RECORD -> Errors.INVALID_RECORD;
            case RECORD_TOO_LARGE -> Errors.MESSAGE_TOO_LARGE;
            case OFFSET_OUT_OF_RANGE -> Errors.OFFSET_OUT_OF_RANGE;
            case UNKNOWN_TOPIC, UNKNOWN_PARTITION -> Errors.UNKNOWN_TOPIC_OR_PARTITION;
            case TOPIC_EXISTS -> Errors.TOPIC_ALREADY_EXISTS;
            // A compare-and-swap kept losing: retriable as a whole.
            case CONCURRENT_UPDATE -> Errors.REQUEST_TIMED_OUT;
            // The bucket did not answer: retriable; acknowledged data is safe.
            case STORE_UNAVAILABLE -> Errors.KAFKA_STORAGE_ERROR;
            case INVALID_GROUP_ID -> Errors.INVALID_GROUP_ID;
            case UNKNOWN_GROUP -> Errors.GROUP_ID_NOT_FOUND;
            case UNKNOWN_MEMBER -> Errors.UNKNOWN_MEMBER_ID;
            case REBALANCE_IN_PROGRESS -> Errors.REBALANCE_IN_PROGRESS;
            case ILLEGAL_GENERATION -> Errors.ILLEGAL_GENERATION;
            case FENCED_INSTANCE_ID -> Errors.FENCED_INSTANCE_ID;
            // Kafka has no "not assigned" error for commits; the member must rejoin, as for a stale generation.
            case NOT_ASSIGNED -> Errors.ILLEGAL_GENERATION;
            case INCONSISTENT_GROUP_PROTOCOL -> Errors.INCONSISTENT_GROUP_PROTOCOL;
            case INVALID_SESSION_TIMEOUT -> Errors.INVALID_SESSION_TIMEOUT;
            case GROUP_NOT_EMPTY -> Errors.NON_EMPTY_GROUP;
            case GROUP_SUBSCRIBED_TO_TOPIC -> Errors.GROUP_SUBSCRIBED_TO_TOPIC;
            case INVALID_PRODUCER_ID_MAPPING -> Errors.INVALID_PRODUCER_ID_MAPPING;
            case PRODUCER_FENCED -> Errors.PRODUCER_FENCED;
            case INVALID_TXN_STATE -> Errors.INVALID_TXN_STATE;
            case INVALID_TRANSACTION_TIMEOUT -> Errors.INVALID_TRANSACTION_TIMEOUT;
            case TRANSACTIONAL_ID_NOT_FOUND -> Errors.TRANSACTIONAL_ID_NOT_FOUND;
            case CORRUPT_RECORD -> Errors.CORRUPT_MESSAGE;
            case OUT_OF_ORDER_SEQUENCE -> Errors.OUT_OF_ORDER_SEQUENCE_NUMBER;
            case DUPLICATE_SEQUENCE -> Errors.DUPLICATE_SEQUENCE_NUMBER;
            case INVALID_PRODUCER_EPOCH -> Errors.INVALID_PRODUCER_EPOCH;
            case STALE_MEMBER_EPOCH -> Errors.STALE_MEMBER_EPOCH;
            case FENCED_MEMBER_EPOCH -> Errors.FENCED_MEMBER_EPOCH;
            case UNRELEASED_INSTANCE_ID -> Errors.UNRELEASED_INSTANCE_ID;
            case UNSUPPORTED_ASSIGNOR -> Errors.UNSUPPORTED_ASSIGNOR;
            case INVALID_RECORD_STATE -> Errors.INVALID_RECORD_STATE;
            case INVALID_TIMESTAMP -> Errors.INVALID_TIMESTAMP;
            default -> byKind(code.kind());
        };
    }

    /** Codes added later (groups) fall back on their kind. */
    private static Errors byKind(ErrorCode.Kind kind) {
        return switch (kind) {
            case INVALID -> Errors.INVALID_REQUEST;
            case NOT_FOUND -> Errors.RESOURCE_NOT_FOUND;
            case CONFLICT -> Errors.REQUEST_TIMED_OUT;
            case FENCED -> Errors.ILLEGAL_GENERATION;
            case UNAVAILABLE -> Errors.KAFKA_STORAGE_ERROR;
            case CORRUPT, INTERNAL -> Errors.UNKNOWN_SERVER_ERROR;
        };
    }

    /** The Kafka error for any failure; unexpected ones are logged (they are bugs or outages). */
    static Errors of(Throwable t) {
        Throwable c = unwrap(t);
        if (c instanceof FloeException f) {
            return of(f.code());
        }
        if (c instanceof org.apache.kafka.common.errors.ApiException a) {
            return Errors.forException(a);
        }
        LOG.log(System.Logger.Level.WARNING, "Unexpected failure answered as UNKNOWN_SERVER_ERROR", c);
        return Errors.UNKNOWN_SERVER_ERROR;
    }

    /** The message to send with the error code (never a stack trace). */
    static String message(Throwable t) {
        Throwable c = unwrap(t);
        return c instanceof FloeException || c instanceof org.apache.kafka.common.errors.ApiException
                ? c.getMessage() : "Internal error; see the server log.";
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
