package io.floe.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/** The JSON shapes of the share group (queue) API, {@code /share-groups/{group}}. */
public final class Queues {

    private Queues() {
    }

    /** Body of {@code POST …/records}: take records. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Take(String member, List<String> topics, Integer maxRecords, Integer maxBytes, Long timeoutMs, String format) {
    }

    /** A record taken: locked for the member until it is acknowledged or the lock times out. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TakenRecord(String topic, int partition, long offset, int deliveryCount, long timestamp, JsonNode key, JsonNode value,
                              List<V2.HeaderView> headers) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Taken(String member, long lockTimeoutMs, List<TakenRecord> records) {
    }

    /** One acknowledgement: {@code type} is accept, release or reject. */
    public record Ack(String topic, Integer partition, Long offset, String type) {
    }

    public record Acks(String member, List<Ack> records) {
    }

    /** The outcome for one partition: error code 0, or 40909 when a record was not held by the member (nothing of the partition applied). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record AckResult(String topic, int partition, int errorCode, String message) {
    }

    public record AckResults(List<AckResult> results) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Member(String memberId, int memberEpoch, String clientId, List<String> topics, List<Consumers.Partition> assignment) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record StartOffset(String topic, int partition, long startOffset) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Group(String groupId, String state, int groupEpoch, List<Member> members, List<StartOffset> startOffsets) {
    }
}
