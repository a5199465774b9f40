package io.floe.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatRequest;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatResponse;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.apache.kafka.common.requests.ShareGroupHeartbeatRequest;
import org.apache.kafka.common.requests.ShareGroupHeartbeatResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Group ids are one namespace across classic, consumer (KIP-848) and share groups, answered with
 * Kafka 4.3's errors: a JoinGroup for a share group's id is INCONSISTENT_GROUP_PROTOCOL, a
 * ConsumerGroupHeartbeat for it GROUP_ID_NOT_FOUND ("is not a consumer group"), and a
 * ShareGroupHeartbeat for a consumer group's id GROUP_ID_NOT_FOUND ("is not a share group").
 */
class GroupNamespaceTest {

    private static FloeKafka floe;

    @BeforeAll
    static void start() throws Exception {
        floe = FloeKafka.start("group-namespace");
        NativeClientsTest.createTopic(floe.bootstrap(), "ns-topic", 1);
        floe.shares.setAutoOffsetReset("ns-share-1", "earliest"); // share group objects under these ids
        floe.shares.setAutoOffsetReset("ns-share-2", "earliest");
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(JavaClientsTest.consumerProps(floe.bootstrap(), "ns-classic"))) {
            c.commitSync(Map.of(new TopicPartition("ns-topic", 0), new OffsetAndMetadata(0))); // a consumer group object
        }
    }

    @AfterAll
    static void stop() {
        floe.close();
    }

    @Test
    void classicJoinForAShareGroupIsInconsistentGroupProtocol() throws Exception {
        JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(new byte[0]));
        try (RawKafka raw = new RawKafka(floe.listener.port())) {
            JoinGroupResponse r = (JoinGroupResponse) raw.call(new JoinGroupRequest.Builder(new JoinGroupRequestData().setGroupId("ns-share-1")
                    .setProtocolType("consumer").setSessionTimeoutMs(10_000).setRebalanceTimeoutMs(10_000).setMemberId("")
                    .setProtocols(protocols)).build((short) 7));
            assertThat(r.data().errorCode()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL.code());
        }
    }

    @Test
    void consumerProtocolHeartbeatForAShareGroupIsGroupIdNotFound() throws Exception {
        try (RawKafka raw = new RawKafka(floe.listener.port())) {
            ConsumerGroupHeartbeatResponse r = (ConsumerGroupHeartbeatResponse) raw.call(new ConsumerGroupHeartbeatRequest.Builder(
                    new ConsumerGroupHeartbeatRequestData().setGroupId("ns-share-2").setMemberId(Uuid.randomUuid().toString())
                            .setMemberEpoch(0).setRebalanceTimeoutMs(10_000).setSubscribedTopicNames(List.of("ns-topic"))
                            .setTopicPartitions(List.of())).build((short) 1));
            assertThat(r.data().errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
            assertThat(r.data().errorMessage()).contains("is not a consumer group");
        }
    }

    @Test
    void shareHeartbeatForAConsumerGroupIsGroupIdNotFound() throws Exception {
        try (RawKafka raw = new RawKafka(floe.listener.port())) {
            ShareGroupHeartbeatResponse r = (ShareGroupHeartbeatResponse) raw.call(new ShareGroupHeartbeatRequest.Builder(
                    new ShareGroupHeartbeatRequestData().setGroupId("ns-classic").setMemberId(Uuid.randomUuid().toString())
                            .setMemberEpoch(0).setSubscribedTopicNames(List.of("ns-topic"))).build((short) 1));
            assertThat(r.data().errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
            assertThat(r.data().errorMessage()).contains("is not a share group");
        }
    }
}
