package io.floe.group;

/**
 * A group as ListGroups shows it. {@code protocolType} is {@code consumer} for Kafka consumers, {@code floe} for REST ones;
 * {@code type} is the group protocol: {@code classic} (JoinGroup/SyncGroup, REST) or {@code consumer} (KIP-848).
 */
public record GroupListing(String groupId, String protocolType, GroupState state, String type) {

    /** A classic group. */
    public GroupListing(String groupId, String protocolType, GroupState state) {
        this(groupId, protocolType, state, "classic");
    }
}
