package io.floe.group;

import io.floe.model.TopicPartition;
import java.util.List;
import java.util.Set;

/**
 * A consumer-protocol (KIP-848) group as ConsumerGroupDescribe shows it.
 *
 * @param groupEpoch      the group epoch (bumped at every change of membership or subscriptions)
 * @param assignmentEpoch the epoch of the target assignment
 * @param assignor        the server assignor of the target assignment
 */
public record ConsumerGroupDescription(String groupId, GroupState state, int groupEpoch, int assignmentEpoch,
                                       String assignor, List<Member> members) {

    /**
     * One member.
     *
     * @param assignment        its partitions now
     * @param pendingRevocation partitions it must give up and has not yet reported given up
     * @param target            its partitions in the target assignment
     */
    public record Member(String memberId, String instanceId, String rackId, int memberEpoch, String clientId,
                         String clientHost, Set<String> topics, List<TopicPartition> assignment,
                         List<TopicPartition> pendingRevocation, List<TopicPartition> target) {
    }
}
