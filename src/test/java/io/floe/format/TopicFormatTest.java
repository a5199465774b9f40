package io.floe.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.model.ErrorCode;
import io.floe.model.Topic;
import io.floe.model.TopicConfig;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicFormatTest {

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void topicRoundTripsWithOnlyItsOverrides() {
        Topic t = new Topic("orders.v1", "6f1c", 12, new TopicConfig(Map.of("retention.ms", "1000", "cleanup.policy", "compact")), 17L);
        byte[] bytes = TopicFormat.encode(t);
        assertThat(new String(bytes, StandardCharsets.UTF_8))
                .isEqualTo("{\"version\":1,\"name\":\"orders.v1\",\"id\":\"6f1c\",\"partitions\":12,"
                        + "\"configs\":{\"cleanup.policy\":\"compact\",\"retention.ms\":\"1000\"},\"createdAtMs\":17}");
        assertThat(TopicFormat.decode(bytes)).isEqualTo(t);
    }

    @Test
    void clusterRoundTrips() {
        byte[] bytes = TopicFormat.encodeCluster("cluster-xyz", 5L);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("{\"version\":1,\"clusterId\":\"cluster-xyz\",\"createdAtMs\":5}");
        assertThat(TopicFormat.decodeClusterId(bytes)).isEqualTo("cluster-xyz");
    }

    @Test
    void unknownFieldsAreIgnored() {
        assertThat(TopicFormat.decodeClusterId(json("{\"version\":1,\"clusterId\":\"c\",\"createdAtMs\":1,\"extra\":true}")))
                .isEqualTo("c");
    }

    @Test
    void decodeRejectsUnknownVersionsAndMissingFields() {
        assertCorrupt(json("{\"version\":2,\"clusterId\":\"c\",\"createdAtMs\":1}"), "version 2");
        assertCorrupt(json("{\"clusterId\":\"c\",\"createdAtMs\":1}"), "version");
        assertCorrupt(json("{\"version\":1,\"createdAtMs\":1}"), "clusterId");
        assertCorrupt(json("{\"version\":1,\"clusterId\":\"c\"}"), "createdAtMs");
        assertTopicCorrupt("{\"version\":1,\"name\":\"t\",\"id\":\"i\",\"configs\":{},\"createdAtMs\":1}", "partitions");
        assertTopicCorrupt("{\"version\":1,\"name\":\"t\",\"id\":\"i\",\"partitions\":1,\"createdAtMs\":1}", "configs");
        assertTopicCorrupt("{\"version\":1,\"name\":\"t\",\"partitions\":1,\"configs\":{},\"createdAtMs\":1}", "'id'");
        assertTopicCorrupt("{\"version\":1,\"name\":\"t\",\"id\":\"i\",\"partitions\":\"1\",\"configs\":{},\"createdAtMs\":1}", "partitions");
    }

    @Test
    void decodeRejectsStoredTopicsThatBreakTheModelRules() {
        assertTopicCorrupt("{\"version\":1,\"name\":\"bad name\",\"id\":\"i\",\"partitions\":1,\"configs\":{},\"createdAtMs\":1}", "illegal");
        assertTopicCorrupt("{\"version\":1,\"name\":\"t\",\"id\":\"i\",\"partitions\":0,\"configs\":{},\"createdAtMs\":1}", "Partition count");
        assertTopicCorrupt("{\"version\":1,\"name\":\"t\",\"id\":\"i\",\"partitions\":1,\"configs\":{\"nope\":\"1\"},\"createdAtMs\":1}", "nope");
    }

    @Test
    void decodeRejectsNonJsonAndGarbage() {
        assertCorrupt(json("not json"), "JSON");
        assertCorrupt(json("[1,2]"), "object");
        assertCorrupt(new byte[0], "object");
        Fuzz.randomGarbage(ErrorCode.CORRUPT_OBJECT, 9, 5_000, TopicFormat::decode);
        Fuzz.randomGarbage(ErrorCode.CORRUPT_OBJECT, 10, 5_000, TopicFormat::decodeClusterId);
        byte[] valid = TopicFormat.encode(new Topic("t", "i", 1, TopicConfig.empty(), 1));
        Fuzz.everyTruncationFails(ErrorCode.CORRUPT_OBJECT, valid, TopicFormat::decode);
        Fuzz.randomFlips(ErrorCode.CORRUPT_OBJECT, valid, 11, 5_000, false, TopicFormat::decode);
    }

    private static void assertTopicCorrupt(String json, String fragment) {
        assertThatThrownBy(() -> TopicFormat.decode(json(json))).isInstanceOf(CorruptObjectException.class).hasMessageContaining(fragment);
    }

    private static void assertCorrupt(byte[] bytes, String fragment) {
        assertThatThrownBy(() -> TopicFormat.decodeClusterId(bytes)).isInstanceOf(CorruptObjectException.class).hasMessageContaining(fragment);
    }
}
