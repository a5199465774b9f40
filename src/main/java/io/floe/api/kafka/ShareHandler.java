package io.floe.api.kafka;

import io.floe.log.LogEngine;
import io.floe.model.FloeException;
import io.floe.model.TopicPartition;
import io.floe.share.AckType;
import io.floe.share.Acknowledgement;
import io.floe.share.AcquiredRecords;
import io.floe.share.ShareFetch;
import io.floe.share.ShareFetchResult;
import io.floe.share.ShareGroupDoc;
import io.floe.share.ShareGroups;
import io.floe.share.ShareHeartbeat;
import io.floe.share.ShareHeartbeatResult;
import io.floe.share.ShareMember;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ShareAcknowledgeRequestData;
import org.apache.kafka.common.message.ShareAcknowledgeResponseData;
import org.apache.kafka.common.message.ShareFetchRequestData;
import org.apache.kafka.common.message.ShareFetchResponseData;
import org.apache.kafka.common.message.ShareGroupDescribeRequestData;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * The share group APIs (KIP-932) over {@link ShareGroups}: ShareGroupHeartbeat, ShareGroupDescribe,
 * ShareFetch, ShareAcknowledge, Describe/Alter/DeleteShareGroupOffsets, and share groups in ListGroups.
 * Kafka's messages stop here; the engine sees names, offsets and {@link Acknowledgement}s. Topic ids are
 * Floe's topic ids ({@link TopicIds}). Share sessions are this listener's ({@link ShareSessions}). The
 * group's permission is checked before (a row of {@link KafkaAuthorization}); the topics' permissions are
 * asked here through a {@link KafkaAuthorization.TopicAccess}, because Kafka answers them per topic or
 * partition inside the response.
 *
 * <p>Thread-safe. Calls block on the bucket; a ShareFetch that may wait runs on a virtual thread.
 */
final class ShareHandler {

    static final Map<ApiKeys, Short> VERSIONS = Map.of(
            ApiKeys.SHARE_GROUP_HEARTBEAT, (short) 1,
            ApiKeys.SHARE_GROUP_DESCRIBE, (short) 1,
            ApiKeys.SHARE_FETCH, (short) 1,
            ApiKeys.SHARE_ACKNOWLEDGE, (short) 1,
            ApiKeys.DESCRIBE_SHARE_GROUP_OFFSETS, (short) 1,
            ApiKeys.ALTER_SHARE_GROUP_OFFSETS, (short) 0,
            ApiKeys.DELETE_SHARE_GROUP_OFFSETS, (short) 0);

    private final ShareGroups shares;
    private final LogEngine engine;
    private final int nodeId;
    private final ShareSessions sessions = new ShareSessions();
    private final Map<Uuid, String> topicNames = new ConcurrentHashMap<>();
    private final ExecutorService waiting = Executors.newVirtualThreadPerTaskExecutor();

    ShareHandler(ShareGroups shares, LogEngine engine, int nodeId) {
        this.shares = shares;
        this.engine = engine;
        this.nodeId = nodeId;
    }

    // ---- membership ------------------------------------------------------------------------------

    ShareGroupHeartbeatResponseData heartbeat(ShareGroupHeartbeatRequestData req, String clientId, String clientHost) {
        ShareGroupHeartbeatResponseData out = new ShareGroupHeartbeatResponseData().setMemberId(req.memberId());
        try {
            ShareHeartbeatResult r = shares.heartbeat(new ShareHeartbeat(req.groupId(), req.memberId(), req.memberEpoch(),
                    clientId, clientHost, req.rackId(), req.subscribedTopicNames()));
            if (r.memberEpoch() == ShareHeartbeat.LEAVE) {
                sessions.forget(req.groupId(), req.memberId());
            }
            out.setMemberEpoch(r.memberEpoch()).setHeartbeatIntervalMs(r.heartbeatIntervalMs());
            if (r.assignment() != null) {
                ShareGroupHeartbeatResponseData.Assignment a = new ShareGroupHeartbeatResponseData.Assignment();
                r.assignment().forEach((topic, ps) -> topicId(topic).ifPresent(id -> a.topicPartitions().add(
                        new ShareGroupHeartbeatResponseData.TopicPartitions().setTopicId(id).setPartitions(new ArrayList<>(ps)))));
                out.setAssignment(a);
            }
        } catch (RuntimeException e) {
            out.setErrorCode(KafkaErrors.of(e).code()).setErrorMessage(KafkaErrors.message(e));
        }
        return out;
    }

    ShareGroupDescribeResponseData describe(ShareGroupDescribeRequestData req) {
        ShareGroupDescribeResponseData out = new ShareGroupDescribeResponseData();
        for (String id : req.groupIds()) {
            ShareGroupDescribeResponseData.DescribedGroup g = new ShareGroupDescribeResponseData.DescribedGroup().setGroupId(id);
            out.groups().add(g);
            try {
                Optional<ShareGroupDoc> d = shares.describe(id);
                if (d.isEmpty()) {
                    g.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()).setErrorMessage("Share group '" + id + "' does not exist.")
                            .setGroupState("Dead");
                    continue;
                }
                ShareGroupDoc doc = d.get();
                g.setGroupState(doc.state()).setGroupEpoch(doc.groupEpoch()).setAssignmentEpoch(doc.groupEpoch()).setAssignorName("simple");
                for (ShareMember m : doc.members().values()) {
                    ShareGroupDescribeResponseData.Assignment a = new ShareGroupDescribeResponseData.Assignment();
                    m.assignment().forEach((topic, ps) -> topicId(topic).ifPresent(tid -> a.topicPartitions().add(
                            new ShareGroupDescribeResponseData.TopicPartitions().setTopicId(tid).setTopicName(topic)
                                    .setPartitions(new ArrayList<>(ps)))));
                    g.members().add(new ShareGroupDescribeResponseData.Member().setMemberId(m.memberId()).setRackId(m.rackId())
                            .setMemberEpoch(m.memberEpoch()).setClientId(m.clientId()).setClientHost(m.clientHost())
                            .setSubscribedTopicNames(new ArrayList<>(m.topics())).setAssignment(a));
                }
            } catch (RuntimeException e) {
                g.setErrorCode(KafkaErrors.of(e).code()).setErrorMessage(KafkaErrors.message(e)).setGroupState("Dead");
            }
        }
        return out;
    }

    /** Adds the share groups to a ListGroups answer, as Kafka lists them (type "share", protocol type "share"). */
    ListGroupsResponseData addTo(ListGroupsResponseData out, ListGroupsRequestData req) {
        if (out.errorCode() != 0 || !req.typesFilter().isEmpty()
                && req.typesFilter().stream().noneMatch(t -> t.equalsIgnoreCase("share"))) {
            return out;
        }
        try {
            for (String id : shares.groupIds()) {
                String state = shares.describe(id).map(ShareGroupDoc::state).orElse(null);
                if (state == null || !req.statesFilter().isEmpty() && req.statesFilter().stream().noneMatch(state::equalsIgnoreCase)) {
                    continue;
                }
                out.groups().add(new ListGroupsResponseData.ListedGroup().setGroupId(id).setProtocolType("share")
                        .setGroupState(state).setGroupType("share"));
            }
        } catch (RuntimeException e) {
            out.setErrorCode(KafkaErrors.of(e).code());
        }
        return out;
    }

    /** Start offsets and lag; a topic the principal may not DESCRIBE is left out (all topics) or TOPIC_AUTHORIZATION_FAILED (named). */
    DescribeShareGroupOffsetsResponseData describeOffsets(DescribeShareGroupOffsetsRequestData req, KafkaAuthorization.TopicAccess access) {
        DescribeShareGroupOffsetsResponseData out = new DescribeShareGroupOffsetsResponseData();
        for (DescribeShareGroupOffsetsRequestData.DescribeShareGroupOffsetsRequestGroup g : req.groups()) {
            var rg = new DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseGroup().setGroupId(g.groupId());
            out.groups().add(rg);
            try {
                Map<TopicPartition, Long> starts = shares.startOffsets(g.groupId());
                Map<String, DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseTopic> topics = new LinkedHashMap<>();
                for (var t : g.topics() == null ? List.<DescribeShareGroupOffsetsRequestData.DescribeShareGroupOffsetsRequestTopic>of() : g.topics()) {
                    if (!access.allows(AclOperation.DESCRIBE, t.topicName())) {
                        var denied = new DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseTopic()
                                .setTopicName(t.topicName()).setTopicId(Uuid.ZERO_UUID);
                        t.partitions().forEach(p -> denied.partitions().add(
                                new DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponsePartition().setPartitionIndex(p)
                                        .setStartOffset(-1).setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                                        .setErrorMessage(Errors.TOPIC_AUTHORIZATION_FAILED.message())));
                        rg.topics().add(denied);
                    }
                }
                starts.forEach((tp, spso) -> {
                    if (g.topics() != null && g.topics().stream().noneMatch(t -> t.topicName().equals(tp.topic())
                            && t.partitions().contains(tp.partition())) || !access.allows(AclOperation.DESCRIBE, tp.topic())) {
                        return;
                    }
                    Optional<Uuid> id = topicId(tp.topic());
                    if (id.isEmpty()) {
                        return;
                    }
                    var t = topics.computeIfAbsent(tp.topic(), n -> {
                        var nt = new DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseTopic()
                                .setTopicName(n).setTopicId(id.get());
                        rg.topics().add(nt);
                        return nt;
                    });
                    long end = engine.offsets(tp.topic(), tp.partition()).endOffset();
                    t.partitions().add(new DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponsePartition()
                            .setPartitionIndex(tp.partition()).setStartOffset(spso).setLeaderEpoch(0).setLag(Math.max(0, end - spso)));
                });
            } catch (RuntimeException e) {
                rg.setErrorCode(KafkaErrors.of(e).code()).setErrorMessage(KafkaErrors.message(e));
            }
        }
        return out;
    }

    /** Sets start offsets; the partitions of a topic the principal may not READ are TOPIC_AUTHORIZATION_FAILED and left alone. */
    org.apache.kafka.common.message.AlterShareGroupOffsetsResponseData alterOffsets(
            org.apache.kafka.common.message.AlterShareGroupOffsetsRequestData req, KafkaAuthorization.TopicAccess access) {
        var out = new org.apache.kafka.common.message.AlterShareGroupOffsetsResponseData();
        Map<TopicPartition, Long> wanted = new LinkedHashMap<>();
        Map<TopicPartition, FloeException> denied = new LinkedHashMap<>();
        req.topics().forEach(t -> t.partitions().forEach(p -> {
            TopicPartition tp = new TopicPartition(t.topicName(), p.partitionIndex());
            if (access.allows(AclOperation.READ, t.topicName())) {
                wanted.put(tp, p.startOffset());
            } else {
                denied.put(tp, null);
            }
        }));
        try {
            Map<TopicPartition, FloeException> refused = wanted.isEmpty() ? new LinkedHashMap<>()
                    : new LinkedHashMap<>(shares.alterStartOffsets(req.groupId(), wanted));
            for (var t : req.topics()) {
                var rt = new org.apache.kafka.common.message.AlterShareGroupOffsetsResponseData.AlterShareGroupOffsetsResponseTopic()
                        .setTopicName(t.topicName()).setTopicId(topicId(t.topicName()).orElse(Uuid.ZERO_UUID));
                out.responses().add(rt);
                for (var p : t.partitions()) {
                    TopicPartition tp = new TopicPartition(t.topicName(), p.partitionIndex());
                    FloeException e = refused.get(tp);
                    var rp = new org.apache.kafka.common.message.AlterShareGroupOffsetsResponseData.AlterShareGroupOffsetsResponsePartition()
                            .setPartitionIndex(p.partitionIndex());
                    if (denied.containsKey(tp)) {
                        rp.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()).setErrorMessage(Errors.TOPIC_AUTHORIZATION_FAILED.message());
                    } else if (e != null) {
                        rp.setErrorCode(KafkaErrors.of(e).code()).setErrorMessage(e.getMessage());
                    }
                    rt.partitions().add(rp);
                }
            }
        } catch (RuntimeException e) {
            out.setErrorCode(KafkaErrors.of(e).code()).setErrorMessage(KafkaErrors.message(e));
        }
        return out;
    }

    /**
     * Forgets the share-partitions of the named topics (kafka-share-groups.sh --delete-offsets); a topic the
     * principal may not READ is TOPIC_AUTHORIZATION_FAILED and left alone.
     */
    org.apache.kafka.common.message.DeleteShareGroupOffsetsResponseData deleteOffsets(
            org.apache.kafka.common.message.DeleteShareGroupOffsetsRequestData req, KafkaAuthorization.TopicAccess access) {
        var out = new org.apache.kafka.common.message.DeleteShareGroupOffsetsResponseData();
        List<String> allowed = new ArrayList<>();
        for (var t : req.topics()) {
            if (access.allows(AclOperation.READ, t.topicName())) {
                allowed.add(t.topicName());
            }
        }
        try {
            Map<String, FloeException> refused = shares.deleteStartOffsets(req.groupId(), allowed);
            for (var t : req.topics()) {
                var rt = new org.apache.kafka.common.message.DeleteShareGroupOffsetsResponseData.DeleteShareGroupOffsetsResponseTopic()
                        .setTopicName(t.topicName()).setTopicId(topicId(t.topicName()).orElse(Uuid.ZERO_UUID));
                FloeException e = refused.get(t.topicName());
                if (!allowed.contains(t.topicName())) {
                    rt.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()).setErrorMessage(Errors.TOPIC_AUTHORIZATION_FAILED.message());
                } else if (e != null) {
                    rt.setErrorCode(KafkaErrors.of(e).code()).setErrorMessage(e.getMessage());
                }
                out.responses().add(rt);
            }
        } catch (RuntimeException e) {
            out.setErrorCode(KafkaErrors.of(e).code()).setErrorMessage(KafkaErrors.message(e));
        }
        return out;
    }

    /**
     * DeleteGroups for share groups: the classic answer said GROUP_ID_NOT_FOUND; a share group of that id
     * is deleted (NON_EMPTY_GROUP while it has members).
     */
    org.apache.kafka.common.message.DeleteGroupsResponseData deleteShareGroups(org.apache.kafka.common.message.DeleteGroupsResponseData out) {
        for (var r : out.results()) {
            if (r.errorCode() != Errors.GROUP_ID_NOT_FOUND.code()) {
                continue;
            }
            try {
                if (shares.describe(r.groupId()).isPresent()) {
                    shares.deleteGroup(r.groupId());
                    r.setErrorCode(Errors.NONE.code());
                }
            } catch (RuntimeException e) {
                r.setErrorCode(KafkaErrors.of(e).code());
            }
        }
        return out;
    }

    // ---- delivery --------------------------------------------------------------------------------

    /** A partition of a topic the principal may not READ is TOPIC_AUTHORIZATION_FAILED: not fetched from, its acknowledgements not applied. */
    CompletableFuture<ApiMessage> fetch(ShareFetchRequestData req, KafkaAuthorization.TopicAccess access) {
        ShareFetchResponseData out = new ShareFetchResponseData()
                .setAcquisitionLockTimeoutMs((int) shares.limits(req.groupId()).lockDuration().toMillis());
        List<TopicPartition> added = new ArrayList<>();
        Map<TopicPartition, List<Acknowledgement>> acks = new LinkedHashMap<>();
        Map<TopicPartition, Errors> invalid = new LinkedHashMap<>();
        Map<TopicPartition, Uuid> ids = new LinkedHashMap<>();
        for (ShareFetchRequestData.FetchTopic t : req.topics()) {
            for (ShareFetchRequestData.FetchPartition p : t.partitions()) {
                TopicPartition tp = partition(t.topicId(), p.partitionIndex(), ids);
                if (tp == null) {
                    partitionOf(out, t.topicId(), p.partitionIndex()).setErrorCode(Errors.UNKNOWN_TOPIC_ID.code())
                            .setErrorMessage("No topic has id " + t.topicId() + ".");
                    continue;
                }
                if (!access.allows(AclOperation.READ, tp.topic())) {
                    partitionOf(out, t.topicId(), p.partitionIndex()).setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                            .setErrorMessage(Errors.TOPIC_AUTHORIZATION_FAILED.message());
                    continue;
                }
                added.add(tp);
                parseAcks(p.acknowledgementBatches(), tp, acks, invalid);
            }
        }
        List<TopicPartition> forgotten = new ArrayList<>();
        for (ShareFetchRequestData.ForgottenTopic f : req.forgottenTopicsData()) {
            for (int p : f.partitions()) {
                TopicPartition tp = partition(f.topicId(), p, ids);
                if (tp != null) {
                    forgotten.add(tp);
                }
            }
        }
        ShareSessions.Session[] session = new ShareSessions.Session[1];
        ShareSessions.Refusal refusal = sessions.advance(req.groupId(), req.memberId(), req.shareSessionEpoch(), added, forgotten,
                true, session);
        if (refusal != null) {
            return done(out.setErrorCode(sessionError(refusal).code()).setErrorMessage(sessionMessage(refusal, req.shareSessionEpoch())));
        }
        boolean closing = req.shareSessionEpoch() == -1;
        List<TopicPartition> fetchFrom = closing ? List.of() : new ArrayList<>(session[0].partitions());
        ShareFetch f = new ShareFetch(req.groupId(), req.memberId(), fetchFrom, acks, Math.max(1, req.maxRecords()),
                req.maxBytes() <= 0 ? Integer.MAX_VALUE : req.maxBytes(), Duration.ofMillis(Math.max(0, req.maxWaitMs())));
        return CompletableFuture.supplyAsync(() -> {
            try {
                ShareFetchResult r = shares.fetch(f);
                r.partitions().forEach((tp, p) -> {
                    if (acks.containsKey(tp) || invalid.containsKey(tp) || !p.acquired().isEmpty() || p.fetchError() != null) {
                        fill(out, ids.computeIfAbsent(tp, x -> topicId(x.topic()).orElse(Uuid.ZERO_UUID)), tp, p, invalid.get(tp));
                    }
                });
                invalid.forEach((tp, e) -> {
                    if (!r.partitions().containsKey(tp)) {
                        partitionOf(out, ids.get(tp), tp.partition()).setAcknowledgeErrorCode(e.code());
                    }
                });
                if (closing) {
                    shares.release(req.groupId(), req.memberId(), session[0].partitions());
                }
            } catch (RuntimeException e) {
                out.setErrorCode(KafkaErrors.of(e).code()).setErrorMessage(KafkaErrors.message(e));
                if (req.shareSessionEpoch() == 0) {
                    sessions.forget(req.groupId(), req.memberId());
                }
            }
            return (ApiMessage) out;
        }, waiting);
    }

    /** A partition of a topic the principal may not READ is TOPIC_AUTHORIZATION_FAILED and its acknowledgements are not applied. */
    ShareAcknowledgeResponseData acknowledge(ShareAcknowledgeRequestData req, KafkaAuthorization.TopicAccess access) {
        ShareAcknowledgeResponseData out = new ShareAcknowledgeResponseData();
        Map<TopicPartition, List<Acknowledgement>> acks = new LinkedHashMap<>();
        Map<TopicPartition, Errors> invalid = new LinkedHashMap<>();
        Map<TopicPartition, Uuid> ids = new LinkedHashMap<>();
        for (ShareAcknowledgeRequestData.AcknowledgeTopic t : req.topics()) {
            for (ShareAcknowledgeRequestData.AcknowledgePartition p : t.partitions()) {
                TopicPartition tp = partition(t.topicId(), p.partitionIndex(), ids);
                if (tp == null) {
                    ackPartitionOf(out, t.topicId(), p.partitionIndex()).setErrorCode(Errors.UNKNOWN_TOPIC_ID.code());
                    continue;
                }
                if (!access.allows(AclOperation.READ, tp.topic())) {
                    ackPartitionOf(out, t.topicId(), p.partitionIndex()).setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                            .setErrorMessage(Errors.TOPIC_AUTHORIZATION_FAILED.message());
                    continue;
                }
                List<ShareFetchRequestData.AcknowledgementBatch> batches = new ArrayList<>();
                for (ShareAcknowledgeRequestData.AcknowledgementBatch b : p.acknowledgementBatches()) {
                    batches.add(new ShareFetchRequestData.AcknowledgementBatch().setFirstOffset(b.firstOffset())
                            .setLastOffset(b.lastOffset()).setAcknowledgeTypes(b.acknowledgeTypes()));
                }
                parseAcks(batches, tp, acks, invalid);
            }
        }
        ShareSessions.Session[] session = new ShareSessions.Session[1];
        ShareSessions.Refusal refusal = sessions.advance(req.groupId(), req.memberId(), req.shareSessionEpoch(), List.of(), List.of(),
                false, session);
        if (refusal != null) {
            return out.setErrorCode(sessionError(refusal).code()).setErrorMessage(sessionMessage(refusal, req.shareSessionEpoch()));
        }
        try {
            Map<TopicPartition, FloeException> refused = shares.acknowledge(req.groupId(), req.memberId(), acks);
            for (TopicPartition tp : acks.keySet()) {
                FloeException e = refused.get(tp);
                var p = ackPartitionOf(out, ids.get(tp), tp.partition());
                if (e != null) {
                    p.setErrorCode(KafkaErrors.of(e).code()).setErrorMessage(e.getMessage());
                }
            }
            invalid.forEach((tp, e) -> ackPartitionOf(out, ids.get(tp), tp.partition()).setErrorCode(e.code()));
            if (req.shareSessionEpoch() == -1) {
                shares.release(req.groupId(), req.memberId(), session[0].partitions());
            }
        } catch (RuntimeException e) {
            out.setErrorCode(KafkaErrors.of(e).code()).setErrorMessage(KafkaErrors.message(e));
        }
        return out;
    }

    private static Errors sessionError(ShareSessions.Refusal r) {
        return r == ShareSessions.Refusal.NOT_FOUND ? Errors.SHARE_SESSION_NOT_FOUND : Errors.INVALID_SHARE_SESSION_EPOCH;
    }

    private static String sessionMessage(ShareSessions.Refusal r, int epoch) {
        return r == ShareSessions.Refusal.NOT_FOUND ? "No share session here for this member; open one with epoch 0."
                : "Share session epoch " + epoch + " is not the one expected.";
    }

    /** Kafka's acknowledgement batches as Floe's; a batch with an unknown type makes the partition's acknowledgement INVALID_REQUEST. */
    private static void parseAcks(List<ShareFetchRequestData.AcknowledgementBatch> batches, TopicPartition tp,
                                  Map<TopicPartition, List<Acknowledgement>> acks, Map<TopicPartition, Errors> invalid) {
        if (batches.isEmpty()) {
            return;
        }
        List<Acknowledgement> list = new ArrayList<>();
        for (ShareFetchRequestData.AcknowledgementBatch b : batches) {
            List<AckType> types = new ArrayList<>();
            for (byte t : b.acknowledgeTypes()) {
                Optional<AckType> type = AckType.ofId(t);
                if (type.isEmpty()) {
                    invalid.put(tp, Errors.INVALID_REQUEST);
                    return;
                }
                types.add(type.get());
            }
            try {
                list.add(new Acknowledgement(b.firstOffset(), b.lastOffset(), types));
            } catch (IllegalArgumentException e) {
                invalid.put(tp, Errors.INVALID_REQUEST);
                return;
            }
        }
        acks.put(tp, list);
    }

    private void fill(ShareFetchResponseData out, Uuid id, TopicPartition tp, ShareFetchResult.Partition p, Errors invalidAck) {
        ShareFetchResponseData.PartitionData d = partitionOf(out, id, tp.partition());
        if (p.fetchError() != null) {
            d.setErrorCode(KafkaErrors.of(p.fetchError()).code()).setErrorMessage(p.fetchError().getMessage());
        }
        if (invalidAck != null) {
            d.setAcknowledgeErrorCode(invalidAck.code());
        } else if (p.ackError() != null) {
            d.setAcknowledgeErrorCode(KafkaErrors.of(p.ackError()).code()).setAcknowledgeErrorMessage(p.ackError().getMessage());
        }
        for (AcquiredRecords a : p.acquired()) {
            d.acquiredRecords().add(new ShareFetchResponseData.AcquiredRecords().setFirstOffset(a.firstOffset())
                    .setLastOffset(a.lastOffset()).setDeliveryCount((short) a.deliveryCount()));
        }
        d.setRecords(records(p.batches()));
    }

    private static MemoryRecords records(List<ByteBuffer> batches) {
        if (batches.isEmpty()) {
            return MemoryRecords.EMPTY;
        }
        int size = batches.stream().mapToInt(ByteBuffer::remaining).sum();
        ByteBuffer all = ByteBuffer.allocate(size);
        batches.forEach(b -> all.put(b.duplicate()));
        return MemoryRecords.readableRecords(all.flip());
    }

    private ShareFetchResponseData.PartitionData partitionOf(ShareFetchResponseData out, Uuid id, int partition) {
        ShareFetchResponseData.ShareFetchableTopicResponse t = out.responses().find(id);
        if (t == null) {
            t = new ShareFetchResponseData.ShareFetchableTopicResponse().setTopicId(id);
            out.responses().add(t);
        }
        for (ShareFetchResponseData.PartitionData d : t.partitions()) {
            if (d.partitionIndex() == partition) {
                return d;
            }
        }
        ShareFetchResponseData.PartitionData d = new ShareFetchResponseData.PartitionData().setPartitionIndex(partition)
                .setRecords(MemoryRecords.EMPTY);
        d.currentLeader().setLeaderId(nodeId).setLeaderEpoch(0);
        t.partitions().add(d);
        return d;
    }

    private ShareAcknowledgeResponseData.PartitionData ackPartitionOf(ShareAcknowledgeResponseData out, Uuid id, int partition) {
        ShareAcknowledgeResponseData.ShareAcknowledgeTopicResponse t = out.responses().find(id);
        if (t == null) {
            t = new ShareAcknowledgeResponseData.ShareAcknowledgeTopicResponse().setTopicId(id);
            out.responses().add(t);
        }
        for (ShareAcknowledgeResponseData.PartitionData d : t.partitions()) {
            if (d.partitionIndex() == partition) {
                return d;
            }
        }
        ShareAcknowledgeResponseData.PartitionData d = new ShareAcknowledgeResponseData.PartitionData().setPartitionIndex(partition);
        d.currentLeader().setLeaderId(nodeId).setLeaderEpoch(0);
        t.partitions().add(d);
        return d;
    }

    // ---- topic ids -------------------------------------------------------------------------------

    private TopicPartition partition(Uuid id, int partition, Map<TopicPartition, Uuid> ids) {
        String name = topicName(id);
        if (name == null) {
            return null;
        }
        TopicPartition tp = new TopicPartition(name, partition);
        ids.put(tp, id);
        return tp;
    }

    private String topicName(Uuid id) {
        String name = topicNames.get(id);
        if (name != null) {
            return name;
        }
        topicNames.putAll(TopicIds.namesById(engine));
        return topicNames.get(id);
    }

    private Optional<Uuid> topicId(String topic) {
        return TopicIds.of(engine, topic);
    }

    private static CompletableFuture<ApiMessage> done(ApiMessage m) {
        return CompletableFuture.completedFuture(m);
    }
}
