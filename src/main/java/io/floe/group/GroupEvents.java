package io.floe.group;

/**
 * What the group coordinator tells a listener as it works, for metrics: each new generation of a
 * group with members that this instance wrote (a rebalance completed). Called on the coordinator's
 * threads after the group object was written; a listener must be thread-safe, quick, and must not
 * throw. Plain values only: the runtime binds them to Micrometer, so the group package imports no
 * metrics library (as {@code io.floe.log.LogEvents}).
 */
public interface GroupEvents {

    /** A listener that ignores everything (the default). */
    GroupEvents NONE = new GroupEvents() {
    };

    /**
     * Group {@code groupId} ({@code protocolType} "consumer" for classic Kafka consumers, "floe"
     * for REST consumers, "" when offsets only) moved to a new generation with members: a rebalance
     * completed. A group that only emptied is not counted.
     */
    default void rebalanced(String groupId, String protocolType) {
    }
}
