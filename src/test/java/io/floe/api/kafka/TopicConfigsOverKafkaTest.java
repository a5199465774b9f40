package io.floe.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka 4.3's topic configs over the Kafka protocol, with the Java Admin client and kafka-configs.sh:
 * every config Kafka accepts is accepted and described with its source and type, unknown names and
 * bad values are INVALID_CONFIG with Kafka's message, and list configs take APPEND and SUBTRACT.
 */
class TopicConfigsOverKafkaTest {

    private static FloeKafka floe;

    @BeforeAll
    static void start() {
        floe = FloeKafka.start("topic-configs");
    }

    @AfterAll
    static void stop() {
        floe.close();
    }

    @Test
    void createTopicWithConfigsStreamsAndConnectSetIsDescribedWithSources() throws Exception {
        try (Admin admin = JavaClientsTest.admin(floe.bootstrap())) {
            admin.createTopics(List.of(new NewTopic("word-counts-changelog", 2, (short) 1).configs(Map.of(
                    "segment.ms", "600000", "segment.bytes", "52428800", "cleanup.policy", "compact",
                    "message.timestamp.type", "CreateTime", "min.insync.replicas", "1")))).all().get();
            ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, "word-counts-changelog");
            Config c = admin.describeConfigs(List.of(r), new DescribeConfigsOptions().includeDocumentation(true)).all().get().get(r);
            assertThat(c.get("segment.ms").value()).isEqualTo("600000");
            assertThat(c.get("segment.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
            assertThat(c.get("segment.ms").type()).isEqualTo(ConfigEntry.ConfigType.LONG);
            assertThat(c.get("segment.ms").documentation()).contains("roll");
            assertThat(c.get("cleanup.policy").type()).isEqualTo(ConfigEntry.ConfigType.LIST);
            assertThat(c.get("max.compaction.lag.ms").value()).isEqualTo("9223372036854775807");
            assertThat(c.get("max.compaction.lag.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
            assertThat(c.entries()).hasSize(io.floe.model.TopicConfig.names().size());
        }
    }

    @Test
    void unknownNamesAndBadValuesAreInvalidConfigWithKafkasMessage() throws Exception {
        try (Admin admin = JavaClientsTest.admin(floe.bootstrap())) {
            assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("bad", 1, (short) 1)
                    .configs(Map.of("segment.mss", "1000"))), new CreateTopicsOptions().validateOnly(true)).all().get())
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(InvalidConfigurationException.class)
                    .hasMessage("Unknown topic config name: segment.mss");
            assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("bad", 1, (short) 1)
                    .configs(Map.of("segment.bytes", "1000")))).all().get())
                    .cause().isInstanceOf(InvalidConfigurationException.class)
                    .hasMessage("Invalid value 1000 for configuration segment.bytes: Value must be at least 1048576");
            admin.createTopics(List.of(new NewTopic("altered", 1, (short) 1))).all().get();
            ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, "altered");
            assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(r, List.of(new AlterConfigOp(
                    new ConfigEntry("min.cleanable.dirty.ratio", "1.5"), AlterConfigOp.OpType.SET)))).all().get())
                    .cause().isInstanceOf(InvalidConfigurationException.class)
                    .hasMessage("Invalid value 1.5 for configuration min.cleanable.dirty.ratio: Value must be no more than 1");
            assertThat(admin.listTopics().names().get()).doesNotContain("bad");
        }
    }

    @Test
    void incrementalAlterAppendsToAndSubtractsFromListConfigs() throws Exception {
        try (Admin admin = JavaClientsTest.admin(floe.bootstrap())) {
            admin.createTopics(List.of(new NewTopic("policies", 1, (short) 1))).all().get();
            ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, "policies");
            admin.incrementalAlterConfigs(Map.of(r, List.of(new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact"),
                    AlterConfigOp.OpType.APPEND)))).all().get();
            assertThat(admin.describeConfigs(List.of(r)).all().get().get(r).get("cleanup.policy").value()).isEqualTo("delete,compact");
            admin.incrementalAlterConfigs(Map.of(r, List.of(new AlterConfigOp(new ConfigEntry("cleanup.policy", "delete"),
                    AlterConfigOp.OpType.SUBTRACT)))).all().get();
            assertThat(admin.describeConfigs(List.of(r)).all().get().get(r).get("cleanup.policy").value()).isEqualTo("compact");
            assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(r, List.of(new AlterConfigOp(
                    new ConfigEntry("retention.ms", "5"), AlterConfigOp.OpType.APPEND)))).all().get())
                    .cause().isInstanceOf(InvalidConfigurationException.class)
                    .hasMessage("Config value append is not allowed for config key: retention.ms");
        }
    }

    @Test
    void aProducerStampingRecordsBeyondTheTopicsBoundsGetsInvalidTimestamp() throws Exception {
        try (Admin admin = JavaClientsTest.admin(floe.bootstrap())) {
            admin.createTopics(List.of(new NewTopic("bounded", 1, (short) 1)
                    .configs(Map.of("message.timestamp.after.max.ms", "60000")))).all().get();
        }
        try (var p = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(
                JavaClientsTest.producerProps(floe.bootstrap()))) {
            long now = System.currentTimeMillis();
            p.send(new org.apache.kafka.clients.producer.ProducerRecord<>("bounded", 0, now + 30_000, "k", "soon")).get();
            assertThatThrownBy(() -> p.send(new org.apache.kafka.clients.producer.ProducerRecord<>("bounded", 0, now + 600_000,
                    "k", "too far ahead")).get()).cause()
                    .isInstanceOf(org.apache.kafka.common.errors.InvalidTimestampException.class);
        }
    }

    @Test
    void kafkaConfigsToolSetsAndDescribesAnyTopicConfig() throws Exception {
        String b = floe.bootstrap();
        NativeClientsTest.createTopic(b, "tooled", 1);
        tool("kafka.admin.ConfigCommand", "--bootstrap-server", b, "--alter", "--entity-type", "topics", "--entity-name", "tooled",
                "--add-config", "segment.ms=3600000,max.compaction.lag.ms=86400000,message.timestamp.after.max.ms=60000");
        String described = tool("kafka.admin.ConfigCommand", "--bootstrap-server", b, "--describe", "--entity-type", "topics",
                "--entity-name", "tooled");
        assertThat(described).contains("segment.ms=3600000").contains("max.compaction.lag.ms=86400000")
                .contains("message.timestamp.after.max.ms=60000");
    }

    private static String tool(String mainClass, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        return NativeClientsTest.run(cmd, null, 120);
    }
}
