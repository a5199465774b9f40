package io.floe.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.model.TopicPartition;
import io.floe.share.RecordState;
import io.floe.share.SharePartitionState;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ShareAcknowledgeRequestData;
import org.apache.kafka.common.message.ShareAcknowledgeResponseData;
import org.apache.kafka.common.message.ShareFetchRequestData;
import org.apache.kafka.common.message.ShareFetchResponseData;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ShareAcknowledgeRequest;
import org.apache.kafka.common.requests.ShareAcknowledgeResponse;
import org.apache.kafka.common.requests.ShareFetchRequest;
import org.apache.kafka.common.requests.ShareFetchResponse;
import org.apache.kafka.common.requests.ShareGroupHeartbeatRequest;
import org.apache.kafka.common.requests.ShareGroupHeartbeatResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The share group APIs byte for byte, for what the Java client never sends on purpose: acknowledgements
 * of records not held, stale member epochs, wrong share session epochs, unknown topics and members.
 * Every refusal leaves the share-partition's state as it was.
 */
class ShareProtocolTest {

    private static final String TOPIC = "share-raw";
    private static FloeKafka floe;
    private static Uuid topicId;

    @BeforeAll
    static void start() throws Exception {
        floe = FloeKafka.start("kafka-share-raw");
        try (Admin admin = JavaClientsTest.admin(floe.bootstrap())) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
            topicId = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).topicId();
        }
    }

    @AfterAll
    static void stop() {
        floe.close();
    }

    private static ShareGroupHeartbeatResponseData heartbeat(RawKafka c, String group, String member, int epoch) throws Exception {
        ShareGroupHeartbeatRequestData d = new ShareGroupHeartbeatRequestData().setGroupId(group).setMemberId(member).setMemberEpoch(epoch)
                .setSubscribedTopicNames(epoch == 0 ? List.of(TOPIC) : null);
        return ((ShareGroupHeartbeatResponse) c.call(new ShareGroupHeartbeatRequest.Builder(d).build((short) 1))).data();
    }

    private static ShareFetchResponseData fetch(RawKafka c, String group, String member, int sessionEpoch, Uuid topic,
                                                List<ShareFetchRequestData.AcknowledgementBatch> acks) throws Exception {
        ShareFetchRequestData d = new ShareFetchRequestData().setGroupId(group).setMemberId(member).setShareSessionEpoch(sessionEpoch)
                .setMaxWaitMs(0).setMinBytes(1).setMaxBytes(1 << 20).setMaxRecords(100).setBatchSize(100);
        ShareFetchRequestData.FetchTopic t = new ShareFetchRequestData.FetchTopic().setTopicId(topic);
        t.partitions().add(new ShareFetchRequestData.FetchPartition().setPartitionIndex(0).setAcknowledgementBatches(acks));
        d.topics().add(t);
        return ((ShareFetchResponse) c.call(new ShareFetchRequest.Builder(d).build((short) 1))).data();
    }

    private static ShareAcknowledgeResponseData acknowledge(RawKafka c, String group, String member, int sessionEpoch, long first,
                                                            long last, byte type) throws Exception {
        ShareAcknowledgeRequestData d = new ShareAcknowledgeRequestData().setGroupId(group).setMemberId(member)
                .setShareSessionEpoch(sessionEpoch);
        ShareAcknowledgeRequestData.AcknowledgeTopic t = new ShareAcknowledgeRequestData.AcknowledgeTopic().setTopicId(topicId);
        t.partitions().add(new ShareAcknowledgeRequestData.AcknowledgePartition().setPartitionIndex(0).setAcknowledgementBatches(List.of(
                new ShareAcknowledgeRequestData.AcknowledgementBatch().setFirstOffset(first).setLastOffset(last)
                        .setAcknowledgeTypes(List.of(type)))));
        d.topics().add(t);
        return ((ShareAcknowledgeResponse) c.call(new ShareAcknowledgeRequest.Builder(d).build((short) 1))).data();
    }

    private static void produce(int n) {
        try (KafkaProducer<String, String> p = new KafkaProducer<>(JavaClientsTest.producerProps(floe.bootstrap()))) {
            for (int i = 0; i < n; i++) {
                p.send(new ProducerRecord<>(TOPIC, "v" + i));
            }
            p.flush();
        }
    }

    private static SharePartitionState state(String group) {
        return floe.shares.partitionState(group, new TopicPartition(TOPIC, 0)).orElseThrow();
    }

    @Test
    void heartbeatsWithAStaleEpochAreFencedAndUnknownMembersMustRejoin() throws Exception {
        try (RawKafka c = new RawKafka(floe.listener.port())) {
            ShareGroupHeartbeatResponseData joined = heartbeat(c, "hb", "m1", 0);
            assertThat(joined.errorCode()).isZero();
            assertThat(joined.memberEpoch()).isPositive();
            assertThat(joined.assignment().topicPartitions()).singleElement()
                    .satisfies(tp -> assertThat(tp.topicId()).isEqualTo(topicId));
            assertThat(heartbeat(c, "hb", "m1", joined.memberEpoch() + 5).errorCode()).isEqualTo(Errors.FENCED_MEMBER_EPOCH.code());
            assertThat(heartbeat(c, "hb", "nobody", 3).errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
            ShareGroupHeartbeatResponseData same = heartbeat(c, "hb", "m1", joined.memberEpoch());
            assertThat(same.errorCode()).isZero();
            assertThat(same.assignment()).isNull(); // unchanged
            assertThat(heartbeat(c, "hb", "m1", -1).memberEpoch()).isEqualTo(-1);
            assertThat(heartbeat(c, "hb", "m1", joined.memberEpoch()).errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        }
    }

    @Test
    void acknowledgingRecordsNotHeldIsInvalidRecordStateAndChangesNothing() throws Exception {
        try (RawKafka c = new RawKafka(floe.listener.port())) {
            heartbeat(c, "acks", "m1", 0);
            heartbeat(c, "acks", "m2", 0);
            produce(4);
            ShareFetchResponseData got = fetch(c, "acks", "m1", 0, topicId, List.of());
            assertThat(got.errorCode()).isZero();
            ShareFetchResponseData.PartitionData p = got.responses().find(topicId).partitions().getFirst();
            assertThat(p.acquiredRecords()).isNotEmpty();
            long first = p.acquiredRecords().getFirst().firstOffset();
            long last = p.acquiredRecords().getLast().lastOffset();
            assertThat(last - first + 1).isEqualTo(4);
            SharePartitionState before = state("acks");

            // m2 opens its own session and acknowledges m1's records: refused, nothing changes
            assertThat(fetch(c, "acks", "m2", 0, topicId, List.of()).errorCode()).isZero();
            ShareAcknowledgeResponseData foreign = acknowledge(c, "acks", "m2", 1, first, last, (byte) 1);
            assertThat(foreign.errorCode()).isZero();
            assertThat(foreign.responses().find(topicId).partitions().getFirst().errorCode())
                    .isEqualTo(Errors.INVALID_RECORD_STATE.code());
            // offsets never delivered: refused too
            ShareAcknowledgeResponseData beyond = acknowledge(c, "acks", "m1", 1, last + 1, last + 3, (byte) 1);
            assertThat(beyond.responses().find(topicId).partitions().getFirst().errorCode())
                    .isEqualTo(Errors.INVALID_RECORD_STATE.code());
            assertThat(state("acks")).isEqualTo(before);

            // the holder accepts; accepting again is refused
            ShareAcknowledgeResponseData ok = acknowledge(c, "acks", "m1", 2, first, last, (byte) 1);
            assertThat(ok.responses().find(topicId).partitions().getFirst().errorCode()).isZero();
            assertThat(floe.shares.partitionState("acks", new TopicPartition(TOPIC, 0))
                    .map(SharePartitionState::startOffset)).contains(last + 1);
            assertThat(acknowledge(c, "acks", "m1", 3, first, first, (byte) 1).responses().find(topicId).partitions().getFirst()
                    .errorCode()).isEqualTo(Errors.INVALID_RECORD_STATE.code());
        }
    }

    @Test
    void shareSessionEpochsMustFollowOnAndUnknownMembersAndTopicsAreRefused() throws Exception {
        try (RawKafka c = new RawKafka(floe.listener.port())) {
            heartbeat(c, "sessions", "m1", 0);
            assertThat(fetch(c, "sessions", "m1", 3, topicId, List.of()).errorCode()).isEqualTo(Errors.SHARE_SESSION_NOT_FOUND.code());
            assertThat(fetch(c, "sessions", "m1", 0, topicId, List.of()).errorCode()).isZero();
            assertThat(fetch(c, "sessions", "m1", 5, topicId, List.of()).errorCode())
                    .isEqualTo(Errors.INVALID_SHARE_SESSION_EPOCH.code());
            assertThat(fetch(c, "sessions", "m1", 1, topicId, List.of()).errorCode()).isZero();
            assertThat(acknowledge(c, "sessions", "m1", 0, 0, 0, (byte) 1).errorCode())
                    .isEqualTo(Errors.INVALID_SHARE_SESSION_EPOCH.code());

            assertThat(fetch(c, "sessions", "stranger", 0, topicId, List.of()).errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
            assertThat(fetch(c, "no-such-group", "m1", 0, topicId, List.of()).errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
            Uuid unknown = Uuid.randomUuid();
            ShareFetchResponseData u = fetch(c, "sessions", "m1", 2, unknown, List.of());
            assertThat(u.responses().find(unknown).partitions().getFirst().errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
        }
    }

    @Test
    void anAcknowledgementWithAnUnknownTypeIsInvalidAndChangesNothing() throws Exception {
        try (RawKafka c = new RawKafka(floe.listener.port())) {
            heartbeat(c, "types", "m1", 0);
            produce(1);
            ShareFetchResponseData got = fetch(c, "types", "m1", 0, topicId, List.of());
            long offset = got.responses().find(topicId).partitions().getFirst().acquiredRecords().getFirst().firstOffset();
            SharePartitionState before = state("types");
            ShareAcknowledgeResponseData bad = acknowledge(c, "types", "m1", 1, offset, offset, (byte) 9);
            assertThat(bad.responses().find(topicId).partitions().getFirst().errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
            assertThat(state("types")).isEqualTo(before);
            assertThat(before.runOf(offset).state()).isEqualTo(RecordState.ACQUIRED);
        }
    }
}
