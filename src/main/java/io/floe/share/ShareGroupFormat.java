package io.floe.share;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.floe.format.CorruptObjectException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The share group object {@code share-groups/{group}}: versioned JSON (UTF-8).
 *
 * <pre>
 * {"version":1, "group":"orders-workers", "groupEpoch":7, "autoOffsetReset":"latest", "writeId":"i-1:9:…",
 *  "updatedAtMs":…,
 *  "members":[{"id":"Xk3…", "epoch":7, "clientId":"worker-1", "clientHost":"/10.0.0.5", "rackId":null,
 *              "topics":["orders"], "assignment":{"orders":[0,1,2]}, "leaseExpiresAtMs":…,
 *              "sessionTimeoutMs":45000}],
 *  "starts":{"orders":{"topicId":"5f0c…", "offsets":{"0":120, "1":98, "2":0}}}}
 * </pre>
 *
 * Unknown fields are ignored; an unknown version or a missing field is CORRUPT_OBJECT. Stateless.
 */
final class ShareGroupFormat {

    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ShareGroupFormat() {
    }

    static byte[] encode(ShareGroupDoc d) {
        ObjectNode n = JSON.createObjectNode();
        n.put("version", VERSION);
        n.put("group", d.groupId());
        n.put("groupEpoch", d.groupEpoch());
        n.put("autoOffsetReset", d.autoOffsetReset());
        if (!d.limits().isEmpty()) {
            ObjectNode l = n.putObject("limits");
            d.limits().forEach(l::put);
        }
        n.put("writeId", d.writeId());
        n.put("updatedAtMs", d.updatedAtMs());
        ArrayNode members = n.putArray("members");
        for (ShareMember m : d.members().values()) {
            ObjectNode o = members.addObject();
            o.put("id", m.memberId());
            o.put("epoch", m.memberEpoch());
            o.put("clientId", m.clientId());
            o.put("clientHost", m.clientHost());
            o.put("rackId", m.rackId());
            ArrayNode topics = o.putArray("topics");
            m.topics().forEach(topics::add);
            ObjectNode a = o.putObject("assignment");
            m.assignment().forEach((t, ps) -> {
                ArrayNode arr = a.putArray(t);
                ps.forEach(arr::add);
            });
            o.put("leaseExpiresAtMs", m.leaseExpiresAtMs());
            o.put("sessionTimeoutMs", m.sessionTimeoutMs());
        }
        ObjectNode starts = n.putObject("starts");
        d.starts().forEach((topic, s) -> {
            ObjectNode t = starts.putObject(topic);
            t.put("topicId", s.topicId());
            ObjectNode offs = t.putObject("offsets");
            s.startOffsets().forEach((p, o) -> offs.put(Integer.toString(p), o));
        });
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException("encoding a JSON tree cannot fail", e);
        }
    }

    static ShareGroupDoc decode(String key, byte[] bytes) {
        try {
            JsonNode n = JSON.readTree(bytes);
            int version = n.path("version").asInt(-1);
            if (version != VERSION) {
                throw new CorruptObjectException("Share group object " + key + " has unknown version " + version);
            }
            SortedMap<String, ShareMember> members = new TreeMap<>();
            for (JsonNode o : req(n, "members", key)) {
                List<String> topics = new ArrayList<>();
                o.path("topics").forEach(t -> topics.add(t.asText()));
                SortedMap<String, List<Integer>> assignment = new TreeMap<>();
                o.path("assignment").fields().forEachRemaining(e -> {
                    List<Integer> ps = new ArrayList<>();
                    e.getValue().forEach(p -> ps.add(p.asInt()));
                    assignment.put(e.getKey(), ps);
                });
                ShareMember m = new ShareMember(req(o, "id", key).asText(), req(o, "epoch", key).asInt(),
                        o.path("clientId").asText(""), o.path("clientHost").asText(""),
                        o.path("rackId").isTextual() ? o.get("rackId").asText() : null, topics, assignment,
                        req(o, "leaseExpiresAtMs", key).asLong(), o.path("sessionTimeoutMs").asInt(45_000));
                members.put(m.memberId(), m);
            }
            SortedMap<String, ShareGroupDoc.TopicStart> starts = new TreeMap<>();
            n.path("starts").fields().forEachRemaining(e -> {
                SortedMap<Integer, Long> offs = new TreeMap<>();
                e.getValue().path("offsets").fields().forEachRemaining(p -> offs.put(Integer.parseInt(p.getKey()), p.getValue().asLong()));
                starts.put(e.getKey(), new ShareGroupDoc.TopicStart(e.getValue().path("topicId").asText(), offs));
            });
            SortedMap<String, Integer> limits = new TreeMap<>();
            n.path("limits").fields().forEachRemaining(e -> limits.put(e.getKey(), e.getValue().asInt()));
            return new ShareGroupDoc(req(n, "group", key).asText(), req(n, "groupEpoch", key).asInt(), members, starts,
                    n.path("autoOffsetReset").asText(ShareGroupDoc.LATEST), limits, n.path("writeId").asText(""),
                    n.path("updatedAtMs").asLong());
        } catch (IOException | RuntimeException e) {
            if (e instanceof CorruptObjectException c) {
                throw c;
            }
            throw new CorruptObjectException("Share group object " + key + " does not parse: " + e.getMessage());
        }
    }

    private static JsonNode req(JsonNode n, String field, String key) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new CorruptObjectException("Share group object " + key + " lacks " + field);
        }
        return v;
    }
}
