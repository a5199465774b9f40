package io.floe.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatRequest;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatResponse;
import org.apache.kafka.common.requests.OffsetFetchRequest;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OffsetFetch (v9+) of a consumer-protocol (KIP-848) group checks the member as Kafka 4.3 does: no member
 * id and epoch -1 (admin tools) pass; a member at its current epoch passes; another epoch is
 * STALE_MEMBER_EPOCH and an unknown member UNKNOWN_MEMBER_ID.
 */
class ConsumerOffsetFetchTest {

    private static FloeKafka floe;

    @BeforeAll
    static void start() throws Exception {
        floe = FloeKafka.start("offset-fetch-epochs");
        NativeClientsTest.createTopic(floe.bootstrap(), "of-topic", 1);
    }

    @AfterAll
    static void stop() {
        floe.close();
    }

    private static short fetch(RawKafka raw, String memberId, int epoch) throws Exception {
        OffsetFetchRequestData data = new OffsetFetchRequestData().setRequireStable(true).setGroups(List.of(
                new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("of-group").setMemberId(memberId).setMemberEpoch(epoch)
                        .setTopics(null)));
        OffsetFetchResponse r = (OffsetFetchResponse) raw.call(OffsetFetchRequest.Builder.forTopicNames(data, true).build((short) 9));
        return r.data().groups().get(0).errorCode();
    }

    @Test
    void offsetFetchChecksTheMemberAndItsEpoch() throws Exception {
        String member = Uuid.randomUuid().toString();
        try (RawKafka raw = new RawKafka(floe.listener.port())) {
            ConsumerGroupHeartbeatResponse joined = (ConsumerGroupHeartbeatResponse) raw.call(new ConsumerGroupHeartbeatRequest.Builder(
                    new ConsumerGroupHeartbeatRequestData().setGroupId("of-group").setMemberId(member).setMemberEpoch(0)
                            .setRebalanceTimeoutMs(10_000).setSubscribedTopicNames(List.of("of-topic")).setTopicPartitions(List.of()))
                    .build((short) 1));
            int epoch = joined.data().memberEpoch();
            assertThat(epoch).isPositive();
            assertThat(fetch(raw, member, epoch)).isEqualTo(Errors.NONE.code());
            assertThat(fetch(raw, null, -1)).isEqualTo(Errors.NONE.code());
            assertThat(fetch(raw, member, epoch + 3)).isEqualTo(Errors.STALE_MEMBER_EPOCH.code());
            assertThat(fetch(raw, "someone-else", epoch)).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        }
    }
}
