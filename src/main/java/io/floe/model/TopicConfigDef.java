package io.floe.model;

import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;
import static org.apache.kafka.common.config.ConfigDef.Range.between;
import static org.apache.kafka.common.config.ConfigDef.Type.BOOLEAN;
import static org.apache.kafka.common.config.ConfigDef.Type.DOUBLE;
import static org.apache.kafka.common.config.ConfigDef.Type.INT;
import static org.apache.kafka.common.config.ConfigDef.Type.LIST;
import static org.apache.kafka.common.config.ConfigDef.Type.LONG;
import static org.apache.kafka.common.config.ConfigDef.Type.STRING;

import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.record.internal.CompressionType;

/**
 * Kafka 4.3's topic configuration definition: every name from kafka-clients' {@link TopicConfig}, with
 * the type, default and validator that Kafka's broker gives it ({@code LogConfig} in kafka-storage). It
 * is rebuilt here from kafka-clients' own pieces rather than taken from kafka-storage, whose two jars
 * would not fit the Lambda package (D63); {@code TopicConfigTest} compares it, key by key, with
 * Kafka's {@code LogConfig.configDefCopy()} so that a Kafka upgrade that changes a rule fails the build.
 * Immutable after class initialisation; thread-safe.
 */
final class TopicConfigDef {

    /** Names of the two replica-throttle lists, defined in kafka-server-common's QuotaConfig. */
    static final String LEADER_THROTTLED = "leader.replication.throttled.replicas";
    static final String FOLLOWER_THROTTLED = "follower.replication.throttled.replicas";
    /** Kafka's test-only override of segment.bytes: accepted as Kafka accepts it, never described. */
    static final String INTERNAL_SEGMENT_BYTES = "internal.segment.bytes";

    static final ConfigDef DEF = new ConfigDef()
            .define(TopicConfig.SEGMENT_BYTES_CONFIG, INT, 1024 * 1024 * 1024, atLeast(1024 * 1024), MEDIUM, TopicConfig.SEGMENT_BYTES_DOC)
            .define(TopicConfig.SEGMENT_MS_CONFIG, LONG, 7 * 24 * 3600 * 1000L, atLeast(1), MEDIUM, TopicConfig.SEGMENT_MS_DOC)
            .define(TopicConfig.SEGMENT_JITTER_MS_CONFIG, LONG, 0L, atLeast(0), MEDIUM, TopicConfig.SEGMENT_JITTER_MS_DOC)
            .define(TopicConfig.SEGMENT_INDEX_BYTES_CONFIG, INT, 10 * 1024 * 1024, atLeast(4), MEDIUM, TopicConfig.SEGMENT_INDEX_BYTES_DOC)
            .define(TopicConfig.FLUSH_MESSAGES_INTERVAL_CONFIG, LONG, Long.MAX_VALUE, atLeast(1), MEDIUM, TopicConfig.FLUSH_MESSAGES_INTERVAL_DOC)
            .define(TopicConfig.FLUSH_MS_CONFIG, LONG, Long.MAX_VALUE, atLeast(0), MEDIUM, TopicConfig.FLUSH_MS_DOC)
            .define(TopicConfig.RETENTION_BYTES_CONFIG, LONG, -1L, MEDIUM, TopicConfig.RETENTION_BYTES_DOC)
            .define(TopicConfig.RETENTION_MS_CONFIG, LONG, 7 * 24 * 3600 * 1000L, atLeast(-1), MEDIUM, TopicConfig.RETENTION_MS_DOC)
            .define(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, INT, 1024 * 1024 + 12, atLeast(0), MEDIUM, TopicConfig.MAX_MESSAGE_BYTES_DOC)
            .define(TopicConfig.INDEX_INTERVAL_BYTES_CONFIG, INT, 4096, atLeast(0), MEDIUM, TopicConfig.INDEX_INTERVAL_BYTES_DOC)
            .define(TopicConfig.DELETE_RETENTION_MS_CONFIG, LONG, 24 * 3600 * 1000L, atLeast(0), MEDIUM, TopicConfig.DELETE_RETENTION_MS_DOC)
            .define(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, LONG, 0L, atLeast(0), MEDIUM, TopicConfig.MIN_COMPACTION_LAG_MS_DOC)
            .define(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, LONG, Long.MAX_VALUE, atLeast(1), MEDIUM, TopicConfig.MAX_COMPACTION_LAG_MS_DOC)
            .define(TopicConfig.FILE_DELETE_DELAY_MS_CONFIG, LONG, 60000L, atLeast(0), MEDIUM, TopicConfig.FILE_DELETE_DELAY_MS_DOC)
            .define(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, DOUBLE, 0.5, between(0, 1), MEDIUM, TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_DOC)
            .define(TopicConfig.CLEANUP_POLICY_CONFIG, LIST, TopicConfig.CLEANUP_POLICY_DELETE,
                    ConfigDef.ValidList.in(TopicConfig.CLEANUP_POLICY_COMPACT, TopicConfig.CLEANUP_POLICY_DELETE), MEDIUM,
                    TopicConfig.CLEANUP_POLICY_DOC)
            .define(TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG, BOOLEAN, false, MEDIUM, TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_DOC)
            .define(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, INT, 1, atLeast(1), MEDIUM, TopicConfig.MIN_IN_SYNC_REPLICAS_DOC)
            .define(TopicConfig.COMPRESSION_TYPE_CONFIG, STRING, "producer",
                    ConfigDef.ValidString.in("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"), MEDIUM,
                    TopicConfig.COMPRESSION_TYPE_DOC)
            .define(TopicConfig.COMPRESSION_GZIP_LEVEL_CONFIG, INT, CompressionType.GZIP.defaultLevel(),
                    CompressionType.GZIP.levelValidator(), MEDIUM, TopicConfig.COMPRESSION_GZIP_LEVEL_DOC)
            .define(TopicConfig.COMPRESSION_LZ4_LEVEL_CONFIG, INT, CompressionType.LZ4.defaultLevel(),
                    CompressionType.LZ4.levelValidator(), MEDIUM, TopicConfig.COMPRESSION_LZ4_LEVEL_DOC)
            .define(TopicConfig.COMPRESSION_ZSTD_LEVEL_CONFIG, INT, CompressionType.ZSTD.defaultLevel(),
                    CompressionType.ZSTD.levelValidator(), MEDIUM, TopicConfig.COMPRESSION_ZSTD_LEVEL_DOC)
            .define(TopicConfig.PREALLOCATE_CONFIG, BOOLEAN, false, MEDIUM, TopicConfig.PREALLOCATE_DOC)
            .define(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, STRING, "CreateTime",
                    ConfigDef.ValidString.in("CreateTime", "LogAppendTime"), MEDIUM, TopicConfig.MESSAGE_TIMESTAMP_TYPE_DOC)
            .define(TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG, LONG, Long.MAX_VALUE, atLeast(0), MEDIUM,
                    TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS_DOC)
            .define(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, LONG, 3600000L, atLeast(0), MEDIUM,
                    TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_DOC)
            .define(LEADER_THROTTLED, LIST, "", ThrottledReplicas.INSTANCE, MEDIUM, "Replicas throttled on the leader side.")
            .define(FOLLOWER_THROTTLED, LIST, "", ThrottledReplicas.INSTANCE, MEDIUM, "Replicas throttled on the follower side.")
            .define(TopicConfig.REMOTE_LOG_STORAGE_ENABLE_CONFIG, BOOLEAN, false, null, MEDIUM, TopicConfig.REMOTE_LOG_STORAGE_ENABLE_DOC)
            .define(TopicConfig.LOCAL_LOG_RETENTION_MS_CONFIG, LONG, -2L, atLeast(-2), MEDIUM, TopicConfig.LOCAL_LOG_RETENTION_MS_DOC)
            .define(TopicConfig.LOCAL_LOG_RETENTION_BYTES_CONFIG, LONG, -2L, atLeast(-2), MEDIUM, TopicConfig.LOCAL_LOG_RETENTION_BYTES_DOC)
            .define(TopicConfig.REMOTE_LOG_COPY_DISABLE_CONFIG, BOOLEAN, false, MEDIUM, TopicConfig.REMOTE_LOG_COPY_DISABLE_DOC)
            .define(TopicConfig.REMOTE_LOG_DELETE_ON_DISABLE_CONFIG, BOOLEAN, false, MEDIUM, TopicConfig.REMOTE_LOG_DELETE_ON_DISABLE_DOC)
            .defineInternal(INTERNAL_SEGMENT_BYTES, INT, null, null, MEDIUM, "The maximum size of a single log file (tests only).");

    private TopicConfigDef() {
    }

    /**
     * Kafka's rule for the replica-throttle lists (kafka-storage's ThrottledReplicaListValidator, same
     * message): the literal {@code *} or {@code partition:broker} pairs.
     */
    private enum ThrottledReplicas implements ConfigDef.Validator {
        INSTANCE;

        @Override
        public void ensureValid(String name, Object value) {
            if (!(value instanceof List<?> list)) {
                throw new ConfigException(name, value, name + " must be a List but was " + value.getClass().getName());
            }
            List<String> items = list.stream().map(o -> o.toString().trim()).toList();
            if (!(items.stream().allMatch(s -> s.matches("([0-9]+:[0-9]+)?")) || String.join("", items).equals("*"))) {
                throw new ConfigException(name, value, name + " must be the literal '*' or a list of replicas in the following "
                        + "format: [partitionId]:[brokerId],[partitionId]:[brokerId],...");
            }
        }

        @Override
        public String toString() {
            return "[partitionId]:[brokerId],[partitionId]:[brokerId],...";
        }
    }
}
