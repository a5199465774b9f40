package io.floe.api.kafka;

import io.floe.log.LogEngine;
import io.floe.model.FloeException;
import io.floe.model.Topic;
import io.floe.model.TopicConfig;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse;

/**
 * Topic administration over the Kafka protocol: CreateTopics, DeleteTopics, CreatePartitions,
 * DescribeConfigs, AlterConfigs and IncrementalAlterConfigs, each a thin translation to the engine.
 * Replication factors and replica assignments are accepted and ignored: the bucket is the replica.
 * Broker configs are read-only. Stateless and thread-safe; calls block on the store.
 */
final class TopicAdmin {

    private final LogEngine engine;
    private final int nodeId;
    /** Broker configs that tools ask for, with Floe's effective values. */
    private final Map<String, String> brokerConfigs;
    /** Group configs (share groups); null until share groups are enabled, then GROUP resources are answered. */
    private volatile GroupConfigs groupConfigs;

    TopicAdmin(LogEngine engine, int nodeId, boolean autoCreateTopics) {
        this.engine = engine;
        this.nodeId = nodeId;
        this.brokerConfigs = new java.util.TreeMap<>(Map.of(
                "num.partitions", "1",
                "default.replication.factor", "1",
                "min.insync.replicas", "1",
                "auto.create.topics.enable", Boolean.toString(autoCreateTopics),
                "message.max.bytes", TopicConfig.defaultValue(TopicConfig.MAX_MESSAGE_BYTES),
                "log.retention.ms", TopicConfig.defaultValue(TopicConfig.RETENTION_MS)));
    }

    /** Answers GROUP config resources with {@code configs}; called before the listener accepts. */
    void enableGroupConfigs(GroupConfigs configs) {
        this.groupConfigs = configs;
    }

    CreateTopicsResponseData createTopics(CreateTopicsRequestData req, short version) {
        CreateTopicsResponseData out = new CreateTopicsResponseData();
        for (CreateTopicsRequestData.CreatableTopic t : req.topics()) {
            CreateTopicsResponseData.CreatableTopicResult r = new CreateTopicsResponseData.CreatableTopicResult()
                    .setName(t.name()).setNumPartitions(-1).setReplicationFactor((short) -1);
            out.topics().add(r);
            try {
                int partitions = t.numPartitions() == -1 ? t.assignments().size() > 0 ? t.assignments().size() : 1 : t.numPartitions();
                Map<String, String> configs = new HashMap<>();
                for (CreateTopicsRequestData.CreatableTopicConfig c : t.configs()) {
                    configs.put(c.name(), c.value());
                }
                Topic created;
                if (req.validateOnly()) {
                    created = new Topic(t.name(), "00000000000000000000000000000000", partitions, TopicConfig.validated(configs), 0);
                    if (engine.listTopics().stream().anyMatch(x -> x.name().equals(t.name()))) {
                        throw new FloeException(io.floe.model.ErrorCode.TOPIC_EXISTS, "Topic '" + t.name() + "' already exists.");
                    }
                } else {
                    created = engine.createTopic(t.name(), partitions, configs);
                    r.setTopicId(TopicIds.of(created));
                }
                r.setNumPartitions(created.partitions()).setReplicationFactor((short) 1);
                if (version >= 5) {
                    for (var e : created.config().effective().entrySet()) {
                        r.configs().add(new CreateTopicsResponseData.CreatableTopicConfigs().setName(e.getKey())
                                .setValue(e.getValue()).setReadOnly(false).setIsSensitive(false)
                                .setConfigSource(created.config().isDefault(e.getKey())
                                        ? DescribeConfigsResponse.ConfigSource.DEFAULT_CONFIG.id()
                                        : DescribeConfigsResponse.ConfigSource.TOPIC_CONFIG.id()));
                    }
                }
            } catch (FloeException e) {
                r.setErrorCode(KafkaErrors.of(e).code()).setErrorMessage(e.getMessage());
            }
        }
        return out;
    }

    DeleteTopicsResponseData deleteTopics(DeleteTopicsRequestData req) {
        DeleteTopicsResponseData out = new DeleteTopicsResponseData();
        List<String> names = new java.util.ArrayList<>(req.topicNames());
        for (DeleteTopicsRequestData.DeleteTopicState s : req.topics()) {
            if (s.name() != null) {
                names.add(s.name());
            } else {
                String byId = engine.listTopics().stream().filter(t -> TopicIds.of(t).equals(s.topicId()))
                        .map(Topic::name).findFirst().orElse(null);
                if (byId == null) {
                    out.responses().add(new DeleteTopicsResponseData.DeletableTopicResult().setTopicId(s.topicId())
                            .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()));
                } else {
                    names.add(byId);
                }
            }
        }
        for (String name : names) {
            DeleteTopicsResponseData.DeletableTopicResult r = new DeleteTopicsResponseData.DeletableTopicResult().setName(name);
            try {
                r.setTopicId(TopicIds.of(engine.topic(name)));
                engine.deleteTopic(name);
            } catch (FloeException e) {
                r.setErrorCode(KafkaErrors.of(e).code()).setErrorMessage(e.getMessage());
            }
            out.responses().add(r);
        }
        return out;
    }

    CreatePartitionsResponseData createPartitions(CreatePartitionsRequestData req) {
        CreatePartitionsResponseData out = new CreatePartitionsResponseData();
        for (CreatePartitionsRequestData.CreatePartitionsTopic t : req.topics()) {
            CreatePartitionsResponseData.CreatePartitionsTopicResult r =
                    new CreatePartitionsResponseData.CreatePartitionsTopicResult().setName(t.name());
            try {
                if (req.validateOnly()) {
                    Topic current = engine.topic(t.name());
                    if (t.count() <= current.partitions()) {
                        throw Errors.INVALID_PARTITIONS.exception("Topic '" + t.name() + "' already has "
                                + current.partitions() + " partitions.");
                    }
                } else {
                    Topic current = engine.topic(t.name());
                    if (t.count() == current.partitions()) {
                        throw Errors.INVALID_PARTITIONS.exception("Topic '" + t.name() + "' already has "
                                + current.partitions() + " partitions.");
                    }
                    engine.createPartitions(t.name(), t.count());
                }
            } catch (RuntimeException e) {
                r.setErrorCode(KafkaErrors.of(e).code()).setErrorMessage(KafkaErrors.message(e));
            }
            out.results().add(r);
        }
        return out;
    }

    DescribeConfigsResponseData describeConfigs(DescribeConfigsRequestData req) {
        DescribeConfigsResponseData out = new DescribeConfigsResponseData();
        for (DescribeConfigsRequestData.DescribeConfigsResource res : req.resources()) {
            DescribeConfigsResponseData.DescribeConfigsResult r = new DescribeConfigsResponseData.DescribeConfigsResult()
                    .setResourceType(res.resourceType()).setResourceName(res.resourceName());
            out.results().add(r);
            Set<String> wanted = res.configurationKeys() == null ? null : new HashSet<>(res.configurationKeys());
            try {
                if (res.resourceType() == ConfigResource.Type.TOPIC.id()) {
                    TopicConfig config = engine.topic(res.resourceName()).config();
                    for (var e : config.effective().entrySet()) {
                        if (wanted == null || wanted.contains(e.getKey())) {
                            boolean dflt = config.isDefault(e.getKey());
                            r.configs().add(entry(e.getKey(), e.getValue(), false, dflt
                                    ? DescribeConfigsResponse.ConfigSource.DEFAULT_CONFIG
                                    : DescribeConfigsResponse.ConfigSource.TOPIC_CONFIG)
                                    .setConfigType(DescribeConfigsResponse.ConfigType.valueOf(TopicConfig.type(e.getKey())).id())
                                    .setDocumentation(req.includeDocumentation() ? TopicConfig.documentation(e.getKey()) : null));
                        }
                    }
                } else if (res.resourceType() == ConfigResource.Type.BROKER.id()
                        || res.resourceType() == ConfigResource.Type.BROKER_LOGGER.id()) {
                    if (res.resourceType() == ConfigResource.Type.BROKER.id()) {
                        for (var e : brokerConfigs.entrySet()) {
                            if (wanted == null || wanted.contains(e.getKey())) {
                                r.configs().add(entry(e.getKey(), e.getValue(), true,
                                        DescribeConfigsResponse.ConfigSource.STATIC_BROKER_CONFIG));
                            }
                        }
                    }
                } else if (res.resourceType() == ConfigResource.Type.GROUP.id() && groupConfigs != null) {
                    groupConfigs.describe(res, r, req.includeDocumentation());
                } else {
                    r.setErrorCode(Errors.INVALID_REQUEST.code())
                            .setErrorMessage("Floe describes topic, group and broker configs only.");
                }
            } catch (FloeException e) {
                r.setErrorCode(KafkaErrors.of(e).code()).setErrorMessage(e.getMessage());
            }
        }
        return out;
    }

    private static DescribeConfigsResponseData.DescribeConfigsResourceResult entry(String name, String value, boolean readOnly,
                                                                                    DescribeConfigsResponse.ConfigSource source) {
        return new DescribeConfigsResponseData.DescribeConfigsResourceResult().setName(name).setValue(value)
                .setReadOnly(readOnly).setIsSensitive(false).setConfigSource(source.id());
    }

    AlterConfigsResponseData alterConfigs(AlterConfigsRequestData req) {
        AlterConfigsResponseData out = new AlterConfigsResponseData();
        for (AlterConfigsRequestData.AlterConfigsResource res : req.resources()) {
            AlterConfigsResponseData.AlterConfigsResourceResponse r = new AlterConfigsResponseData.AlterConfigsResourceResponse()
                    .setResourceType(res.resourceType()).setResourceName(res.resourceName());
            out.responses().add(r);
            try {
                checkTopicResource(res.resourceType());
                Map<String, String> set = new HashMap<>();
                for (AlterConfigsRequestData.AlterableConfig c : res.configs()) {
                    set.put(c.name(), c.value());
                }
                // AlterConfigs replaces the whole set: overrides not named go back to their defaults.
                Set<String> reset = new HashSet<>(engine.topic(res.resourceName()).config().overrides().keySet());
                reset.removeAll(set.keySet());
                apply(res.resourceName(), set, reset, req.validateOnly());
            } catch (RuntimeException e) {
                r.setErrorCode(KafkaErrors.of(e).code()).setErrorMessage(KafkaErrors.message(e));
            }
        }
        return out;
    }

    IncrementalAlterConfigsResponseData incrementalAlterConfigs(IncrementalAlterConfigsRequestData req) {
        IncrementalAlterConfigsResponseData out = new IncrementalAlterConfigsResponseData();
        for (IncrementalAlterConfigsRequestData.AlterConfigsResource res : req.resources()) {
            IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse r =
                    new IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse()
                            .setResourceType(res.resourceType()).setResourceName(res.resourceName());
            out.responses().add(r);
            try {
                GroupConfigs groups = groupConfigs;
                if (res.resourceType() == ConfigResource.Type.GROUP.id() && groups != null) {
                    groups.alter(res, req.validateOnly());
                    continue;
                }
                checkTopicResource(res.resourceType());
                Map<String, String> set = new HashMap<>();
                Set<String> reset = new HashSet<>();
                for (IncrementalAlterConfigsRequestData.AlterableConfig c : res.configs()) {
                    switch (c.configOperation()) {
                        case 0 -> set.put(c.name(), c.value());
                        case 1 -> reset.add(c.name());
                        case 2, 3 -> set.put(c.name(), engine.topic(res.resourceName()).config()
                                .withListChange(c.name(), c.value(), c.configOperation() == 2).get(c.name()));
                        default -> throw Errors.INVALID_REQUEST.exception("Unknown config operation " + c.configOperation()
                                + " for '" + c.name() + "'.");
                    }
                }
                apply(res.resourceName(), set, reset, req.validateOnly());
            } catch (RuntimeException e) {
                r.setErrorCode(KafkaErrors.of(e).code()).setErrorMessage(KafkaErrors.message(e));
            }
        }
        return out;
    }

    private void apply(String topic, Map<String, String> set, Set<String> reset, boolean validateOnly) {
        if (validateOnly) {
            engine.topic(topic).config().with(set, reset);
            return;
        }
        engine.alterConfigs(topic, set, reset);
    }

    private static void checkTopicResource(byte type) {
        if (type != ConfigResource.Type.TOPIC.id()) {
            throw Errors.INVALID_REQUEST.exception("Only topic and group configs can be altered; broker settings are floe.* settings.");
        }
    }

    int nodeId() {
        return nodeId;
    }
}
