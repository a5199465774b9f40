package io.floe.model;

/**
 * The one exception type the engine throws to its front doors. The message is written for the
 * person who sent the request: it says what was wrong and, where it helps, what is accepted.
 */
public class FloeException extends RuntimeException {

    private final ErrorCode code;

    public FloeException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public FloeException(ErrorCode code, String message, Throwable cause) {
        super(message, cause, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public static FloeException invalid(String message) {
        return new FloeException(ErrorCode.INVALID_REQUEST, message);
    }

    public static FloeException unknownTopic(String topic) {
        return new FloeException(ErrorCode.UNKNOWN_TOPIC, "Topic '" + topic + "' does not exist.");
    }

    public static FloeException unknownPartition(String topic, int partition, int partitions) {
        return new FloeException(ErrorCode.UNKNOWN_PARTITION,
                "Partition " + partition + " of topic '" + topic + "' does not exist; the topic has "
                        + partitions + " partition" + (partitions == 1 ? "" : "s") + " (0 to " + (partitions - 1) + ").");
    }
}
