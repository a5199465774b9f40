package io.floe.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.coordinator.group.GroupConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Group configs (ConfigResource GROUP) with the Java Admin client: share.auto.offset.reset kept, the rest refused by name. */
class GroupConfigsTest {

    private static FloeKafka floe;

    @BeforeAll
    static void start() {
        floe = FloeKafka.start("group-configs");
    }

    @AfterAll
    static void stop() {
        floe.close();
    }

    @Test
    void namesAreKafkasGroupConfigNames() {
        assertThat(GroupConfigs.KAFKA_NAMES).containsExactlyInAnyOrderElementsOf(GroupConfig.configNames());
    }

    private static void alter(Admin admin, String group, AlterConfigOp... ops) throws Exception {
        ConfigResource r = new ConfigResource(ConfigResource.Type.GROUP, group);
        admin.incrementalAlterConfigs(Map.<ConfigResource, Collection<AlterConfigOp>>of(r, List.of(ops))).all().get();
    }

    private static ConfigEntry reset(Admin admin, String group) throws Exception {
        ConfigResource r = new ConfigResource(ConfigResource.Type.GROUP, group);
        Config c = admin.describeConfigs(List.of(r)).all().get().get(r);
        return c.get(GroupConfigs.SHARE_AUTO_OFFSET_RESET);
    }

    @Test
    void shareAutoOffsetResetIsSetDescribedAndDeleted() throws Exception {
        try (Admin admin = JavaClientsTest.admin(floe.bootstrap())) {
            assertThat(reset(admin, "cfg-workers").value()).isEqualTo("latest");
            assertThat(reset(admin, "cfg-workers").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
            alter(admin, "cfg-workers", new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET));
            assertThat(reset(admin, "cfg-workers").value()).isEqualTo("earliest");
            assertThat(reset(admin, "cfg-workers").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_GROUP_CONFIG);
            alter(admin, "cfg-workers", new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", ""), AlterConfigOp.OpType.DELETE));
            assertThat(reset(admin, "cfg-workers").value()).isEqualTo("latest");
        }
    }

    private static ConfigEntry entry(Admin admin, String group, String name) throws Exception {
        ConfigResource r = new ConfigResource(ConfigResource.Type.GROUP, group);
        return admin.describeConfigs(List.of(r)).all().get().get(r).get(name);
    }

    @Test
    void lockDurationAndDeliveryCountLimitAreSetPerGroupAndDescribed() throws Exception {
        try (Admin admin = JavaClientsTest.admin(floe.bootstrap())) {
            assertThat(entry(admin, "cfg-limits", "share.delivery.count.limit").value()).isEqualTo("5");
            assertThat(entry(admin, "cfg-limits", "share.record.lock.duration.ms").value()).isEqualTo("30000");
            alter(admin, "cfg-limits", new AlterConfigOp(new ConfigEntry("share.delivery.count.limit", "2"), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("share.record.lock.duration.ms", "15000"), AlterConfigOp.OpType.SET));
            assertThat(entry(admin, "cfg-limits", "share.delivery.count.limit").value()).isEqualTo("2");
            assertThat(entry(admin, "cfg-limits", "share.delivery.count.limit").source())
                    .isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_GROUP_CONFIG);
            assertThat(entry(admin, "cfg-limits", "share.record.lock.duration.ms").value()).isEqualTo("15000");
            assertThat(floe.shares.limits("cfg-limits").lockDuration()).isEqualTo(java.time.Duration.ofSeconds(15));
            alter(admin, "cfg-limits", new AlterConfigOp(new ConfigEntry("share.record.lock.duration.ms", ""), AlterConfigOp.OpType.DELETE));
            assertThat(entry(admin, "cfg-limits", "share.record.lock.duration.ms").value()).isEqualTo("30000");
            assertThat(entry(admin, "cfg-limits", "share.delivery.count.limit").value()).isEqualTo("2");
        }
    }

    @Test
    void badValuesUnknownNamesAndConfigsFloeDoesNotKeepPerGroupAreInvalidConfig() throws Exception {
        try (Admin admin = JavaClientsTest.admin(floe.bootstrap())) {
            assertThatThrownBy(() -> alter(admin, "cfg-bad", new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "oldest"),
                    AlterConfigOp.OpType.SET))).cause().isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("String must be one of: latest, earliest");
            assertThatThrownBy(() -> alter(admin, "cfg-bad", new AlterConfigOp(new ConfigEntry("no.such.config", "1"),
                    AlterConfigOp.OpType.SET))).cause().isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("Unknown group config name: no.such.config");
            assertThatThrownBy(() -> alter(admin, "cfg-bad", new AlterConfigOp(new ConfigEntry("share.session.timeout.ms", "5000"),
                    AlterConfigOp.OpType.SET))).cause().isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("instance setting");
            // Kafka 4.3.1's broker bounds, with its messages.
            assertThatThrownBy(() -> alter(admin, "cfg-bad", new AlterConfigOp(new ConfigEntry("share.record.lock.duration.ms", "5000"),
                    AlterConfigOp.OpType.SET))).cause().isInstanceOf(InvalidConfigurationException.class)
                    .hasMessage("share.record.lock.duration.ms must be greater than or equal to group.share.min.record.lock.duration.ms");
            assertThatThrownBy(() -> alter(admin, "cfg-bad", new AlterConfigOp(new ConfigEntry("share.delivery.count.limit", "11"),
                    AlterConfigOp.OpType.SET))).cause().isInstanceOf(InvalidConfigurationException.class)
                    .hasMessage("share.delivery.count.limit must be less than or equal to group.share.max.delivery.count.limit");
            assertThat(floe.shares.describe("cfg-bad")).isEmpty(); // nothing was created
        }
    }

    @Test
    void aConsumerGroupsIdCannotTakeAShareGroupConfig() throws Exception {
        String topic = "cfg-topic";
        NativeClientsTest.createTopic(floe.bootstrap(), topic, 1);
        try (var c = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(
                JavaClientsTest.consumerProps(floe.bootstrap(), "cfg-classic"))) {
            c.subscribe(List.of(topic));
            c.poll(java.time.Duration.ofSeconds(3));
            c.commitSync(Map.of(new org.apache.kafka.common.TopicPartition(topic, 0),
                    new org.apache.kafka.clients.consumer.OffsetAndMetadata(0)));
        }
        try (Admin admin = JavaClientsTest.admin(floe.bootstrap())) {
            assertThatThrownBy(() -> alter(admin, "cfg-classic", new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"),
                    AlterConfigOp.OpType.SET))).cause().isInstanceOf(GroupIdNotFoundException.class);
        }
    }
}
