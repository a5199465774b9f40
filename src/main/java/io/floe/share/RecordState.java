package io.floe.share;

/**
 * The delivery state of one record of a share-partition, as KIP-932 defines it (the ids are Kafka's,
 * kept in the state object). AVAILABLE → ACQUIRED on delivery; ACQUIRED → ACKNOWLEDGED (accept),
 * AVAILABLE (release, lock expiry) or ARCHIVED (reject, gap, delivery limit reached). ACKNOWLEDGED and
 * ARCHIVED are final.
 */
public enum RecordState {
    AVAILABLE(0),
    ACQUIRED(1),
    ACKNOWLEDGED(2),
    ARCHIVED(4);

    private final int id;

    RecordState(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    /** Whether nothing can happen to the record any more. */
    public boolean terminal() {
        return this == ACKNOWLEDGED || this == ARCHIVED;
    }

    public static RecordState ofId(int id) {
        for (RecordState s : values()) {
            if (s.id == id) {
                return s;
            }
        }
        throw new IllegalArgumentException("Unknown record state id " + id);
    }
}
