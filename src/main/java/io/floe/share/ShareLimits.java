package io.floe.share;

import java.time.Duration;

/**
 * The limits of share-partitions, Kafka's group configs of the same meaning.
 *
 * @param deliveryCountLimit after this many deliveries a released or timed-out record is archived
 *                           ({@code group.share.delivery.count.limit}, default 5)
 * @param lockDuration       how long a member holds a record it acquired
 *                           ({@code group.share.record.lock.duration.ms}, default 30 s)
 * @param maxInFlight        at most this many offsets between the start and end of a share-partition
 *                           ({@code group.share.partition.max.record.locks}, default 2,000)
 */
public record ShareLimits(int deliveryCountLimit, Duration lockDuration, int maxInFlight) {

    public static final ShareLimits DEFAULT = new ShareLimits(5, Duration.ofSeconds(30), 2000);

    public ShareLimits {
        if (deliveryCountLimit < 1 || deliveryCountLimit > Short.MAX_VALUE) {
            throw new IllegalArgumentException("group.share.delivery.count.limit must be 1.." + Short.MAX_VALUE + ": " + deliveryCountLimit);
        }
        if (lockDuration.toMillis() < 1 || lockDuration.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("group.share.record.lock.duration.ms must be positive: " + lockDuration);
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("group.share.partition.max.record.locks must be positive: " + maxInFlight);
        }
    }
}
