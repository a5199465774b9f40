package io.floe.share;

import java.time.Duration;

/**
 * Tunables of the share-group engine, as plain values (the runtime maps {@code floe.share.*} to them).
 *
 * @param instanceId        names this engine in what it writes (writer-unique content)
 * @param limits            delivery count limit, lock duration, in-flight limit of every share-partition
 * @param sessionTimeout    a member not heard from for this long leaves ({@code group.share.session.timeout.ms}, 45 s)
 * @param heartbeatInterval how often members heartbeat ({@code group.share.heartbeat.interval.ms}, 5 s)
 * @param renewFraction     a heartbeat writes the member's lease only when less than this fraction of the
 *                          session timeout remains
 * @param groupMaxAge       how long a fetch may trust a group object this instance read when checking
 *                          that the fetching member belongs to the group
 */
public record ShareSettings(String instanceId, ShareLimits limits, Duration sessionTimeout, Duration heartbeatInterval,
                            double renewFraction, Duration groupMaxAge) {

    public static ShareSettings defaults(String instanceId) {
        return new ShareSettings(instanceId, ShareLimits.DEFAULT, Duration.ofSeconds(45), Duration.ofSeconds(5), 0.5,
                Duration.ofSeconds(1));
    }

    public ShareSettings withLimits(ShareLimits l) {
        return new ShareSettings(instanceId, l, sessionTimeout, heartbeatInterval, renewFraction, groupMaxAge);
    }

    public ShareSettings withSessionTimeout(Duration d) {
        return new ShareSettings(instanceId, limits, d, heartbeatInterval, renewFraction, groupMaxAge);
    }
}
