package io.floe.api.rest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The JSON shapes of the REST Proxy v3 topic admin API, as Java records: resources carry a
 * {@code kind}, {@code metadata.self} (their URL) and {@code related} links; lists carry their
 * items in {@code data}.
 */
public final class V3 {

    private V3() {
    }

    public record Related(String related) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ResourceMetadata(String self, String resourceName) {
    }

    public record ListMetadata(String self, String next) {
    }

    public record ResourceList<T>(String kind, ListMetadata metadata, List<T> data) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Cluster(String kind, ResourceMetadata metadata, String clusterId, Related controller, Related acls,
                          Related brokers, Related brokerConfigs, Related consumerGroups, Related topics,
                          Related partitionReassignments) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Topic(String kind, ResourceMetadata metadata, String clusterId, String topicName, boolean isInternal,
                        int replicationFactor, int partitionsCount, Related partitions, Related configs,
                        Related partitionReassignments, List<String> authorizedOperations) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Partition(String kind, ResourceMetadata metadata, String clusterId, String topicName, int partitionId,
                            Related leader, Related replicas, Related reassignment) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TopicConfig(String kind, ResourceMetadata metadata, String clusterId, String topicName, String name,
                              String value, boolean isDefault, boolean isReadOnly, boolean isSensitive, String source,
                              List<Synonym> synonyms) {
    }

    public record Synonym(String name, String value, String source) {
    }

    /** Body of {@code POST /v3/clusters/{id}/topics}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CreateTopic(String topicName, Integer partitionsCount, Integer replicationFactor,
                              List<ConfigValue> configs) {
    }

    public record ConfigValue(String name, String value) {
    }

    /** Body of {@code PATCH /v3/clusters/{id}/topics/{topic}}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record UpdateTopic(Integer partitionsCount) {
    }

    /** Body of {@code PUT …/configs/{name}}. */
    public record UpdateConfig(String value) {
    }

    /** Body of {@code POST …/configs:alter}. */
    public record AlterConfigs(List<AlterConfig> data) {
    }

    /** {@code operation}: SET (default) or DELETE (back to the default value). */
    public record AlterConfig(String name, String value, String operation) {
    }
}
