package io.floe.group;

import java.util.Map;
import java.util.Objects;

/**
 * A member of a completed join asking for its assignment (Kafka SyncGroup). The leader sends every
 * member's assignment; followers send none and wait until the leader's arrives.
 *
 * @param protocolType null, or the group's protocol type (checked: INCONSISTENT_GROUP_PROTOCOL)
 * @param protocolName null, or the generation's protocol (checked: INCONSISTENT_GROUP_PROTOCOL)
 * @param assignments  member id → assignment, from the leader; empty from followers
 */
public record SyncRequest(
        String groupId,
        int generation,
        String memberId,
        String groupInstanceId,
        String protocolType,
        String protocolName,
        Map<String, MemberAssignment> assignments) {
    public SyncRequest {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(memberId, "memberId");
        assignments = assignments == null ? Map.of() : Map.copyOf(assignments);
    }
}
