package io.floe.share;

/**
 * How a consumer acknowledges a record it holds (KIP-932's acknowledge types, with Kafka's ids):
 * ACCEPT processed it; RELEASE gives it back for another delivery; REJECT refuses it for good; GAP
 * marks an offset the log does not hold (compacted away, a transaction marker).
 */
public enum AckType {
    GAP(0, RecordState.ARCHIVED),
    ACCEPT(1, RecordState.ACKNOWLEDGED),
    RELEASE(2, RecordState.AVAILABLE),
    REJECT(3, RecordState.ARCHIVED);

    private final int id;
    private final RecordState target;

    AckType(int id, RecordState target) {
        this.id = id;
        this.target = target;
    }

    public int id() {
        return id;
    }

    /** The state the record moves to (a RELEASE past the delivery limit archives it instead). */
    RecordState target() {
        return target;
    }

    /** The type with Kafka's id; empty for an unknown one (RENEW, 4, is not supported). */
    public static java.util.Optional<AckType> ofId(int id) {
        for (AckType t : values()) {
            if (t.id == id) {
                return java.util.Optional.of(t);
            }
        }
        return java.util.Optional.empty();
    }
}
