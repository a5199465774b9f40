package io.floe.share;

/** Records {@code firstOffset..lastOffset} (inclusive) handed to a member, each delivered {@code deliveryCount} times so far. */
public record AcquiredRecords(long firstOffset, long lastOffset, int deliveryCount) {
}
