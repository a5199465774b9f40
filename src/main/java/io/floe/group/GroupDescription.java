package io.floe.group;

import java.util.List;

/**
 * A group as DescribeGroups and the operator view show it.
 *
 * @param protocolType {@code consumer} (Kafka), {@code floe} (REST), or empty for a group that
 *                     only holds committed offsets
 * @param protocolName the generation's protocol (classic) or assignor (managed); empty if none
 * @param leaderId     the leader (classic), or empty
 */
public record GroupDescription(
        String groupId,
        GroupState state,
        String protocolType,
        String protocolName,
        int generation,
        String leaderId,
        List<MemberDescription> members) {
}
