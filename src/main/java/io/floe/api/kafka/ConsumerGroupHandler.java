package io.floe.api.kafka;

import io.floe.group.ConsumerGroupDescription;
import io.floe.group.ConsumerHeartbeat;
import io.floe.group.ConsumerHeartbeatResult;
import io.floe.group.GroupCoordinator;
import io.floe.log.LogEngine;
import io.floe.model.TopicPartition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * The consumer group protocol of KIP-848 over {@link GroupCoordinator}: ConsumerGroupHeartbeat and
 * ConsumerGroupDescribe. Partitions travel as topic ids on the wire and as topic names in the engine;
 * this class translates (an id of no existing topic is left out, as Kafka does for topics it does not
 * know). Thread-safe: stateless over the thread-safe coordinator and log.
 */
final class ConsumerGroupHandler {

    static final Map<ApiKeys, Short> VERSIONS = Map.of(
            ApiKeys.CONSUMER_GROUP_HEARTBEAT, (short) 1,
            ApiKeys.CONSUMER_GROUP_DESCRIBE, (short) 1);

    private final GroupCoordinator groups;
    private final LogEngine log;

    ConsumerGroupHandler(GroupCoordinator groups, LogEngine log) {
        this.groups = groups;
        this.log = log;
    }

    /** {@code mayDescribe}: the topics the member's principal may describe, the only ones its regular expression matches. */
    ConsumerGroupHeartbeatResponseData heartbeat(ConsumerGroupHeartbeatRequestData req, String clientId, String clientHost,
                                                 java.util.function.Predicate<String> mayDescribe) {
        try {
            Map<Uuid, String> names = req.topicPartitions() == null ? Map.of() : TopicIds.namesById(log);
            List<TopicPartition> owned = null;
            if (req.topicPartitions() != null) {
                owned = new ArrayList<>();
                for (ConsumerGroupHeartbeatRequestData.TopicPartitions t : req.topicPartitions()) {
                    String name = names.get(t.topicId());
                    if (name != null) {
                        for (int p : t.partitions()) {
                            owned.add(new TopicPartition(name, p));
                        }
                    }
                }
            }
            ConsumerHeartbeatResult r = groups.consumerHeartbeat(new ConsumerHeartbeat(req.groupId(), req.memberId(),
                    req.memberEpoch(), req.instanceId(), req.rackId(), req.rebalanceTimeoutMs(), req.subscribedTopicNames(),
                    req.serverAssignor(), owned, clientId, clientHost, req.subscribedTopicRegex(), mayDescribe));
            ConsumerGroupHeartbeatResponseData out = new ConsumerGroupHeartbeatResponseData().setMemberId(r.memberId())
                    .setMemberEpoch(r.memberEpoch()).setHeartbeatIntervalMs(r.heartbeatIntervalMs());
            if (r.assignment() != null) {
                ConsumerGroupHeartbeatResponseData.Assignment a = new ConsumerGroupHeartbeatResponseData.Assignment();
                for (var e : byTopic(r.assignment()).entrySet()) {
                    a.topicPartitions().add(new ConsumerGroupHeartbeatResponseData.TopicPartitions()
                            .setTopicId(e.getKey()).setPartitions(e.getValue()));
                }
                out.setAssignment(a);
            }
            return out;
        } catch (RuntimeException e) {
            Errors error = KafkaErrors.of(e);
            return new ConsumerGroupHeartbeatResponseData().setErrorCode(error.code()).setErrorMessage(e.getMessage())
                    .setMemberId(req.memberId()).setMemberEpoch(req.memberEpoch());
        }
    }

    ConsumerGroupDescribeResponseData describe(ConsumerGroupDescribeRequestData req) {
        ConsumerGroupDescribeResponseData out = new ConsumerGroupDescribeResponseData();
        for (String id : req.groupIds()) {
            ConsumerGroupDescribeResponseData.DescribedGroup g = new ConsumerGroupDescribeResponseData.DescribedGroup()
                    .setGroupId(id);
            out.groups().add(g);
            try {
                Optional<ConsumerGroupDescription> d = groups.describeConsumerGroup(id);
                if (d.isEmpty()) {
                    // Not a consumer group (classic, or none): the admin client then asks with DescribeGroups.
                    g.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                            .setErrorMessage("Group " + id + " is not a consumer group.");
                    continue;
                }
                ConsumerGroupDescription cg = d.get();
                g.setGroupState(cg.state().kafkaName()).setGroupEpoch(cg.groupEpoch())
                        .setAssignmentEpoch(cg.assignmentEpoch()).setAssignorName(cg.assignor());
                for (ConsumerGroupDescription.Member m : cg.members()) {
                    g.members().add(new ConsumerGroupDescribeResponseData.Member().setMemberId(m.memberId())
                            .setInstanceId(m.instanceId()).setRackId(m.rackId()).setMemberEpoch(m.memberEpoch())
                            .setClientId(m.clientId()).setClientHost(m.clientHost())
                            .setSubscribedTopicNames(m.topics().stream().sorted().toList())
                            .setAssignment(assignment(m.assignment())).setTargetAssignment(assignment(m.target()))
                            .setMemberType((byte) 1));
                }
            } catch (RuntimeException e) {
                g.setErrorCode(KafkaErrors.of(e).code()).setErrorMessage(e.getMessage());
            }
        }
        return out;
    }

    private ConsumerGroupDescribeResponseData.Assignment assignment(Collection<TopicPartition> partitions) {
        ConsumerGroupDescribeResponseData.Assignment a = new ConsumerGroupDescribeResponseData.Assignment();
        Map<String, List<Integer>> byName = new LinkedHashMap<>();
        partitions.forEach(tp -> byName.computeIfAbsent(tp.topic(), k -> new ArrayList<>()).add(tp.partition()));
        Map<String, Uuid> ids = TopicIds.idsByName(log);
        byName.forEach((topic, ps) -> a.topicPartitions().add(new ConsumerGroupDescribeResponseData.TopicPartitions()
                .setTopicName(topic).setTopicId(ids.getOrDefault(topic, Uuid.ZERO_UUID)).setPartitions(ps)));
        return a;
    }

    /** Topic id → partitions, in the assignment's order; topics that no longer exist are left out. */
    private Map<Uuid, List<Integer>> byTopic(List<TopicPartition> partitions) {
        Map<String, Uuid> ids = TopicIds.idsByName(log);
        Map<Uuid, List<Integer>> out = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            Uuid id = ids.get(tp.topic());
            if (id != null) {
                out.computeIfAbsent(id, k -> new ArrayList<>()).add(tp.partition());
            }
        }
        return out;
    }
}
