package io.floe.log;

/** Which records a reader sees, as Kafka's {@code isolation.level}. */
public enum IsolationLevel {
    /** Every committed record, including those of open and aborted transactions (Kafka's default). */
    READ_UNCOMMITTED,
    /** Records up to the last stable offset, without those of aborted transactions. */
    READ_COMMITTED;

    /** Parses Kafka's spelling ({@code read_committed}, {@code read_uncommitted}); null means the default. */
    public static IsolationLevel parse(String value) {
        if (value == null || value.isBlank() || value.equalsIgnoreCase("read_uncommitted")) {
            return READ_UNCOMMITTED;
        }
        if (value.equalsIgnoreCase("read_committed")) {
            return READ_COMMITTED;
        }
        throw new io.floe.model.FloeException(io.floe.model.ErrorCode.INVALID_REQUEST,
                "isolation.level must be read_uncommitted or read_committed, not '" + value + "'.");
    }
}
