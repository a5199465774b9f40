package io.floe.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.auth.Acl;
import io.floe.auth.Authenticator;
import io.floe.auth.Authorizer;
import io.floe.auth.Principal;
import io.floe.auth.Security;
import io.floe.auth.SecurityStore;
import io.floe.group.GroupCoordinator;
import io.floe.log.LogEngine;
import io.floe.model.Message;
import io.floe.runtime.Defaults;
import io.floe.share.ShareGroups;
import io.floe.share.ShareSettings;
import io.floe.store.MemoryObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.message.AlterShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.AlterShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.DeleteShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DeleteShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.ShareAcknowledgeRequestData;
import org.apache.kafka.common.message.ShareAcknowledgeResponseData;
import org.apache.kafka.common.message.ShareFetchRequestData;
import org.apache.kafka.common.message.ShareFetchResponseData;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The share APIs with authorization on, answered as Kafka answers them: the group's permission refuses
 * the whole request (GROUP_AUTHORIZATION_FAILED), a topic's permission only its partitions
 * (TOPIC_AUTHORIZATION_FAILED on them) while the rest of the request is served; a group described whose
 * members are assigned a topic the client may not describe is TOPIC_AUTHORIZATION_FAILED (share and
 * consumer groups alike). Principal bob may READ group "workers" and topic "open", and only DESCRIBE
 * topic "shut".
 */
class ShareAuthorizationTest {

    private static final Principal BOB = Principal.user("bob");
    private MemoryObjectStore store;
    private LogEngine engine;
    private GroupCoordinator groups;
    private SecurityStore users;
    private KafkaApis apis;
    private Uuid open;
    private Uuid shut;

    @BeforeEach
    void start() {
        store = new MemoryObjectStore();
        engine = new LogEngine(store, Clock.systemUTC(), new SplittableRandom(1), Defaults.log("share-authz"));
        groups = new GroupCoordinator(store, engine, Clock.systemUTC(), new SplittableRandom(2), Defaults.group("share-authz"));
        users = new SecurityStore(store, engine.retry(), new SplittableRandom(3), "share-authz");
        Security security = new Security(users, new Authenticator(users, Clock.systemUTC(), new byte[32]),
                new Authorizer(users, true, Set.of("User:admin")), true, Duration.ofHours(1), Clock.systemUTC());
        apis = new KafkaApis(engine, new ProducerIds(store), Clock.systemUTC(), KafkaSettings.onPort(0), groups, null, security);
        ShareGroups shares = new ShareGroups(store, engine, Clock.systemUTC(), new SplittableRandom(4), ShareSettings.defaults("share-authz"));
        apis.enableShareGroups(shares);
        for (String t : List.of("open", "shut")) {
            engine.createTopic(t, 1, Map.of());
            shares.setAutoOffsetReset("workers", "earliest");
            shares.setAutoOffsetReset("idle", "earliest");
            engine.produce(t, List.of(new Message(0, null, "r".getBytes(StandardCharsets.UTF_8), List.of(), System.currentTimeMillis())))
                    .join();
        }
        open = TopicIds.of(engine, "open").orElseThrow();
        shut = TopicIds.of(engine, "shut").orElseThrow();
        users.addAcls(List.of(allow(ResourceType.GROUP, "workers", AclOperation.READ), allow(ResourceType.GROUP, "idle", AclOperation.READ),
                allow(ResourceType.TOPIC, "open", AclOperation.READ), allow(ResourceType.TOPIC, "shut", AclOperation.DESCRIBE)));
    }

    @AfterEach
    void stop() {
        groups.close();
        engine.close();
    }

    private static Acl allow(ResourceType type, String name, AclOperation op) {
        return new Acl(BOB.toString(), "*", type, name, PatternType.LITERAL, op, AclPermissionType.ALLOW);
    }

    private ApiMessage call(ApiKeys key, int version, ApiMessage data) {
        return call(BOB, key, version, data);
    }

    private ApiMessage call(Principal principal, ApiKeys key, int version, ApiMessage data) {
        AbstractRequest request = AbstractRequest.parseRequest(key, (short) version,
                MessageUtil.toByteBufferAccessor(data, (short) version)).request;
        try {
            return apis.handle(new RequestHeader(key, (short) version, "share-authz", 1), request,
                    new Connection.ConnectionContext("127.0.0.1", 9092, "/127.0.0.1", principal, "127.0.0.1")).join();
        } catch (CompletionException e) {
            return request.getErrorResponse(e.getCause()).data();
        }
    }

    private ShareGroupHeartbeatResponseData join(String group, List<String> topics) {
        return (ShareGroupHeartbeatResponseData) call(ApiKeys.SHARE_GROUP_HEARTBEAT, 1, new ShareGroupHeartbeatRequestData()
                .setGroupId(group).setMemberId(Uuid.randomUuid().toString()).setMemberEpoch(0).setSubscribedTopicNames(topics));
    }

    @Test
    void heartbeatNeedsReadOnTheGroupAndDescribeOnEverySubscribedTopic() {
        assertThat(join("workers", List.of("open", "shut")).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(join("workers", List.of("open", "secret")).errorCode()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        assertThat(join("others", List.of("open")).errorCode()).isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED.code());
    }

    @Test
    void shareFetchAndAcknowledgeRefuseOnlyThePartitionsOfTopicsNotReadable() {
        String member = Uuid.randomUuid().toString();
        ShareGroupHeartbeatResponseData hb = (ShareGroupHeartbeatResponseData) call(ApiKeys.SHARE_GROUP_HEARTBEAT, 1,
                new ShareGroupHeartbeatRequestData().setGroupId("workers").setMemberId(member).setMemberEpoch(0)
                        .setSubscribedTopicNames(List.of("open", "shut")));
        assertThat(hb.errorCode()).isEqualTo(Errors.NONE.code());
        ShareFetchRequestData.FetchTopicCollection topics = new ShareFetchRequestData.FetchTopicCollection();
        for (Uuid id : List.of(open, shut)) {
            ShareFetchRequestData.FetchTopic t = new ShareFetchRequestData.FetchTopic().setTopicId(id);
            t.partitions().add(new ShareFetchRequestData.FetchPartition().setPartitionIndex(0));
            topics.add(t);
        }
        ShareFetchResponseData fetched = (ShareFetchResponseData) call(ApiKeys.SHARE_FETCH, 1, new ShareFetchRequestData()
                .setGroupId("workers").setMemberId(member).setShareSessionEpoch(0).setMaxWaitMs(0).setMinBytes(0)
                .setMaxBytes(1 << 20).setMaxRecords(100).setBatchSize(100).setTopics(topics));
        assertThat(fetched.errorCode()).isEqualTo(Errors.NONE.code());
        ShareFetchResponseData.PartitionData fromOpen = fetched.responses().find(open).partitions().get(0);
        ShareFetchResponseData.PartitionData fromShut = fetched.responses().find(shut).partitions().get(0);
        assertThat(fromOpen.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(fromOpen.acquiredRecords()).extracting(ShareFetchResponseData.AcquiredRecords::firstOffset).containsExactly(0L);
        assertThat(fromShut.errorCode()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        assertThat(fromShut.acquiredRecords()).isEmpty();

        List<ShareAcknowledgeRequestData.AcknowledgeTopic> acks = new ArrayList<>();
        for (Uuid id : List.of(open, shut)) {
            ShareAcknowledgeRequestData.AcknowledgeTopic t = new ShareAcknowledgeRequestData.AcknowledgeTopic().setTopicId(id);
            t.partitions().add(new ShareAcknowledgeRequestData.AcknowledgePartition().setPartitionIndex(0).setAcknowledgementBatches(List.of(
                    new ShareAcknowledgeRequestData.AcknowledgementBatch().setFirstOffset(0).setLastOffset(0)
                            .setAcknowledgeTypes(List.of((byte) 1)))));
            acks.add(t);
        }
        ShareAcknowledgeRequestData.AcknowledgeTopicCollection ackTopics = new ShareAcknowledgeRequestData.AcknowledgeTopicCollection();
        acks.forEach(ackTopics::add);
        ShareAcknowledgeResponseData acked = (ShareAcknowledgeResponseData) call(ApiKeys.SHARE_ACKNOWLEDGE, 1,
                new ShareAcknowledgeRequestData().setGroupId("workers").setMemberId(member).setShareSessionEpoch(1).setTopics(ackTopics));
        assertThat(acked.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(acked.responses().find(open).partitions().get(0).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(acked.responses().find(shut).partitions().get(0).errorCode()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());

        // A fetch for a group bob may not read: refused as a whole.
        ShareFetchResponseData other = (ShareFetchResponseData) call(ApiKeys.SHARE_FETCH, 1, new ShareFetchRequestData()
                .setGroupId("others").setMemberId(member).setShareSessionEpoch(0).setTopics(new ShareFetchRequestData.FetchTopicCollection()));
        assertThat(other.errorCode()).isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED.code());
    }

    @Test
    void offsetsApisAnswerTopicAuthorizationFailedForTheTopicsNotAllowed() {
        // Describe: a named topic bob may not describe is refused on its partitions; listing all leaves such topics out.
        join("idle", List.of("open", "shut"));
        var named = (DescribeShareGroupOffsetsResponseData) call(ApiKeys.DESCRIBE_SHARE_GROUP_OFFSETS, 1,
                new DescribeShareGroupOffsetsRequestData().setGroups(List.of(new DescribeShareGroupOffsetsRequestData
                        .DescribeShareGroupOffsetsRequestGroup().setGroupId("idle").setTopics(List.of(
                        new DescribeShareGroupOffsetsRequestData.DescribeShareGroupOffsetsRequestTopic().setTopicName("open")
                                .setPartitions(List.of(0)),
                        new DescribeShareGroupOffsetsRequestData.DescribeShareGroupOffsetsRequestTopic().setTopicName("secret")
                                .setPartitions(List.of(0)))))));
        var group = named.groups().get(0);
        assertThat(group.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(group.topics()).extracting(t -> t.topicName() + ":" + t.partitions().get(0).errorCode())
                .containsExactlyInAnyOrder("open:0", "secret:" + Errors.TOPIC_AUTHORIZATION_FAILED.code());

        // Alter: needs READ on the group and on each topic; "shut" is only describable. The group must be empty.
        users.addAcls(List.of(allow(ResourceType.GROUP, "empty", AclOperation.READ)));
        var altered = (AlterShareGroupOffsetsResponseData) call(ApiKeys.ALTER_SHARE_GROUP_OFFSETS, 0, new AlterShareGroupOffsetsRequestData()
                .setGroupId("empty").setTopics(alterTopics("open", "shut")));
        assertThat(altered.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(altered.responses()).extracting(t -> t.topicName() + ":" + t.partitions().get(0).errorCode())
                .containsExactlyInAnyOrder("open:0", "shut:" + Errors.TOPIC_AUTHORIZATION_FAILED.code());

        // Delete: needs DELETE on the group, then READ on each topic.
        var noDelete = (DeleteShareGroupOffsetsResponseData) call(ApiKeys.DELETE_SHARE_GROUP_OFFSETS, 0,
                new DeleteShareGroupOffsetsRequestData().setGroupId("empty").setTopics(deleteTopics("open", "shut")));
        assertThat(noDelete.errorCode()).isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED.code());
        users.addAcls(List.of(allow(ResourceType.GROUP, "empty", AclOperation.DELETE)));
        var deleted = (DeleteShareGroupOffsetsResponseData) call(ApiKeys.DELETE_SHARE_GROUP_OFFSETS, 0,
                new DeleteShareGroupOffsetsRequestData().setGroupId("empty").setTopics(deleteTopics("open", "shut")));
        assertThat(deleted.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(deleted.responses()).extracting(t -> t.topicName() + ":" + t.errorCode())
                .containsExactlyInAnyOrder("open:0", "shut:" + Errors.TOPIC_AUTHORIZATION_FAILED.code());
    }

    private static AlterShareGroupOffsetsRequestData.AlterShareGroupOffsetsRequestTopicCollection alterTopics(String... names) {
        var out = new AlterShareGroupOffsetsRequestData.AlterShareGroupOffsetsRequestTopicCollection();
        for (String n : names) {
            out.add(new AlterShareGroupOffsetsRequestData.AlterShareGroupOffsetsRequestTopic().setTopicName(n).setPartitions(List.of(
                    new AlterShareGroupOffsetsRequestData.AlterShareGroupOffsetsRequestPartition().setPartitionIndex(0).setStartOffset(0))));
        }
        return out;
    }

    private static List<DeleteShareGroupOffsetsRequestData.DeleteShareGroupOffsetsRequestTopic> deleteTopics(String... names) {
        List<DeleteShareGroupOffsetsRequestData.DeleteShareGroupOffsetsRequestTopic> out = new ArrayList<>();
        for (String n : names) {
            out.add(new DeleteShareGroupOffsetsRequestData.DeleteShareGroupOffsetsRequestTopic().setTopicName(n));
        }
        return out;
    }

    @Test
    void aDescribedGroupWhoseMembersHoldATopicTheClientMayNotDescribeIsRefusedWithoutMembers() {
        engine.createTopic("secret", 1, Map.of());
        Principal admin = Principal.user("admin");
        assertThat(join("workers", List.of("open")).errorCode()).isEqualTo(Errors.NONE.code());
        org.apache.kafka.common.message.ShareGroupDescribeRequestData describe =
                new org.apache.kafka.common.message.ShareGroupDescribeRequestData().setGroupIds(List.of("workers"));
        var seen = (org.apache.kafka.common.message.ShareGroupDescribeResponseData) call(ApiKeys.SHARE_GROUP_DESCRIBE, 1, describe);
        assertThat(seen.groups().get(0).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(seen.groups().get(0).members()).hasSize(1);

        // A member that a super-user joined reads "secret", which bob may not see.
        assertThat(((ShareGroupHeartbeatResponseData) call(admin, ApiKeys.SHARE_GROUP_HEARTBEAT, 1, new ShareGroupHeartbeatRequestData()
                .setGroupId("workers").setMemberId(Uuid.randomUuid().toString()).setMemberEpoch(0)
                .setSubscribedTopicNames(List.of("secret")))).errorCode()).isEqualTo(Errors.NONE.code());
        var refused = (org.apache.kafka.common.message.ShareGroupDescribeResponseData) call(ApiKeys.SHARE_GROUP_DESCRIBE, 1, describe);
        assertThat(refused.groups().get(0).errorCode()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        assertThat(refused.groups().get(0).errorMessage()).isEqualTo(KafkaApis.DESCRIBED_TOPICS_DENIED);
        assertThat(refused.groups().get(0).members()).isEmpty();
        var forAdmin = (org.apache.kafka.common.message.ShareGroupDescribeResponseData) call(admin, ApiKeys.SHARE_GROUP_DESCRIBE, 1, describe);
        assertThat(forAdmin.groups().get(0).members()).hasSize(2);

        // The same for a consumer group (KIP-848).
        users.addAcls(List.of(allow(ResourceType.GROUP, "readers", AclOperation.DESCRIBE)));
        assertThat(((org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData) call(admin, ApiKeys.CONSUMER_GROUP_HEARTBEAT, 0,
                new org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData().setGroupId("readers")
                        .setMemberId(Uuid.randomUuid().toString()).setMemberEpoch(0).setRebalanceTimeoutMs(30_000)
                        .setSubscribedTopicNames(List.of("secret")).setTopicPartitions(List.of()))).errorCode())
                .isEqualTo(Errors.NONE.code());
        var consumers = (org.apache.kafka.common.message.ConsumerGroupDescribeResponseData) call(ApiKeys.CONSUMER_GROUP_DESCRIBE, 0,
                new org.apache.kafka.common.message.ConsumerGroupDescribeRequestData().setGroupIds(List.of("readers")));
        assertThat(consumers.groups().get(0).errorCode()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        assertThat(consumers.groups().get(0).members()).isEmpty();
    }
}
