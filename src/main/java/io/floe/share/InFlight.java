package io.floe.share;

/**
 * A run of consecutive in-flight offsets of a share-partition that share one state: {@code memberId}
 * and {@code lockDeadlineMs} are set only while ACQUIRED (null and 0 otherwise).
 */
public record InFlight(long firstOffset, long lastOffset, RecordState state, int deliveryCount, String memberId,
                       long lockDeadlineMs) {

    public InFlight {
        if (lastOffset < firstOffset) {
            throw new IllegalArgumentException("Empty in-flight range " + firstOffset + ".." + lastOffset);
        }
        if ((state == RecordState.ACQUIRED) != (memberId != null)) {
            throw new IllegalArgumentException("Only acquired records have a member: " + state + " " + memberId);
        }
    }
}
