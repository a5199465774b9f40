package io.floe.share;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.floe.format.CorruptObjectException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The share-partition object {@code share-partitions/{group}/{topicId}/{partition}}: versioned JSON
 * (UTF-8). Each in-flight run is an array {@code [firstOffset, lastOffset, stateId, deliveryCount,
 * memberId|null, lockDeadlineMs]} with Kafka's record state ids (0 available, 1 acquired, 2
 * acknowledged, 4 archived). {@code writeId} makes every write unique to its writer.
 *
 * <pre>
 * {"version":1, "group":"orders-workers", "topicId":"5f0c…", "partition":3, "startOffset":1200,
 *  "writeId":"i-1:42:9f3a…", "updatedAtMs":…,
 *  "inFlight":[[1200,1203,1,1,"m-7",1700000030000],[1204,1204,0,2,null,0],[1205,1209,2,1,null,0]]}
 * </pre>
 *
 * Unknown fields are ignored; an unknown version or a missing field is CORRUPT_OBJECT. Stateless.
 */
final class SharePartitionFormat {

    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SharePartitionFormat() {
    }

    static byte[] encode(String groupId, String topicId, int partition, SharePartitionState s, String writeId, long nowMs) {
        ObjectNode n = JSON.createObjectNode();
        n.put("version", VERSION);
        n.put("group", groupId);
        n.put("topicId", topicId);
        n.put("partition", partition);
        n.put("startOffset", s.startOffset());
        n.put("writeId", writeId);
        n.put("updatedAtMs", nowMs);
        ArrayNode runs = n.putArray("inFlight");
        for (InFlight r : s.inFlight()) {
            runs.addArray().add(r.firstOffset()).add(r.lastOffset()).add(r.state().id()).add(r.deliveryCount())
                    .add(r.memberId()).add(r.lockDeadlineMs());
        }
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException("encoding a JSON tree cannot fail", e);
        }
    }

    static SharePartitionState decode(String key, byte[] bytes) {
        try {
            JsonNode n = JSON.readTree(bytes);
            int version = n.path("version").asInt(-1);
            if (version != VERSION) {
                throw new CorruptObjectException("Share-partition object " + key + " has unknown version " + version);
            }
            JsonNode start = n.get("startOffset");
            JsonNode runs = n.get("inFlight");
            if (start == null || runs == null || !runs.isArray()) {
                throw new CorruptObjectException("Share-partition object " + key + " lacks startOffset or inFlight");
            }
            List<InFlight> inFlight = new ArrayList<>();
            for (JsonNode r : runs) {
                inFlight.add(new InFlight(r.get(0).asLong(), r.get(1).asLong(), RecordState.ofId(r.get(2).asInt()),
                        r.get(3).asInt(), r.get(4).isNull() ? null : r.get(4).asText(), r.get(5).asLong()));
            }
            return new SharePartitionState(start.asLong(), inFlight);
        } catch (IOException | RuntimeException e) {
            if (e instanceof CorruptObjectException c) {
                throw c;
            }
            throw new CorruptObjectException("Share-partition object " + key + " does not parse: " + e.getMessage());
        }
    }
}
