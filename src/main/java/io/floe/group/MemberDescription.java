package io.floe.group;

import java.util.Set;

/**
 * A member as DescribeGroups and the operator view show it.
 *
 * @param metadata         the member's metadata for the generation's protocol (classic), else empty
 * @param assignment       the member's assignment (bytes and decoded partitions)
 * @param subscription     the topics it subscribes to, when known
 * @param leaseExpiresAtMs when the member is removed unless it heartbeats (as last written)
 */
public record MemberDescription(
        String memberId,
        String groupInstanceId,
        String clientId,
        String clientHost,
        byte[] metadata,
        MemberAssignment assignment,
        Set<String> subscription,
        long leaseExpiresAtMs) {
}
