package io.floe.api.kafka;

import io.floe.auth.Authorizer;
import io.floe.auth.Security;
import io.floe.group.GroupCoordinator;
import io.floe.log.LogEngine;
import io.floe.model.FloeException;
import io.floe.model.Topic;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.DescribeClusterRequest;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * Routes decoded requests to their handlers and answers the cluster-shaped ones itself: ApiVersions,
 * Metadata, DescribeCluster, FindCoordinator and InitProducerId (idempotent producers; transactional
 * ones go to {@link TxnHandler}). Floe is leaderless: every instance reports itself (or its advertised
 * address) as the one broker, with a stable node id, that leads every partition and coordinates every
 * group and transactional id (FindCoordinator answers every key type the same).
 *
 * <p>Thread-safe. Handlers that only buffer or compute run on the connection's reader thread;
 * blocking admin calls also run there (a virtual thread), which keeps the connection's order.
 */
final class KafkaApis {

    private final LogEngine engine;
    private final ProducerIds producerIds;
    private final KafkaSettings settings;
    private volatile ApiTable table;
    private final ProduceHandler produce;
    private final FetchHandler fetch;
    private final TopicAdmin admin;
    private final PartitionAdmin partitions;
    private final TelemetrySubscriptions telemetry;

    private final GroupHandler groups;
    private final ConsumerGroupHandler consumerGroups;
    private final TxnHandler txns;
    private final Authorizer authorizer;
    private final SecurityAdmin securityAdmin;
    /** The share group APIs; null until {@link #enableShareGroups} (then answered). */
    private volatile ShareHandler shares;

    /**
     * @param txns     the transaction APIs; null answers them UNSUPPORTED_VERSION (and InitProducerId with a
     *                 transactional id likewise)
     * @param security who may do what (the one authorizer) and, when users live in the bucket, their admin APIs
     */
    KafkaApis(LogEngine engine, ProducerIds producerIds, Clock clock, KafkaSettings settings, GroupCoordinator groups,
              TxnHandler txns, Security security) {
        this.engine = engine;
        this.producerIds = producerIds;
        this.settings = settings;
        this.groups = groups == null ? null : txns == null ? new GroupHandler(groups)
                : new GroupHandler(groups).withPendingOffsets(txns::pendingOffsets);
        this.txns = txns;
        this.authorizer = security.authorizer();
        this.securityAdmin = security.store() == null ? null : new SecurityAdmin(security.store());
        this.consumerGroups = groups == null ? null : new ConsumerGroupHandler(groups, engine);
        ApiTable t = groups == null ? ApiTable.withoutGroups()
                : ApiTable.withoutGroups().plus(GroupHandler.VERSIONS).plus(ConsumerGroupHandler.VERSIONS);
        if (txns != null) {
            t = t.plus(TxnHandler.VERSIONS);
        }
        if (securityAdmin != null) {
            t = t.plus(ApiTable.SECURITY_ADMIN);
        }
        if (security.required()) {
            t = t.plus(ApiTable.SASL);
        }
        this.table = t;
        this.produce = new ProduceHandler(engine);
        this.fetch = new FetchHandler(engine);
        this.admin = new TopicAdmin(engine, settings.nodeId(), settings.autoCreateTopics());
        this.partitions = new PartitionAdmin(engine);
        this.telemetry = new TelemetrySubscriptions(clock, settings.nodeId());
    }

    /** Answers the share group APIs (KIP-932) with {@code shareGroups}; called before the listener accepts. */
    void enableShareGroups(io.floe.share.ShareGroups shareGroups) {
        shares = new ShareHandler(shareGroups, engine, settings.nodeId());
        admin.enableGroupConfigs(new GroupConfigs(shareGroups));
        table = table.plus(ShareHandler.VERSIONS);
    }

    boolean supports(ApiKeys key, short version) {
        return table.supports(key, version);
    }

    ApiMessage apiVersions(Errors error) {
        return table.apiVersions(error);
    }

    /** The response, or null when none is due (acks=0 produce). Authorized first ({@link KafkaAuthorization}). */
    CompletableFuture<ApiMessage> handle(RequestHeader header, AbstractRequest request, Connection.ConnectionContext ctx) {
        ApiException denied = authorize(header.apiKey(), request, ctx);
        if (denied != null) {
            if (request instanceof org.apache.kafka.common.requests.ProduceRequest p && p.acks() == 0) {
                return null; // no response is due; the denial is logged (Kafka closes the connection)
            }
            return CompletableFuture.failedFuture(denied);
        }
        short v = header.apiVersion();
        return switch (header.apiKey()) {
            case API_VERSIONS -> done(apiVersions(((ApiVersionsRequest) request).isValid() ? Errors.NONE : Errors.INVALID_REQUEST));
            case METADATA -> done(metadata(((MetadataRequest) request).data(), ctx));
            case PRODUCE -> produce.handle((org.apache.kafka.common.requests.ProduceRequest) request);
            case FETCH -> fetch.fetch(((org.apache.kafka.common.requests.FetchRequest) request).data());
            case LIST_OFFSETS -> fetch.listOffsets(((org.apache.kafka.common.requests.ListOffsetsRequest) request).data());
            case CREATE_TOPICS -> done(admin.createTopics(((org.apache.kafka.common.requests.CreateTopicsRequest) request).data(), v));
            case DELETE_TOPICS -> done(admin.deleteTopics(((org.apache.kafka.common.requests.DeleteTopicsRequest) request).data()));
            case CREATE_PARTITIONS -> done(admin.createPartitions(((org.apache.kafka.common.requests.CreatePartitionsRequest) request).data()));
            case DESCRIBE_CONFIGS -> done(admin.describeConfigs(((org.apache.kafka.common.requests.DescribeConfigsRequest) request).data()));
            case ALTER_CONFIGS -> done(admin.alterConfigs(((org.apache.kafka.common.requests.AlterConfigsRequest) request).data()));
            case INCREMENTAL_ALTER_CONFIGS -> done(admin.incrementalAlterConfigs(
                    ((org.apache.kafka.common.requests.IncrementalAlterConfigsRequest) request).data()));
            case DESCRIBE_CLUSTER -> done(describeCluster((DescribeClusterRequest) request, ctx));
            case FIND_COORDINATOR -> done(findCoordinator(((FindCoordinatorRequest) request).data(), v, ctx));
            case INIT_PRODUCER_ID -> done(initProducerId(((InitProducerIdRequest) request).data()));
            case DELETE_RECORDS -> done(partitions.deleteRecords(((org.apache.kafka.common.requests.DeleteRecordsRequest) request).data()));
            case OFFSET_FOR_LEADER_EPOCH -> done(partitions.offsetForLeaderEpoch(
                    ((org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest) request).data()));
            case GET_TELEMETRY_SUBSCRIPTIONS -> done(telemetry.subscriptions(
                    ((org.apache.kafka.common.requests.GetTelemetrySubscriptionsRequest) request).data()));
            case JOIN_GROUP -> groups.join(((org.apache.kafka.common.requests.JoinGroupRequest) request).data(), v,
                    header.clientId(), ctx.peerHost());
            case SYNC_GROUP -> groups.sync(((org.apache.kafka.common.requests.SyncGroupRequest) request).data());
            case HEARTBEAT -> done(groups.heartbeat(((org.apache.kafka.common.requests.HeartbeatRequest) request).data()));
            case LEAVE_GROUP -> done(groups.leave(((org.apache.kafka.common.requests.LeaveGroupRequest) request).data(), v));
            case OFFSET_COMMIT -> done(groups.commit(((org.apache.kafka.common.requests.OffsetCommitRequest) request).data()));
            case OFFSET_FETCH -> done(groups.fetchOffsets((org.apache.kafka.common.requests.OffsetFetchRequest) request, v));
            case LIST_GROUPS -> done(visibleGroups(withShareGroups(groups.list(((org.apache.kafka.common.requests.ListGroupsRequest) request)
                    .data()), ((org.apache.kafka.common.requests.ListGroupsRequest) request).data()), ctx));
            case DESCRIBE_GROUPS -> done(groups.describe(((org.apache.kafka.common.requests.DescribeGroupsRequest) request).data(), v));
            case DELETE_GROUPS -> done(withShareDeletes(groups.delete(((org.apache.kafka.common.requests.DeleteGroupsRequest) request)
                    .data())));
            case OFFSET_DELETE -> done(groups.deleteOffsets(((org.apache.kafka.common.requests.OffsetDeleteRequest) request).data()));
            case CONSUMER_GROUP_HEARTBEAT -> done(consumerGroups.heartbeat(
                    ((org.apache.kafka.common.requests.ConsumerGroupHeartbeatRequest) request).data(), header.clientId(),
                    ctx.peerHost(), authorizer.enabled() ? topic -> mayDescribe(ctx, ResourceType.TOPIC, topic) : null));
            case CONSUMER_GROUP_DESCRIBE -> done(withDescribableTopics(consumerGroups.describe(
                    ((org.apache.kafka.common.requests.ConsumerGroupDescribeRequest) request).data()), ctx));
            case ADD_PARTITIONS_TO_TXN -> done(txns.addPartitions(
                    ((org.apache.kafka.common.requests.AddPartitionsToTxnRequest) request).data(), v));
            case ADD_OFFSETS_TO_TXN -> done(txns.addOffsets(((org.apache.kafka.common.requests.AddOffsetsToTxnRequest) request).data()));
            case TXN_OFFSET_COMMIT -> done(txns.commitOffsets(((org.apache.kafka.common.requests.TxnOffsetCommitRequest) request).data()));
            case END_TXN -> done(txns.endTxn(((org.apache.kafka.common.requests.EndTxnRequest) request).data()));
            case DESCRIBE_TRANSACTIONS -> done(txns.describe(
                    ((org.apache.kafka.common.requests.DescribeTransactionsRequest) request).data()));
            case LIST_TRANSACTIONS -> done(txns.list(((org.apache.kafka.common.requests.ListTransactionsRequest) request).data()));
            case DESCRIBE_PRODUCERS -> done(txns.describeProducers(
                    ((org.apache.kafka.common.requests.DescribeProducersRequest) request).data()));
            case WRITE_TXN_MARKERS -> done(txns.writeMarkers(((org.apache.kafka.common.requests.WriteTxnMarkersRequest) request).data()));
            case CREATE_ACLS -> done(securityAdmin.createAcls(((org.apache.kafka.common.requests.CreateAclsRequest) request).data()));
            case DESCRIBE_ACLS -> done(securityAdmin.describeAcls(
                    ((org.apache.kafka.common.requests.DescribeAclsRequest) request).data()));
            case DELETE_ACLS -> done(securityAdmin.deleteAcls(((org.apache.kafka.common.requests.DeleteAclsRequest) request).data()));
            case ALTER_USER_SCRAM_CREDENTIALS -> done(securityAdmin.alterUsers(
                    ((org.apache.kafka.common.requests.AlterUserScramCredentialsRequest) request).data()));
            case DESCRIBE_CLIENT_QUOTAS -> done(new org.apache.kafka.common.message.DescribeClientQuotasResponseData()
                    .setEntries(List.of())); // Floe has no client quotas
            case DESCRIBE_USER_SCRAM_CREDENTIALS -> done(securityAdmin.describeUsers(
                    ((org.apache.kafka.common.requests.DescribeUserScramCredentialsRequest) request).data()));
            case SHARE_GROUP_HEARTBEAT -> done(shares.heartbeat(
                    ((org.apache.kafka.common.requests.ShareGroupHeartbeatRequest) request).data(), header.clientId(), ctx.peerHost()));
            case SHARE_GROUP_DESCRIBE -> done(withDescribableTopics(
                    shares.describe(((org.apache.kafka.common.requests.ShareGroupDescribeRequest) request).data()), ctx));
            case SHARE_FETCH -> shares.fetch(((org.apache.kafka.common.requests.ShareFetchRequest) request).data(), topicAccess(ctx));
            case SHARE_ACKNOWLEDGE -> done(shares.acknowledge(((org.apache.kafka.common.requests.ShareAcknowledgeRequest) request).data(),
                    topicAccess(ctx)));
            case ALTER_SHARE_GROUP_OFFSETS -> done(shares.alterOffsets(
                    ((org.apache.kafka.common.requests.AlterShareGroupOffsetsRequest) request).data(), topicAccess(ctx)));
            case DESCRIBE_SHARE_GROUP_OFFSETS -> done(shares.describeOffsets(
                    ((org.apache.kafka.common.requests.DescribeShareGroupOffsetsRequest) request).data(), topicAccess(ctx)));
            case DELETE_SHARE_GROUP_OFFSETS -> done(shares.deleteOffsets(
                    ((org.apache.kafka.common.requests.DeleteShareGroupOffsetsRequest) request).data(), topicAccess(ctx)));
            default -> CompletableFuture.failedFuture(Errors.UNSUPPORTED_VERSION.exception(header.apiKey() + " is not supported"));
        };
    }

    /**
     * Runs the request's row of {@link KafkaAuthorization}: null when allowed, else the Kafka error of
     * the first resource refused. An API without a row is refused (only super-users pass).
     */
    private ApiException authorize(ApiKeys key, AbstractRequest request, Connection.ConnectionContext ctx) {
        if (!authorizer.enabled()) {
            return null;
        }
        KafkaAuthorization.Row row = KafkaAuthorization.row(key);
        if (row == null) {
            KafkaAuthorization.Check cluster = KafkaAuthorization.cluster(AclOperation.ALL);
            return passes(cluster, ctx, true) ? null : Errors.CLUSTER_AUTHORIZATION_FAILED.exception(
                    key + " is not authorized for " + ctx.principal());
        }
        for (KafkaAuthorization.Check c : row.checks().apply(request)) {
            if (!passes(c, ctx, true)) {
                return KafkaAuthorization.error(c.type()).exception(ctx.principal() + " may not " + c.op() + " "
                        + c.type() + " '" + c.name() + "'");
            }
        }
        return null;
    }

    /** The principal's per-topic permissions for handlers that answer them per topic (everything when authorization is off). */
    private KafkaAuthorization.TopicAccess topicAccess(Connection.ConnectionContext ctx) {
        if (!authorizer.enabled()) {
            return (op, topic) -> true;
        }
        return (op, topic) -> passes(new KafkaAuthorization.Check(op, ResourceType.TOPIC, topic), ctx, true);
    }

    /** Whether the check (or its alternative) passes; {@code audit}: log and count a final denial. */
    private boolean passes(KafkaAuthorization.Check c, Connection.ConnectionContext ctx, boolean audit) {
        boolean ok = c.name() == null
                ? authorizer.allowedOnAny(ctx.principal(), ctx.clientAddress(), c.op(), c.type())
                : authorizer.allowed(ctx.principal(), ctx.clientAddress(), c.op(), c.type(), c.name());
        if (ok || (c.orElse() != null && passes(c.orElse(), ctx, false))) {
            return true;
        }
        if (audit && c.name() != null) {
            authorizer.authorize(ctx.principal(), ctx.clientAddress(), c.op(), c.type(), c.name()); // logs and counts
        }
        return false;
    }

    /** Kafka 4's answer for a described group one of whose members is assigned a topic the client may not describe. */
    static final String DESCRIBED_TOPICS_DENIED = "The group has described topic(s) that the client is not authorized to describe.";

    /**
     * A ConsumerGroupDescribe answer as Kafka gives it: a group whose members' assignments or target
     * assignments name a topic the principal may not DESCRIBE is answered TOPIC_AUTHORIZATION_FAILED,
     * without members.
     */
    private org.apache.kafka.common.message.ConsumerGroupDescribeResponseData withDescribableTopics(
            org.apache.kafka.common.message.ConsumerGroupDescribeResponseData out, Connection.ConnectionContext ctx) {
        if (authorizer.enabled()) {
            for (var g : out.groups()) {
                var topics = g.members().stream().flatMap(m -> java.util.stream.Stream.concat(
                        m.assignment().topicPartitions().stream(), m.targetAssignment().topicPartitions().stream()))
                        .map(tp -> tp.topicName());
                if (g.errorCode() == Errors.NONE.code() && !allDescribable(topics, ctx)) {
                    g.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()).setErrorMessage(DESCRIBED_TOPICS_DENIED)
                            .setMembers(new ArrayList<>());
                }
            }
        }
        return out;
    }

    /** The same for ShareGroupDescribe, over the members' assignments. */
    private org.apache.kafka.common.message.ShareGroupDescribeResponseData withDescribableTopics(
            org.apache.kafka.common.message.ShareGroupDescribeResponseData out, Connection.ConnectionContext ctx) {
        if (authorizer.enabled()) {
            for (var g : out.groups()) {
                var topics = g.members().stream().flatMap(m -> m.assignment().topicPartitions().stream()).map(tp -> tp.topicName());
                if (g.errorCode() == Errors.NONE.code() && !allDescribable(topics, ctx)) {
                    g.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()).setErrorMessage(DESCRIBED_TOPICS_DENIED)
                            .setMembers(new ArrayList<>());
                }
            }
        }
        return out;
    }

    private boolean allDescribable(java.util.stream.Stream<String> topics, Connection.ConnectionContext ctx) {
        return topics.distinct().allMatch(t -> mayDescribe(ctx, ResourceType.TOPIC, t));
    }

    private boolean mayDescribe(Connection.ConnectionContext ctx, ResourceType type, String name) {
        return authorizer.allowed(ctx.principal(), ctx.clientAddress(), AclOperation.DESCRIBE, type, name);
    }

    /** DeleteGroups deletes share groups too once they are enabled. */
    private org.apache.kafka.common.message.DeleteGroupsResponseData withShareDeletes(
            org.apache.kafka.common.message.DeleteGroupsResponseData out) {
        ShareHandler s = shares;
        return s == null ? out : s.deleteShareGroups(out);
    }

    /** ListGroups lists share groups too once they are enabled. */
    private org.apache.kafka.common.message.ListGroupsResponseData withShareGroups(
            org.apache.kafka.common.message.ListGroupsResponseData out, org.apache.kafka.common.message.ListGroupsRequestData req) {
        ShareHandler s = shares;
        return s == null ? out : s.addTo(out, req);
    }

    /** ListGroups shows the groups the principal may describe (all of them with DESCRIBE on the cluster). */
    private org.apache.kafka.common.message.ListGroupsResponseData visibleGroups(
            org.apache.kafka.common.message.ListGroupsResponseData all, Connection.ConnectionContext ctx) {
        if (!authorizer.enabled() || mayDescribe(ctx, ResourceType.CLUSTER, io.floe.auth.Authorizer.CLUSTER)) {
            return all;
        }
        all.groups().removeIf(g -> !mayDescribe(ctx, ResourceType.GROUP, g.groupId()));
        return all;
    }

    private static CompletableFuture<ApiMessage> done(ApiMessage m) {
        return CompletableFuture.completedFuture(m);
    }

    private String host(Connection.ConnectionContext ctx) {
        return settings.advertisedHost().orElse(ctx.localHost());
    }

    private int port(Connection.ConnectionContext ctx) {
        return settings.advertisedPort().orElse(ctx.localPort());
    }

    // ---- Metadata --------------------------------------------------------------------------------

    private MetadataResponseData metadata(MetadataRequestData req, Connection.ConnectionContext ctx) {
        MetadataResponseData out = new MetadataResponseData()
                .setClusterId(engine.clusterId())
                .setControllerId(settings.nodeId());
        out.brokers().add(new MetadataResponseData.MetadataResponseBroker()
                .setNodeId(settings.nodeId()).setHost(host(ctx)).setPort(port(ctx)));
        List<Topic> topics = new ArrayList<>();
        if (req.topics() == null) {
            for (Topic t : engine.listTopics()) {
                if (mayDescribe(ctx, ResourceType.TOPIC, t.name())) {
                    topics.add(t);
                }
            }
        } else {
            java.util.Map<Uuid, String> byId = null;
            for (MetadataRequestData.MetadataRequestTopic t : req.topics()) {
                String name = t.name();
                if (name == null || name.isEmpty() && !Uuid.ZERO_UUID.equals(t.topicId())) {
                    // By topic id (v12+; consumers subscribed by regular expression learn their topics so).
                    byId = byId != null ? byId : TopicIds.namesById(engine);
                    name = t.topicId() == null ? null : byId.get(t.topicId());
                    if (name == null || !mayDescribe(ctx, ResourceType.TOPIC, name)) {
                        out.topics().add(new MetadataResponseData.MetadataResponseTopic().setTopicId(t.topicId()).setErrorCode(
                                (name == null ? Errors.UNKNOWN_TOPIC_ID : Errors.TOPIC_AUTHORIZATION_FAILED).code()));
                        continue;
                    }
                    try {
                        topics.add(engine.topic(name));
                    } catch (FloeException e) {
                        out.topics().add(new MetadataResponseData.MetadataResponseTopic().setTopicId(t.topicId())
                                .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()));
                    }
                    continue;
                }
                if (!mayDescribe(ctx, ResourceType.TOPIC, name)) {
                    authorizer.authorize(ctx.principal(), ctx.clientAddress(), AclOperation.DESCRIBE, ResourceType.TOPIC, name);
                    out.topics().add(new MetadataResponseData.MetadataResponseTopic().setName(name)
                            .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()));
                    continue;
                }
                try {
                    topics.add(engine.topic(name));
                } catch (FloeException e) {
                    Topic created = settings.autoCreateTopics() && req.allowAutoTopicCreation() && mayCreate(ctx, name)
                            && e.code() == io.floe.model.ErrorCode.UNKNOWN_TOPIC ? autoCreate(name) : null;
                    if (created != null) {
                        topics.add(created);
                    } else {
                        out.topics().add(new MetadataResponseData.MetadataResponseTopic().setName(name)
                                .setErrorCode(KafkaErrors.of(e).code()));
                    }
                }
            }
        }
        for (Topic t : topics) {
            MetadataResponseData.MetadataResponseTopic mt = new MetadataResponseData.MetadataResponseTopic()
                    .setName(t.name()).setTopicId(TopicIds.of(t)).setIsInternal(false);
            for (int p = 0; p < t.partitions(); p++) {
                mt.partitions().add(new MetadataResponseData.MetadataResponsePartition()
                        .setPartitionIndex(p).setLeaderId(settings.nodeId()).setLeaderEpoch(0)
                        .setReplicaNodes(List.of(settings.nodeId())).setIsrNodes(List.of(settings.nodeId()))
                        .setOfflineReplicas(List.of()));
            }
            out.topics().add(mt);
        }
        return out;
    }

    private boolean mayCreate(Connection.ConnectionContext ctx, String topic) {
        return authorizer.allowed(ctx.principal(), ctx.clientAddress(), AclOperation.CREATE, ResourceType.CLUSTER,
                io.floe.auth.Authorizer.CLUSTER)
                || authorizer.allowed(ctx.principal(), ctx.clientAddress(), AclOperation.CREATE, ResourceType.TOPIC, topic);
    }

    private Topic autoCreate(String name) {
        try {
            return engine.createTopic(name, 1, java.util.Map.of());
        } catch (FloeException e) {
            try {
                return engine.topic(name); // created meanwhile by someone else
            } catch (FloeException again) {
                return null;
            }
        }
    }

    // ---- cluster, coordinator, producer ids ----------------------------------------------------

    private DescribeClusterResponseData describeCluster(DescribeClusterRequest req, Connection.ConnectionContext ctx) {
        DescribeClusterResponseData out = new DescribeClusterResponseData()
                .setClusterId(engine.clusterId()).setControllerId(settings.nodeId());
        out.brokers().add(new DescribeClusterResponseData.DescribeClusterBroker()
                .setBrokerId(settings.nodeId()).setHost(host(ctx)).setPort(port(ctx)));
        return out;
    }

    private FindCoordinatorResponseData findCoordinator(FindCoordinatorRequestData req, short version,
                                                        Connection.ConnectionContext ctx) {
        FindCoordinatorResponseData out = new FindCoordinatorResponseData();
        if (version < 4) {
            return out.setNodeId(settings.nodeId()).setHost(host(ctx)).setPort(port(ctx)).setErrorCode(Errors.NONE.code());
        }
        for (String key : req.coordinatorKeys()) {
            out.coordinators().add(new FindCoordinatorResponseData.Coordinator().setKey(key)
                    .setNodeId(settings.nodeId()).setHost(host(ctx)).setPort(port(ctx)));
        }
        return out;
    }

    private InitProducerIdResponseData initProducerId(InitProducerIdRequestData req) {
        InitProducerIdResponseData out = new InitProducerIdResponseData();
        if (req.transactionalId() != null) {
            return txns == null ? out.setErrorCode(Errors.UNSUPPORTED_VERSION.code()).setProducerId(-1).setProducerEpoch((short) -1)
                    : txns.initProducerId(req);
        }
        long id = req.producerId();
        short epoch = req.producerEpoch();
        if (id != RecordBatch.NO_PRODUCER_ID && epoch != RecordBatch.NO_PRODUCER_EPOCH && epoch < Short.MAX_VALUE - 1) {
            // KIP-360: an idempotent producer bumps its epoch after an error and keeps its id.
            return out.setProducerId(id).setProducerEpoch((short) (epoch + 1));
        }
        return out.setProducerId(producerIds.next()).setProducerEpoch((short) 0);
    }
}
