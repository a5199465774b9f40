package io.floe.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.storage.internals.log.LogConfig;
import org.junit.jupiter.api.Test;

/**
 * Topic configs are Kafka 4.3's: the same names, types, defaults and validators as the broker's own
 * definition (kafka-storage's {@code LogConfig}, on the test class path only), and the same verdicts and
 * messages as {@code LogConfig.validate} on good and bad values.
 */
class TopicConfigTest {

    @Test
    void definitionMatchesKafkasLogConfigKeyByKey() {
        Map<String, ConfigDef.ConfigKey> kafka = LogConfig.configKeys();
        Map<String, ConfigDef.ConfigKey> floe = TopicConfigDef.DEF.configKeys();
        assertThat(floe.keySet()).containsExactlyInAnyOrderElementsOf(kafka.keySet());
        for (ConfigDef.ConfigKey k : kafka.values()) {
            ConfigDef.ConfigKey f = floe.get(k.name);
            assertThat(f.type).as(k.name).isEqualTo(k.type);
            assertThat(f.defaultValue).as(k.name).isEqualTo(k.defaultValue);
            assertThat(String.valueOf(f.validator)).as(k.name).isEqualTo(String.valueOf(k.validator));
            assertThat(f.internalConfig).as(k.name).isEqualTo(k.internalConfig);
        }
        assertThat(TopicConfig.names()).containsExactlyElementsOf(LogConfig.nonInternalConfigNames());
    }

    /** Values around every validator's edges; Floe must accept what Kafka accepts and refuse with Kafka's message. */
    @Test
    void acceptsAndRefusesExactlyAsKafkaDoesWithKafkasMessage() {
        List<String[]> cases = List.of(
                new String[] {"segment.ms", "0"}, new String[] {"segment.ms", "1"}, new String[] {"segment.ms", "abc"},
                new String[] {"segment.bytes", "1048575"}, new String[] {"segment.bytes", "1048576"},
                new String[] {"segment.bytes", "3000000000"},
                new String[] {"retention.ms", "-2"}, new String[] {"retention.ms", "-1"}, new String[] {"retention.ms", " 100 "},
                new String[] {"retention.bytes", "-5"}, new String[] {"cleanup.policy", ""},
                new String[] {"cleanup.policy", "compact, delete"}, new String[] {"cleanup.policy", "foo"},
                new String[] {"cleanup.policy", "Compact"}, new String[] {"preallocate", "yes"}, new String[] {"preallocate", "TRUE"},
                new String[] {"min.cleanable.dirty.ratio", "2"}, new String[] {"min.cleanable.dirty.ratio", "0.1"},
                new String[] {"compression.type", "GZIP"}, new String[] {"compression.type", "zstd"},
                new String[] {"compression.gzip.level", "0"}, new String[] {"compression.gzip.level", "-1"},
                new String[] {"compression.zstd.level", "23"}, new String[] {"compression.lz4.level", "17"},
                new String[] {"message.timestamp.type", "createtime"}, new String[] {"message.timestamp.type", "LogAppendTime"},
                new String[] {"message.timestamp.after.max.ms", "-1"}, new String[] {"min.insync.replicas", "0"},
                new String[] {"leader.replication.throttled.replicas", "*"},
                new String[] {"leader.replication.throttled.replicas", "0:1,1:2"},
                new String[] {"follower.replication.throttled.replicas", "0:1,x"},
                new String[] {"local.retention.ms", "-3"}, new String[] {"max.message.bytes", "-1"},
                new String[] {"unclean.leader.election.enable", "maybe"}, new String[] {"segment.jitter.ms", "-1"},
                new String[] {"internal.segment.bytes", "100"});
        for (String[] c : cases) {
            String kafkaError = kafkaVerdict(Map.of(c[0], c[1]));
            String floeError = floeVerdict(Map.of(c[0], c[1]));
            assertThat(floeError).as(c[0] + "=" + c[1]).isEqualTo(kafkaError);
        }
    }

    @Test
    void compactionLagsMustBeOrderedAsKafkaRequires() {
        Map<String, String> bad = Map.of("min.compaction.lag.ms", "10", "max.compaction.lag.ms", "5");
        assertThat(floeVerdict(bad)).isEqualTo(kafkaVerdict(bad)).contains("conflict topic config setting");
        TopicConfig lagged = TopicConfig.validated(Map.of("max.compaction.lag.ms", "5"));
        assertThatThrownBy(() -> lagged.with("min.compaction.lag.ms", "6")).isInstanceOf(FloeException.class)
                .hasMessage("conflict topic config setting min.compaction.lag.ms (6) > max.compaction.lag.ms (5)");
    }

    @Test
    void alteringSeveralConfigsChecksTheRulesOnceOnTheResultWhateverTheOrder() {
        TopicConfig c = TopicConfig.validated(Map.of("min.compaction.lag.ms", "10", "max.compaction.lag.ms", "20"));
        // One at a time, max=5 first would conflict with min=10; together they are fine.
        TopicConfig altered = c.with(Map.of("max.compaction.lag.ms", "5", "min.compaction.lag.ms", "1"), java.util.Set.of());
        assertThat(altered.overrides()).containsEntry("max.compaction.lag.ms", "5").containsEntry("min.compaction.lag.ms", "1");
        assertThat(c.with(Map.of("max.compaction.lag.ms", "5"), java.util.Set.of("min.compaction.lag.ms")).overrides())
                .containsOnlyKeys("max.compaction.lag.ms");
        assertThatThrownBy(() -> c.with(Map.of("max.compaction.lag.ms", "5"), java.util.Set.of()))
                .hasMessage("conflict topic config setting min.compaction.lag.ms (10) > max.compaction.lag.ms (5)");
        assertThatThrownBy(() -> c.with(Map.of("x.unknown", "5"), java.util.Set.of("y.unknown")))
                .hasMessage("Unknown topic config names: x.unknown, y.unknown");
    }

    @Test
    void unknownNamesAreInvalidConfigNamingEveryOne() {
        assertThatThrownBy(() -> TopicConfig.validated(Map.of("segment.ms", "1000", "no.such.thing", "1")))
                .isInstanceOf(FloeException.class).hasMessage("Unknown topic config name: no.such.thing")
                .extracting(e -> ((FloeException) e).code()).isEqualTo(ErrorCode.INVALID_CONFIG);
        assertThatThrownBy(() -> TopicConfig.validated(Map.of("b.unknown", "1", "a.unknown", "2")))
                .hasMessage("Unknown topic config names: a.unknown, b.unknown");
        assertThatThrownBy(() -> TopicConfig.empty().with("no.such.thing", null))
                .hasMessage("Unknown topic config name: no.such.thing");
    }

    @Test
    void remoteStorageIsRefusedAsByABrokerWithoutTieredStorage() {
        assertThatThrownBy(() -> TopicConfig.validated(Map.of("remote.storage.enable", "true")))
                .hasMessage("Tiered Storage functionality is disabled in the broker. Topic cannot be configured with remote log storage.");
        assertThat(TopicConfig.validated(Map.of("remote.storage.enable", "false")).get("remote.storage.enable")).isEqualTo("false");
    }

    @Test
    void valuesAreStoredInCanonicalFormAndDefaultsAreKafkas() {
        TopicConfig c = TopicConfig.validated(Map.of("retention.ms", " 100 ", "cleanup.policy", "compact, delete",
                "preallocate", "TRUE"));
        assertThat(c.overrides()).containsExactlyInAnyOrderEntriesOf(Map.of("retention.ms", "100",
                "cleanup.policy", "compact,delete", "preallocate", "true"));
        assertThat(c.getList("cleanup.policy")).containsExactly("compact", "delete");
        assertThat(c.effective()).hasSize(LogConfig.nonInternalConfigNames().size())
                .containsEntry("segment.ms", "604800000").containsEntry("max.compaction.lag.ms", "9223372036854775807")
                .containsEntry("min.cleanable.dirty.ratio", "0.5").containsEntry("leader.replication.throttled.replicas", "")
                .containsEntry("compression.zstd.level", "3");
        assertThat(c.isDefault("segment.ms")).isTrue();
        assertThat(c.isDefault("retention.ms")).isFalse();
    }

    @Test
    void listConfigsAppendAndSubtractOthersRefuseAsKafka() {
        TopicConfig c = TopicConfig.empty().withListChange("cleanup.policy", "compact", true);
        assertThat(c.get("cleanup.policy")).isEqualTo("delete,compact");
        assertThat(c.withListChange("cleanup.policy", "delete", false).get("cleanup.policy")).isEqualTo("compact");
        assertThat(c.withListChange("cleanup.policy", "delete,compact", false).get("cleanup.policy")).isEmpty();
        assertThatThrownBy(() -> c.withListChange("cleanup.policy", "forever", true))
                .hasMessage("Invalid value forever for configuration cleanup.policy: String must be one of: compact, delete");
        assertThatThrownBy(() -> c.withListChange("retention.ms", "5", true))
                .hasMessage("Config value append is not allowed for config key: retention.ms");
    }

    @Test
    void storedConfigsStayReadableUnderStricterRules() {
        // segment.bytes=100 was accepted by earlier Floe versions (>= 14); Kafka 4.3 needs 1 MiB.
        TopicConfig old = TopicConfig.stored(Map.of("segment.bytes", "100"));
        assertThat(old.getLong("segment.bytes")).isEqualTo(100);
        assertThat(old.with("retention.ms", "5").get("retention.ms")).isEqualTo("5");
        assertThatThrownBy(() -> TopicConfig.stored(Map.of("segment.bytes", "1O0"))).hasMessageContaining("Not a number");
        assertThatThrownBy(() -> TopicConfig.stored(Map.of("nope", "1"))).hasMessageContaining("nope");
    }

    private static String kafkaVerdict(Map<String, String> props) {
        try {
            LogConfig.validate(new HashMap<>(props));
            Properties p = new Properties();
            p.putAll(props);
            new LogConfig(p);
            return "ok";
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    private static String floeVerdict(Map<String, String> props) {
        try {
            TopicConfig.validated(props);
            return "ok";
        } catch (FloeException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
            return e.getMessage();
        }
    }
}
