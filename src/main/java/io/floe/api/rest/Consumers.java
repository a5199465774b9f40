package io.floe.api.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/** The JSON shapes of the REST Proxy v2 consumer API and the v3 consumer-group view. */
public final class Consumers {

    private Consumers() {
    }

    /** Body of {@code POST /consumers/{group}}; property names as the REST Proxy spells them. */
    public record CreateInstance(
            String name,
            String format,
            @JsonProperty("auto.offset.reset") String autoOffsetReset,
            @JsonProperty("auto.commit.enable") String autoCommitEnable,
            @JsonProperty("fetch.min.bytes") String fetchMinBytes,
            @JsonProperty("consumer.request.timeout.ms") String requestTimeoutMs,
            @JsonProperty("session.timeout.ms") String sessionTimeoutMs,
            @JsonProperty("partition.assignment.strategy") String assignor,
            @JsonProperty("isolation.level") String isolationLevel) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Instance(String instanceId, String baseUri) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Subscription(List<String> topics, String topicPattern) {
    }

    public record Partition(String topic, Integer partition) {
    }

    public record Partitions(List<Partition> partitions) {
    }

    public record Offset(String topic, Integer partition, Long offset, String metadata) {
    }

    public record Offsets(List<Offset> offsets) {
    }

    // ---- v3 ----

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ConsumerGroup(String kind, V3.ResourceMetadata metadata, String clusterId, String consumerGroupId,
                                boolean isSimple, String partitionAssignor, String state, V3.Related coordinator,
                                V3.Related consumers, V3.Related lagSummary) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Consumer(String kind, V3.ResourceMetadata metadata, String clusterId, String consumerGroupId,
                           String consumerId, String instanceId, String clientId, V3.Related assignments,
                           List<Partition> assignedPartitions) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ConsumerLag(String kind, V3.ResourceMetadata metadata, String clusterId, String consumerGroupId,
                              String topicName, int partitionId, long currentOffset, long logEndOffset, long lag,
                              String consumerId, String instanceId, String clientId) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record LagSummary(String kind, V3.ResourceMetadata metadata, String clusterId, String consumerGroupId,
                             String maxLagConsumerId, String maxLagClientId, String maxLagTopicName,
                             Integer maxLagPartitionId, long maxLag, long totalLag) {
    }
}
