package io.floe.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.floe.log.PartitionOffsets;
import io.floe.log.RecordPosition;
import io.floe.model.FetchedRecord;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the REST Proxy v2 API (and of Redpanda's fetch), as Java records. */
public final class V2 {

    private V2() {
    }

    /** Answer to a produce: one offset per record, in the order the records were sent. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ProduceResponse(Integer keySchemaId, Integer valueSchemaId, List<Offset> offsets) {
        static ProduceResponse of(List<RecordPosition> positions) {
            return new ProduceResponse(null, null,
                    positions.stream().map(p -> new Offset(p.partition(), p.offset(), null, null)).toList());
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Offset(int partition, long offset, Integer errorCode, String error) {
    }

    /** A topic: effective configs and partitions. */
    public record TopicView(String name, Map<String, String> configs, List<PartitionView> partitions) {
    }

    /** A partition: Floe has no brokers, so every partition shows the one virtual broker 0 as leader. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PartitionView(int partition, int leader, List<Replica> replicas, Long logStartOffset, Long endOffset) {
        static PartitionView of(int partition) {
            return new PartitionView(partition, 0, Replica.ONE, null, null);
        }

        static PartitionView of(PartitionOffsets o) {
            return new PartitionView(o.partition(), 0, Replica.ONE, o.logStartOffset(), o.endOffset());
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Replica(int broker, boolean leader, boolean inSync) {
        static final List<Replica> ONE = List.of(new Replica(0, true, true));
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Offsets(long beginningOffset, long endOffset) {
    }

    /** A fetched record; key and value as the embedded format shows them. */
    public record Record(String topic, JsonNode key, JsonNode value, int partition, long offset, long timestamp,
                         List<HeaderView> headers) {

        /** A fetched record as the REST API shows it, its key, value and headers in {@code format}. */
        static Record of(String topic, FetchedRecord r, EmbeddedFormat format, Json json) {
            String where = " of the record at offset " + r.offset();
            return new Record(topic, format.encode(r.key(), "key" + where, json), format.encode(r.value(), "value" + where, json),
                    r.partition(), r.offset(), r.timestamp(),
                    r.headers().stream().map(h -> new HeaderView(h.key(), format.encodeHeader(h.value()))).toList());
        }
    }

    public record HeaderView(String name, String value) {
    }
}
