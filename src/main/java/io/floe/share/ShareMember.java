package io.floe.share;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One member of a share group as the group object holds it.
 *
 * @param memberEpoch      goes up each time the member's assignment changes; a heartbeat with another
 *                         epoch is fenced
 * @param topics           the topics it subscribes to, sorted
 * @param assignment       topic name → assigned partitions, sorted: every partition of every subscribed
 *                         topic (the simple assignor)
 * @param leaseExpiresAtMs the member is removed when this passes without a heartbeat renewing it
 */
public record ShareMember(String memberId, int memberEpoch, String clientId, String clientHost, String rackId,
                          List<String> topics, SortedMap<String, List<Integer>> assignment, long leaseExpiresAtMs,
                          int sessionTimeoutMs) {

    public ShareMember {
        topics = topics.stream().sorted().distinct().toList();
        SortedMap<String, List<Integer>> a = new TreeMap<>();
        assignment.forEach((t, ps) -> a.put(t, ps.stream().sorted().distinct().toList()));
        assignment = java.util.Collections.unmodifiableSortedMap(a);
    }

    ShareMember withLease(long expiresAtMs) {
        return new ShareMember(memberId, memberEpoch, clientId, clientHost, rackId, topics, assignment, expiresAtMs, sessionTimeoutMs);
    }

    /** Every (topic, partition) assigned. */
    public int assignedPartitions() {
        return assignment.values().stream().mapToInt(List::size).sum();
    }

    static SortedMap<String, List<Integer>> assignmentOf(Map<String, List<Integer>> m) {
        return new TreeMap<>(m);
    }
}
