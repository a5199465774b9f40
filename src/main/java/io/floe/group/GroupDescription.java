package io.floe.group;

import java.util.List;

/**
 * A group as DescribeGroups and the operator view show it.
 *
 * @param protocolType {@code consumer} (Kafka), {@code floe} (REST), or empty for a group that
 *                     only holds committed offsets
 * @param protocolName the generation's protocol (classic) or assignor (managed); empty if none
 * @param leaderId     the leader (classic), or empty
 * @param type         the group protocol: {@code classic} or {@code consumer} (KIP-848; see
 *                     {@link GroupCoordinator#describeConsumerGroup})
 */
public record GroupDescription(
        String groupId,
        GroupState state,
        String protocolType,
        String protocolName,
        int generation,
        String leaderId,
        List<MemberDescription> members,
        String type) {

    /** A classic group. */
    public GroupDescription(String groupId, GroupState state, String protocolType, String protocolName, int generation,
                            String leaderId, List<MemberDescription> members) {
        this(groupId, state, protocolType, protocolName, generation, leaderId, members, "classic");
    }
}
