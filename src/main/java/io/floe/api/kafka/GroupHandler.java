package io.floe.api.kafka;

import io.floe.group.CommittedOffset;
import io.floe.group.GroupCoordinator;
import io.floe.group.GroupDescription;
import io.floe.group.GroupListing;
import io.floe.group.JoinRequest;
import io.floe.group.JoinResult;
import io.floe.group.LeaveOutcome;
import io.floe.group.MemberAssignment;
import io.floe.group.MemberDescription;
import io.floe.group.MemberIdentity;
import io.floe.group.OffsetCommit;
import io.floe.group.Protocol;
import io.floe.group.SyncRequest;
import io.floe.model.ErrorCode;
import io.floe.model.TopicPartition;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetFetchRequest;
import org.apache.kafka.common.requests.OffsetFetchResponse;

/**
 * The classic consumer-group APIs over {@link GroupCoordinator}: JoinGroup, SyncGroup, Heartbeat,
 * LeaveGroup, OffsetCommit, OffsetFetch, ListGroups, DescribeGroups, DeleteGroups and OffsetDelete.
 * Kafka's consumer-protocol bytes pass through verbatim; subscriptions and assignments are also
 * decoded (when the protocol type is {@code consumer}) so that the engine can check commits and show
 * owners and lag. The group state lives in the bucket, so REST and Kafka consumers see the same
 * committed offsets. Thread-safe; join and sync complete asynchronously.
 */
final class GroupHandler {

    static final Map<ApiKeys, Short> VERSIONS = Map.of(
            ApiKeys.JOIN_GROUP, (short) 9,
            ApiKeys.SYNC_GROUP, (short) 5,
            ApiKeys.HEARTBEAT, (short) 4,
            ApiKeys.LEAVE_GROUP, (short) 5,
            ApiKeys.OFFSET_COMMIT, (short) 9,
            ApiKeys.OFFSET_FETCH, (short) 9,
            ApiKeys.LIST_GROUPS, (short) 5,
            ApiKeys.DESCRIBE_GROUPS, (short) 5,
            ApiKeys.DELETE_GROUPS, (short) 2,
            ApiKeys.OFFSET_DELETE, (short) 0);

    private static final String CONSUMER = "consumer";

    /** Which partitions of a group have offsets waiting in an open transaction (null: all partitions). */
    @FunctionalInterface
    interface PendingOffsets {
        Set<TopicPartition> of(String groupId, Collection<TopicPartition> partitions);
    }

    private final GroupCoordinator groups;
    private PendingOffsets pending = (g, ps) -> Set.of();

    /** With transactions: OffsetFetch with require_stable answers UNSTABLE_OFFSET_COMMIT for these (KIP-447). */
    GroupHandler withPendingOffsets(PendingOffsets p) {
        this.pending = p;
        return this;
    }

    GroupHandler(GroupCoordinator groups) {
        this.groups = groups;
    }

    private static short code(Throwable t) {
        return KafkaErrors.of(t).code();
    }

    // ---- membership --------------------------------------------------------------------------

    CompletableFuture<ApiMessage> join(JoinGroupRequestData req, short version, String clientId, String clientHost) {
        // No KIP-394 MEMBER_ID_REQUIRED round trip: the engine gives a new member its id in the join itself
        // (it stores members only once they joined, so an id handed out before would be unknown).
        List<Protocol> protocols = new ArrayList<>();
        Set<String> topics = new HashSet<>();
        for (JoinGroupRequestData.JoinGroupRequestProtocol p : req.protocols()) {
            protocols.add(new Protocol(p.name(), p.metadata()));
            if (CONSUMER.equals(req.protocolType())) {
                try {
                    topics.addAll(ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(p.metadata())).topics());
                } catch (RuntimeException ignored) {
                    // not decodable: the engine does not need it
                }
            }
        }
        int rebalance = version >= 1 ? req.rebalanceTimeoutMs() : req.sessionTimeoutMs();
        JoinRequest join = new JoinRequest(req.groupId(), req.memberId(), req.groupInstanceId(), clientId, clientHost,
                Duration.ofMillis(req.sessionTimeoutMs()), Duration.ofMillis(rebalance), req.protocolType(),
                protocols, topics, version >= 8 ? req.reason() : null);
        return groups.join(join).handle((r, failure) -> {
            JoinGroupResponseData out = new JoinGroupResponseData();
            if (failure != null) {
                return out.setErrorCode(code(failure)).setGenerationId(-1).setMemberId(req.memberId()).setLeader("")
                        .setProtocolName(version >= 7 ? null : "");
            }
            out.setGenerationId(r.generation()).setProtocolType(r.protocolType()).setProtocolName(r.protocolName())
                    .setLeader(r.leaderId()).setMemberId(r.memberId()).setSkipAssignment(version >= 9 && r.skipAssignment());
            for (JoinResult.JoinedMember m : r.members()) {
                out.members().add(new JoinGroupResponseData.JoinGroupResponseMember().setMemberId(m.memberId())
                        .setGroupInstanceId(m.groupInstanceId()).setMetadata(m.metadata()));
            }
            return out;
        });
    }

    CompletableFuture<ApiMessage> sync(SyncGroupRequestData req) {
        Map<String, MemberAssignment> assignments = new HashMap<>();
        for (SyncGroupRequestData.SyncGroupRequestAssignment a : req.assignments()) {
            assignments.put(a.memberId(), new MemberAssignment(a.assignment(), partitions(a.assignment())));
        }
        SyncRequest sync = new SyncRequest(req.groupId(), req.generationId(), req.memberId(), req.groupInstanceId(),
                req.protocolType(), req.protocolName(), assignments);
        CompletableFuture<io.floe.group.SyncResult> f;
        try {
            f = groups.sync(sync);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.handle((r, failure) -> {
            SyncGroupResponseData out = new SyncGroupResponseData();
            if (failure != null) {
                return out.setErrorCode(code(failure)).setAssignment(new byte[0]);
            }
            return out.setProtocolType(r.protocolType()).setProtocolName(r.protocolName()).setAssignment(r.assignment());
        });
    }

    private static List<TopicPartition> partitions(byte[] assignment) {
        List<TopicPartition> out = new ArrayList<>();
        try {
            for (var tp : ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(assignment)).partitions()) {
                out.add(new TopicPartition(tp.topic(), tp.partition()));
            }
        } catch (RuntimeException ignored) {
            // not the consumer protocol (e.g. Connect): the engine keeps the bytes only
        }
        return out;
    }

    HeartbeatResponseData heartbeat(HeartbeatRequestData req) {
        try {
            groups.heartbeat(req.groupId(), req.memberId(), req.groupInstanceId(), req.generationId());
            return new HeartbeatResponseData();
        } catch (RuntimeException e) {
            return new HeartbeatResponseData().setErrorCode(code(e));
        }
    }

    LeaveGroupResponseData leave(LeaveGroupRequestData req, short version) {
        List<MemberIdentity> members = new ArrayList<>();
        if (version < 3) {
            members.add(new MemberIdentity(req.memberId(), null));
        } else {
            for (LeaveGroupRequestData.MemberIdentity m : req.members()) {
                members.add(new MemberIdentity(m.memberId(), m.groupInstanceId()));
            }
        }
        LeaveGroupResponseData out = new LeaveGroupResponseData();
        try {
            List<LeaveOutcome> outcomes = groups.leave(req.groupId(), members);
            for (LeaveOutcome o : outcomes) {
                short err = o.error() == null ? Errors.NONE.code() : KafkaErrors.of(o.error()).code();
                if (version < 3) {
                    out.setErrorCode(err);
                } else {
                    out.members().add(new LeaveGroupResponseData.MemberResponse().setMemberId(o.memberId())
                            .setGroupInstanceId(o.groupInstanceId()).setErrorCode(err));
                }
            }
        } catch (RuntimeException e) {
            out.setErrorCode(code(e));
        }
        return out;
    }

    // ---- offsets -------------------------------------------------------------------------------

    OffsetCommitResponseData commit(OffsetCommitRequestData req) {
        Map<TopicPartition, CommittedOffset> offsets = new LinkedHashMap<>();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic t : req.topics()) {
            for (OffsetCommitRequestData.OffsetCommitRequestPartition p : t.partitions()) {
                offsets.put(new TopicPartition(t.name(), p.partitionIndex()), new CommittedOffset(p.committedOffset(),
                        p.committedLeaderEpoch(), p.committedMetadata(), -1));
            }
        }
        Map<TopicPartition, ErrorCode> refused = Map.of();
        short groupError = Errors.NONE.code();
        try {
            refused = groups.commit(new OffsetCommit(req.groupId(), req.memberId(), req.groupInstanceId(),
                    req.generationIdOrMemberEpoch(), offsets, OffsetCommit.Durability.SYNC));
        } catch (RuntimeException e) {
            groupError = code(e);
        }
        OffsetCommitResponseData out = new OffsetCommitResponseData();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic t : req.topics()) {
            OffsetCommitResponseData.OffsetCommitResponseTopic rt =
                    new OffsetCommitResponseData.OffsetCommitResponseTopic().setName(t.name());
            out.topics().add(rt);
            for (OffsetCommitRequestData.OffsetCommitRequestPartition p : t.partitions()) {
                ErrorCode e = refused.get(new TopicPartition(t.name(), p.partitionIndex()));
                rt.partitions().add(new OffsetCommitResponseData.OffsetCommitResponsePartition()
                        .setPartitionIndex(p.partitionIndex())
                        .setErrorCode(groupError != 0 ? groupError : e == null ? 0 : KafkaErrors.of(e).code()));
            }
        }
        return out;
    }

    /**
     * OffsetFetch of every version: kafka-clients' request gives the groups asked for in the batched
     * form whatever the version, and its response builder writes them back in the version's form.
     */
    OffsetFetchResponseData fetchOffsets(OffsetFetchRequest req, short version) {
        List<OffsetFetchResponseData.OffsetFetchResponseGroup> out = new ArrayList<>();
        for (OffsetFetchRequestData.OffsetFetchRequestGroup g : req.groups()) {
            OffsetFetchResponseData.OffsetFetchResponseGroup rg = new OffsetFetchResponseData.OffsetFetchResponseGroup()
                    .setGroupId(g.groupId());
            out.add(rg);
            List<TopicPartition> wanted = null;
            if (!OffsetFetchRequest.requestAllOffsets(g)) {
                wanted = new ArrayList<>();
                for (OffsetFetchRequestData.OffsetFetchRequestTopics t : g.topics()) {
                    for (int p : t.partitionIndexes()) {
                        wanted.add(new TopicPartition(t.name(), p));
                    }
                }
            }
            try {
                if (version >= 9) {
                    groups.checkOffsetFetch(g.groupId(), g.memberId(), g.memberEpoch());
                }
                Set<TopicPartition> unstable = req.requireStable() ? pending.of(g.groupId(), wanted) : Set.of();
                for (var e : byTopic(committed(g.groupId(), wanted), wanted).entrySet()) {
                    OffsetFetchResponseData.OffsetFetchResponseTopics rt =
                            new OffsetFetchResponseData.OffsetFetchResponseTopics().setName(e.getKey());
                    for (var p : e.getValue().entrySet()) {
                        CommittedOffset c = p.getValue();
                        boolean waiting = unstable.contains(new TopicPartition(e.getKey(), p.getKey()));
                        rt.partitions().add(new OffsetFetchResponseData.OffsetFetchResponsePartitions()
                                .setPartitionIndex(p.getKey()).setCommittedOffset(c == null || waiting ? -1 : c.offset())
                                .setCommittedLeaderEpoch(c == null ? -1 : c.leaderEpoch())
                                .setMetadata(c == null ? "" : c.metadata())
                                .setErrorCode(waiting ? Errors.UNSTABLE_OFFSET_COMMIT.code() : 0));
                    }
                    rg.topics().add(rt);
                }
            } catch (RuntimeException e) {
                rg.setErrorCode(code(e));
            }
        }
        return new OffsetFetchResponse.Builder(out).build(version).data();
    }

    private Map<TopicPartition, CommittedOffset> committed(String group, List<TopicPartition> wanted) {
        return groups.committed(group, wanted);
    }

    /** Topic → partition → offset (null: none committed), every wanted partition included. */
    private static Map<String, Map<Integer, CommittedOffset>> byTopic(Map<TopicPartition, CommittedOffset> committed,
                                                                    List<TopicPartition> wanted) {
        Map<String, Map<Integer, CommittedOffset>> out = new LinkedHashMap<>();
        if (wanted != null) {
            for (TopicPartition tp : wanted) {
                out.computeIfAbsent(tp.topic(), k -> new LinkedHashMap<>()).put(tp.partition(), committed.get(tp));
            }
        } else {
            committed.forEach((tp, c) -> out.computeIfAbsent(tp.topic(), k -> new LinkedHashMap<>()).put(tp.partition(), c));
        }
        return out;
    }

    OffsetDeleteResponseData deleteOffsets(OffsetDeleteRequestData req) {
        OffsetDeleteResponseData out = new OffsetDeleteResponseData();
        List<TopicPartition> partitions = new ArrayList<>();
        for (OffsetDeleteRequestData.OffsetDeleteRequestTopic t : req.topics()) {
            for (OffsetDeleteRequestData.OffsetDeleteRequestPartition p : t.partitions()) {
                partitions.add(new TopicPartition(t.name(), p.partitionIndex()));
            }
        }
        Map<TopicPartition, ErrorCode> kept;
        try {
            kept = groups.deleteOffsets(req.groupId(), partitions);
        } catch (RuntimeException e) {
            return out.setErrorCode(code(e));
        }
        for (OffsetDeleteRequestData.OffsetDeleteRequestTopic t : req.topics()) {
            OffsetDeleteResponseData.OffsetDeleteResponseTopic rt = new OffsetDeleteResponseData.OffsetDeleteResponseTopic()
                    .setName(t.name());
            for (OffsetDeleteRequestData.OffsetDeleteRequestPartition p : t.partitions()) {
                ErrorCode e = kept.get(new TopicPartition(t.name(), p.partitionIndex()));
                rt.partitions().add(new OffsetDeleteResponseData.OffsetDeleteResponsePartition()
                        .setPartitionIndex(p.partitionIndex()).setErrorCode(e == null ? 0 : KafkaErrors.of(e).code()));
            }
            out.topics().add(rt);
        }
        return out;
    }

    // ---- operator view ------------------------------------------------------------------------

    ListGroupsResponseData list(ListGroupsRequestData req) {
        ListGroupsResponseData out = new ListGroupsResponseData();
        try {
            for (GroupListing g : groups.listGroups()) {
                if (!req.statesFilter().isEmpty() && req.statesFilter().stream()
                        .noneMatch(s -> s.equalsIgnoreCase(g.state().kafkaName()))) {
                    continue;
                }
                if (!req.typesFilter().isEmpty() && req.typesFilter().stream().noneMatch(s -> s.equalsIgnoreCase(g.type()))) {
                    continue;
                }
                out.groups().add(new ListGroupsResponseData.ListedGroup().setGroupId(g.groupId())
                        .setProtocolType(g.protocolType()).setGroupState(g.state().kafkaName()).setGroupType(g.type()));
            }
        } catch (RuntimeException e) {
            out.setErrorCode(code(e));
        }
        return out;
    }

    DescribeGroupsResponseData describe(DescribeGroupsRequestData req, short version) {
        DescribeGroupsResponseData out = new DescribeGroupsResponseData();
        for (String id : req.groups()) {
            DescribeGroupsResponseData.DescribedGroup g = new DescribeGroupsResponseData.DescribedGroup().setGroupId(id);
            out.groups().add(g);
            try {
                Optional<GroupDescription> d = groups.describe(id);
                // As Kafka: DescribeGroups describes classic groups; a consumer group (KIP-848) is described
                // by ConsumerGroupDescribe, and here looks like a group that does not exist.
                if (d.isEmpty() || "consumer".equals(d.get().type())) {
                    g.setGroupState("Dead").setProtocolType("").setProtocolData("");
                    if (version >= 6) {
                        g.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code());
                    }
                    continue;
                }
                GroupDescription gd = d.get();
                g.setGroupState(gd.state().kafkaName()).setProtocolType(gd.protocolType()).setProtocolData(gd.protocolName());
                for (MemberDescription m : gd.members()) {
                    g.members().add(new DescribeGroupsResponseData.DescribedGroupMember().setMemberId(m.memberId())
                            .setGroupInstanceId(m.groupInstanceId()).setClientId(m.clientId()).setClientHost(m.clientHost())
                            .setMemberMetadata(m.metadata() == null ? new byte[0] : m.metadata())
                            .setMemberAssignment(m.assignment() == null ? new byte[0] : m.assignment().bytes()));
                }
            } catch (RuntimeException e) {
                g.setErrorCode(code(e));
            }
        }
        return out;
    }

    DeleteGroupsResponseData delete(DeleteGroupsRequestData req) {
        DeleteGroupsResponseData out = new DeleteGroupsResponseData();
        for (String id : req.groupsNames()) {
            DeleteGroupsResponseData.DeletableGroupResult r = new DeleteGroupsResponseData.DeletableGroupResult().setGroupId(id);
            try {
                groups.deleteGroup(id);
            } catch (RuntimeException e) {
                r.setErrorCode(code(e));
            }
            out.results().add(r);
        }
        return out;
    }
}
