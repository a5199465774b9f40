package io.floe.group;

import io.floe.model.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Floe-managed member (a REST consumer instance) as stored in its group: the server runs the
 * assignor, so the member only subscribes, reads and commits. Everything a REST call needs is
 * here, so any Floe instance can serve the member's next call.
 *
 * @param generation   the group generation this view belongs to
 * @param assignment   the partitions assigned to the member in that generation
 * @param subscription the subscribed topics (empty: not subscribed)
 * @param assignor     {@code range}, {@code roundrobin} or {@code sticky}
 * @param reset        where to start on a partition with no committed offset
 * @param autoCommit   whether the engine commits what a read returned (REST {@code auto.commit.enable})
 * @param properties   opaque settings of the front door (for REST: the embedded format)
 * @param positions    explicit positions (set by seek or by reads); others start at the committed offset
 */
public record ManagedMember(
        String groupId,
        String memberId,
        int generation,
        List<TopicPartition> assignment,
        Set<String> subscription,
        String assignor,
        OffsetReset reset,
        boolean autoCommit,
        Map<String, String> properties,
        Map<TopicPartition, Long> positions,
        long leaseExpiresAtMs) {
}
