package io.floe.group;

/**
 * A committed offset of one partition: the next offset the group will read.
 *
 * @param offset            the committed offset (>= 0)
 * @param leaderEpoch       Kafka's committed leader epoch, kept verbatim; -1 when unknown
 * @param metadata          the client's free-form metadata; may be empty, never null
 * @param commitTimestampMs when the coordinator accepted it (the engine's clock)
 */
public record CommittedOffset(long offset, int leaderEpoch, String metadata, long commitTimestampMs) {
    public CommittedOffset {
        metadata = metadata == null ? "" : metadata;
    }

    /** An offset with no epoch and no metadata, timestamped by the engine when committed. */
    public static CommittedOffset of(long offset) {
        return new CommittedOffset(offset, -1, "", -1);
    }
}
