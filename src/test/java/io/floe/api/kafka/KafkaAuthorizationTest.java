package io.floe.api.kafka;

import io.floe.runtime.Defaults;
import static org.assertj.core.api.Assertions.assertThat;

import io.floe.auth.Acl;
import io.floe.auth.Authenticator;
import io.floe.auth.Authorizer;
import io.floe.auth.Principal;
import io.floe.auth.Security;
import io.floe.auth.SecurityStore;
import io.floe.group.GroupCoordinator;
import io.floe.group.GroupSettings;
import io.floe.log.LogEngine;
import io.floe.log.LogSettings;
import io.floe.store.MemoryObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.message.*;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.PatternType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Generated from {@link KafkaAuthorization#ROWS}: for every API with checks, a principal without
 * ACLs gets Kafka's authorization error for the first resource the row names, and the same principal
 * granted exactly the row's permissions gets past the authorizer. A row without a sample request
 * here fails, and so does an API Floe answers without a row: none can be forgotten.
 */
class KafkaAuthorizationTest {

    private static final Principal BOB = Principal.user("bob");
    private static MemoryObjectStore store;
    private static LogEngine engine;
    private static GroupCoordinator groups;
    private static SecurityStore users;
    private static KafkaApis apis;

    /** One request per API, naming topic "t", group "g" and transactional id "x" where it names any. */
    private static final Map<ApiKeys, Sample> SAMPLES = new EnumMap<>(ApiKeys.class);

    private record Sample(short version, ApiMessage data) {
    }

    private static void sample(ApiKeys key, int version, ApiMessage data) {
        SAMPLES.put(key, new Sample((short) version, data));
    }

    static {
        ProduceRequestData.TopicProduceDataCollection produce = new ProduceRequestData.TopicProduceDataCollection();
        produce.add(new ProduceRequestData.TopicProduceData().setName("t"));
        sample(ApiKeys.PRODUCE, 9, new ProduceRequestData().setAcks((short) 1).setTimeoutMs(1000).setTopicData(produce));
        sample(ApiKeys.FETCH, 12, new FetchRequestData().setTopics(List.of(new FetchRequestData.FetchTopic().setTopic("t"))));
        sample(ApiKeys.LIST_OFFSETS, 7, new ListOffsetsRequestData().setTopics(List.of(
                new ListOffsetsRequestData.ListOffsetsTopic().setName("t"))));
        sample(ApiKeys.DELETE_RECORDS, 2, new org.apache.kafka.common.message.DeleteRecordsRequestData().setTopics(List.of(
                new org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsTopic().setName("t").setPartitions(List.of(
                        new org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsPartition().setOffset(0))))));
        org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection epochs =
                new org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection();
        epochs.add(new org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic().setTopic("t"));
        sample(ApiKeys.OFFSET_FOR_LEADER_EPOCH, 4, new org.apache.kafka.common.message.OffsetForLeaderEpochRequestData()
                .setTopics(epochs));
        CreateTopicsRequestData.CreatableTopicCollection create = new CreateTopicsRequestData.CreatableTopicCollection();
        create.add(new CreateTopicsRequestData.CreatableTopic().setName("t").setNumPartitions(1).setReplicationFactor((short) 1));
        sample(ApiKeys.CREATE_TOPICS, 5, new CreateTopicsRequestData().setTopics(create));
        sample(ApiKeys.DELETE_TOPICS, 6, new DeleteTopicsRequestData().setTopics(List.of(
                new DeleteTopicsRequestData.DeleteTopicState().setName("t"))));
        CreatePartitionsRequestData.CreatePartitionsTopicCollection parts = new CreatePartitionsRequestData.CreatePartitionsTopicCollection();
        parts.add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName("t").setCount(2));
        sample(ApiKeys.CREATE_PARTITIONS, 3, new CreatePartitionsRequestData().setTopics(parts));
        sample(ApiKeys.DESCRIBE_CONFIGS, 4, new DescribeConfigsRequestData().setResources(List.of(
                new DescribeConfigsRequestData.DescribeConfigsResource().setResourceType((byte) 2).setResourceName("t"))));
        AlterConfigsRequestData.AlterConfigsResourceCollection alter = new AlterConfigsRequestData.AlterConfigsResourceCollection();
        alter.add(new AlterConfigsRequestData.AlterConfigsResource().setResourceType((byte) 2).setResourceName("t"));
        sample(ApiKeys.ALTER_CONFIGS, 2, new AlterConfigsRequestData().setResources(alter));
        IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection inc =
                new IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection();
        inc.add(new IncrementalAlterConfigsRequestData.AlterConfigsResource().setResourceType((byte) 2).setResourceName("t"));
        sample(ApiKeys.INCREMENTAL_ALTER_CONFIGS, 1, new IncrementalAlterConfigsRequestData().setResources(inc));
        sample(ApiKeys.FIND_COORDINATOR, 4, new FindCoordinatorRequestData().setKeyType((byte) 0).setCoordinatorKeys(List.of("g")));
        sample(ApiKeys.INIT_PRODUCER_ID, 4, new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(1000));
        JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(new byte[0]));
        sample(ApiKeys.JOIN_GROUP, 7, new JoinGroupRequestData().setGroupId("g").setProtocolType("consumer")
                .setSessionTimeoutMs(10000).setRebalanceTimeoutMs(10000).setProtocols(protocols));
        sample(ApiKeys.CONSUMER_GROUP_HEARTBEAT, 1, new org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData()
                .setGroupId("g").setMemberId("m"));
        sample(ApiKeys.CONSUMER_GROUP_DESCRIBE, 1, new org.apache.kafka.common.message.ConsumerGroupDescribeRequestData()
                .setGroupIds(List.of("g")));
        sample(ApiKeys.SYNC_GROUP, 5, new SyncGroupRequestData().setGroupId("g").setMemberId("m"));
        sample(ApiKeys.HEARTBEAT, 4, new HeartbeatRequestData().setGroupId("g").setMemberId("m"));
        sample(ApiKeys.LEAVE_GROUP, 4, new LeaveGroupRequestData().setGroupId("g").setMembers(List.of(
                new LeaveGroupRequestData.MemberIdentity().setMemberId("m"))));
        sample(ApiKeys.OFFSET_COMMIT, 8, new OffsetCommitRequestData().setGroupId("g").setTopics(List.of(
                new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("t"))));
        sample(ApiKeys.OFFSET_FETCH, 7, new OffsetFetchRequestData().setGroupId("g").setTopics(List.of(
                new OffsetFetchRequestData.OffsetFetchRequestTopic().setName("t"))));
        sample(ApiKeys.DESCRIBE_GROUPS, 5, new DescribeGroupsRequestData().setGroups(List.of("g")));
        sample(ApiKeys.DELETE_GROUPS, 2, new DeleteGroupsRequestData().setGroupsNames(List.of("g")));
        OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection od = new OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection();
        od.add(new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName("t"));
        sample(ApiKeys.OFFSET_DELETE, 0, new OffsetDeleteRequestData().setGroupId("g").setTopics(od));
        sample(ApiKeys.CREATE_ACLS, 3, new CreateAclsRequestData());
        sample(ApiKeys.DELETE_ACLS, 3, new DeleteAclsRequestData());
        sample(ApiKeys.DESCRIBE_ACLS, 3, new DescribeAclsRequestData().setResourceTypeFilter((byte) 1).setPatternTypeFilter((byte) 1)
                .setOperation((byte) 1).setPermissionType((byte) 1));
        sample(ApiKeys.ALTER_USER_SCRAM_CREDENTIALS, 0, new AlterUserScramCredentialsRequestData());
        sample(ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS, 0, new DescribeUserScramCredentialsRequestData());
        sample(ApiKeys.DESCRIBE_CLIENT_QUOTAS, 1, new DescribeClientQuotasRequestData());
        AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection txTopics =
                new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection();
        txTopics.add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic().setName("t"));
        sample(ApiKeys.ADD_PARTITIONS_TO_TXN, 3, new AddPartitionsToTxnRequestData().setV3AndBelowTransactionalId("x")
                .setV3AndBelowTopics(txTopics));
        sample(ApiKeys.ADD_OFFSETS_TO_TXN, 3, new AddOffsetsToTxnRequestData().setTransactionalId("x").setGroupId("g"));
        sample(ApiKeys.TXN_OFFSET_COMMIT, 3, new TxnOffsetCommitRequestData().setTransactionalId("x").setGroupId("g")
                .setTopics(List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic().setName("t"))));
        sample(ApiKeys.END_TXN, 3, new EndTxnRequestData().setTransactionalId("x"));
        sample(ApiKeys.WRITE_TXN_MARKERS, 1, new org.apache.kafka.common.message.WriteTxnMarkersRequestData());
        sample(ApiKeys.DESCRIBE_TRANSACTIONS, 0, new DescribeTransactionsRequestData().setTransactionalIds(List.of("x")));
        sample(ApiKeys.SHARE_GROUP_HEARTBEAT, 1, new ShareGroupHeartbeatRequestData().setGroupId("g").setMemberId("m")
                .setMemberEpoch(0).setSubscribedTopicNames(List.of("t")));
        sample(ApiKeys.SHARE_GROUP_DESCRIBE, 1, new ShareGroupDescribeRequestData().setGroupIds(List.of("g")));
        sample(ApiKeys.SHARE_FETCH, 1, new ShareFetchRequestData().setGroupId("g").setMemberId("m").setShareSessionEpoch(0));
        sample(ApiKeys.SHARE_ACKNOWLEDGE, 1, new ShareAcknowledgeRequestData().setGroupId("g").setMemberId("m").setShareSessionEpoch(1));
        sample(ApiKeys.DESCRIBE_SHARE_GROUP_OFFSETS, 1, new DescribeShareGroupOffsetsRequestData().setGroups(List.of(
                new DescribeShareGroupOffsetsRequestData.DescribeShareGroupOffsetsRequestGroup().setGroupId("g"))));
        sample(ApiKeys.ALTER_SHARE_GROUP_OFFSETS, 0, new AlterShareGroupOffsetsRequestData().setGroupId("g"));
        sample(ApiKeys.DELETE_SHARE_GROUP_OFFSETS, 0, new DeleteShareGroupOffsetsRequestData().setGroupId("g"));
        sample(ApiKeys.DESCRIBE_PRODUCERS, 0, new DescribeProducersRequestData().setTopics(List.of(
                new DescribeProducersRequestData.TopicRequest().setName("t"))));
    }

    @BeforeAll
    static void start() {
        store = new MemoryObjectStore();
        engine = new LogEngine(store, Clock.systemUTC(), new SplittableRandom(1), Defaults.log("authz"));
        groups = new GroupCoordinator(store, engine, Clock.systemUTC(), new SplittableRandom(2), Defaults.group("authz"));
        users = new SecurityStore(store, engine.retry(), new SplittableRandom(3), "authz");
        Security security = new Security(users, new Authenticator(users, Clock.systemUTC(), new byte[32]),
                new Authorizer(users, true, Set.of("User:admin")), true, Duration.ofHours(1), Clock.systemUTC());
        // The transaction APIs as the listener wires them (KafkaListener), so their rows are checked too.
        ProducerIds producerIds = new ProducerIds(store);
        io.floe.txn.MarkerWriter markers = new io.floe.txn.EngineMarkers(engine, Clock.systemUTC());
        io.floe.txn.TransactionCoordinator txns = new io.floe.txn.TransactionCoordinator(store, engine.retry(), markers, (g, o) -> { },
                producerIds::next, Clock.systemUTC(), new SplittableRandom(4), io.floe.txn.TxnSettings.defaults("authz"));
        apis = new KafkaApis(engine, producerIds, Clock.systemUTC(), KafkaSettings.onPort(0), groups,
                new TxnHandler(txns, groups, engine, new io.floe.txn.EngineProducers(engine), markers, Clock.systemUTC()),
                security);
        apis.enableShareGroups(new io.floe.share.ShareGroups(store, engine, Clock.systemUTC(), new SplittableRandom(5),
                io.floe.share.ShareSettings.defaults("authz")));
    }

    @AfterAll
    static void stop() {
        groups.close();
        engine.close();
    }

    @Test
    void everyApiFloeAnswersHasARowAndEveryRowWithChecksASample() {
        List<ApiKeys> answered = Stream.of(ApiKeys.values()).filter(k -> apis.supports(k, k.latestVersion())
                || apis.supports(k, k.oldestVersion())).toList();
        assertThat(KafkaAuthorization.ROWS.keySet()).containsAll(answered);
        for (KafkaAuthorization.Row row : KafkaAuthorization.ROWS.values()) {
            if (row.kind() == KafkaAuthorization.Kind.CHECKS) {
                assertThat(SAMPLES).as("a sample request for " + row.key()).containsKey(row.key());
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> eachApiIsRefusedWithoutItsAclsAndAllowedWithThem() {
        return KafkaAuthorization.ROWS.values().stream().filter(r -> r.kind() == KafkaAuthorization.Kind.CHECKS)
                .map(row -> DynamicTest.dynamicTest(row.key() + " needs " + row.needs(), () -> check(row)));
    }

    private static void check(KafkaAuthorization.Row row) {
        Sample s = SAMPLES.get(row.key());
        AbstractRequest request = AbstractRequest.parseRequest(row.key(), s.version(),
                MessageUtil.toByteBufferAccessor(s.data(), s.version())).request;
        List<KafkaAuthorization.Check> checks = row.checks().apply(request);
        assertThat(checks).as("the row names what the request touches").isNotEmpty();
        users.removeAcls(a -> true);

        Errors refused = errorOf(apis.handle(header(row.key(), s.version()), request, context(BOB)));
        assertThat(refused).as(row.key() + " without ACLs").isEqualTo(KafkaAuthorization.error(checks.get(0).type()));

        List<Acl> grants = new ArrayList<>();
        for (KafkaAuthorization.Check c : checks) {
            KafkaAuthorization.Check granted = c;
            grants.add(new Acl(BOB.toString(), "*", granted.type(), granted.name() == null ? "*" : granted.name(),
                    PatternType.LITERAL, granted.op(), AclPermissionType.ALLOW));
        }
        users.addAcls(grants);
        Errors allowed = errorOf(apis.handle(header(row.key(), s.version()), request, context(BOB)));
        assertThat(allowed).as(row.key() + " with exactly the row's ACLs").isNotIn(Errors.TOPIC_AUTHORIZATION_FAILED,
                Errors.GROUP_AUTHORIZATION_FAILED, Errors.CLUSTER_AUTHORIZATION_FAILED,
                Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
        users.removeAcls(a -> true);
    }

    private static Errors errorOf(CompletableFuture<ApiMessage> response) {
        if (response == null) {
            return Errors.NONE;
        }
        try {
            response.join();
            return Errors.NONE;
        } catch (CompletionException e) {
            return KafkaErrors.of(e);
        }
    }

    private static RequestHeader header(ApiKeys key, short version) {
        return new RequestHeader(key, version, "authz-test", 1);
    }

    private static Connection.ConnectionContext context(Principal p) {
        return new Connection.ConnectionContext("127.0.0.1", 9092, "/127.0.0.1", p, "127.0.0.1");
    }
}
