package io.floe.group;

import io.floe.model.TopicPartition;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A ConsumerGroupHeartbeat (KIP-848) as the engine sees it. Fields Kafka sends only when they changed
 * are null (or -1) when unchanged.
 *
 * @param memberEpoch        0 to join, -1 to leave, -2 for a static member that will come back,
 *                           else the member's current epoch
 * @param instanceId         static membership (KIP-345); null if not static or unchanged
 * @param rebalanceTimeoutMs how long the member may take to revoke partitions; -1 if unchanged
 * @param topics             subscribed topic names; null if unchanged
 * @param assignor           the server assignor the member asks for ({@code uniform}, {@code range});
 *                           null if none or unchanged
 * @param owned              the partitions the member owns now; null if unchanged since its last heartbeat
 * @param topicRegex         a subscription by regular expression (RE2/J); empty to drop it; null if unchanged
 *                           or none. A member with one subscribes to the topics it matches, not to {@code topics}.
 * @param mayDescribe        whether the member's principal may describe a topic: a regular expression
 *                           matches only those, as Kafka's coordinator filters them
 */
public record ConsumerHeartbeat(
        String groupId,
        String memberId,
        int memberEpoch,
        String instanceId,
        String rackId,
        int rebalanceTimeoutMs,
        List<String> topics,
        String assignor,
        List<TopicPartition> owned,
        String clientId,
        String clientHost,
        String topicRegex,
        Predicate<String> mayDescribe) {

    /** The member epoch of a member that leaves the group. */
    public static final int LEAVE_EPOCH = -1;
    /** The member epoch of a static member that leaves for a while and keeps its place. */
    public static final int LEAVE_STATIC_EPOCH = -2;

    public ConsumerHeartbeat {
        Objects.requireNonNull(groupId, "groupId");
        memberId = memberId == null ? "" : memberId;
        clientId = clientId == null ? "" : clientId;
        clientHost = clientHost == null ? "" : clientHost;
        mayDescribe = mayDescribe == null ? topic -> true : mayDescribe;
    }

    /** A heartbeat without a subscription by regular expression. */
    public ConsumerHeartbeat(String groupId, String memberId, int memberEpoch, String instanceId, String rackId, int rebalanceTimeoutMs,
                             List<String> topics, String assignor, List<TopicPartition> owned, String clientId, String clientHost) {
        this(groupId, memberId, memberEpoch, instanceId, rackId, rebalanceTimeoutMs, topics, assignor, owned, clientId, clientHost, null,
                null);
    }

    /** Whether every optional field is present: a join, or a client re-sending everything after an error. */
    boolean full() {
        return memberEpoch == 0 || (rebalanceTimeoutMs != -1 && topics != null && owned != null);
    }

    boolean leaving() {
        return memberEpoch == LEAVE_EPOCH || memberEpoch == LEAVE_STATIC_EPOCH;
    }
}
