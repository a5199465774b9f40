package io.floe.group;

/** A group as ListGroups shows it. {@code protocolType} is {@code consumer} for Kafka consumers, {@code floe} for REST ones. */
public record GroupListing(String groupId, String protocolType, GroupState state) {
}
