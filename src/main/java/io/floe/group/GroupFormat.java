package io.floe.group;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.TopicPartition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The group object {@code groups/{group}/state}: a versioned JSON document (UTF-8). Byte strings
 * (protocol metadata, assignments) are base64. Stateless and thread-safe.
 *
 * <pre>
 * {"version":1, "group":"g1", "protocolType":"consumer", "protocolName":"range", "generation":7,
 *  "state":"STABLE", "leader":"c-1…", "rebalanceDeadlineMs":0, "writeId":"i-3f2a:41", "updatedAtMs":…,
 *  "writes":118, "incarnation":"5be0c1d2a3f4e5d6",
 *  "members":[{"id":"c-1…", "instanceId":null, "clientId":"c", "clientHost":"/10.0.0.1",
 *              "sessionTimeoutMs":45000, "rebalanceTimeoutMs":300000, "leaseExpiresAtMs":…,
 *              "pendingJoin":false, "joinedGeneration":7, "topics":["orders"],
 *              "protocols":[{"name":"range","metadata":"AAE…"}],
 *              "assignment":{"bytes":"AAE…","partitions":[["orders",0],["orders",1]]},
 *              "managed":{"assignor":"range","reset":"earliest","autoCommit":true,
 *                         "properties":{"format":"json"},"positions":[["orders",0,42]]}}],
 *  "offsets":{"orders":{"0":{"offset":42,"leaderEpoch":-1,"metadata":"","timestampMs":…,"stampVersion":117,
 *                          "stampMember":true,"stampTimeMs":…,"stampWriter":"group-offsets/…","stampSeq":12}}},
 *  "deletedOffsets":[{"topic":"old","partition":0,"stampVersion":90}]}
 * </pre>
 *
 * Unknown fields are ignored; an unknown version or a missing required field is CORRUPT_OBJECT.
 */
final class GroupFormat {

    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private GroupFormat() {
    }

    static byte[] encode(GroupDoc d) {
        ObjectNode n = JSON.createObjectNode();
        n.put("version", VERSION);
        n.put("group", d.groupId);
        n.put("protocolType", d.protocolType);
        n.put("protocolName", d.protocolName);
        n.put("generation", d.generation);
        n.put("state", d.state.name());
        n.put("leader", d.leaderId);
        n.put("rebalanceDeadlineMs", d.rebalanceDeadlineMs);
        n.put("writeId", d.writeId);
        n.put("updatedAtMs", d.updatedAtMs);
        n.put("writes", d.version);
        n.put("incarnation", d.incarnation);
        if (d.isConsumerGroup()) {
            n.put("type", d.type);
            n.put("assignmentEpoch", d.assignmentEpoch);
            ObjectNode sp = n.putObject("subscribedPartitions");
            d.subscribedPartitions.forEach(sp::put);
        }
        ArrayNode members = n.putArray("members");
        for (GroupDoc.Member m : d.members.values()) {
            ObjectNode o = members.addObject();
            o.put("id", m.memberId);
            o.put("instanceId", m.groupInstanceId);
            o.put("clientId", m.clientId);
            o.put("clientHost", m.clientHost);
            o.put("sessionTimeoutMs", m.sessionTimeoutMs);
            o.put("rebalanceTimeoutMs", m.rebalanceTimeoutMs);
            o.put("leaseExpiresAtMs", m.leaseExpiresAtMs);
            o.put("pendingJoin", m.pendingJoin);
            o.put("joinedGeneration", m.joinedGeneration);
            ArrayNode topics = o.putArray("topics");
            new TreeSet<>(m.topics).forEach(topics::add);
            ArrayNode protocols = o.putArray("protocols");
            for (Protocol p : m.protocols) {
                protocols.addObject().put("name", p.name()).put("metadata", B64.encodeToString(p.metadata()));
            }
            ObjectNode a = o.putObject("assignment");
            a.put("bytes", B64.encodeToString(m.assignment.bytes()));
            ArrayNode parts = a.putArray("partitions");
            for (TopicPartition tp : m.assignment.partitions()) {
                parts.addArray().add(tp.topic()).add(tp.partition());
            }
            if (m.managed != null) {
                ObjectNode g = o.putObject("managed");
                g.put("assignor", m.managed.assignor);
                g.put("reset", m.managed.reset.configValue());
                g.put("autoCommit", m.managed.autoCommit);
                ObjectNode props = g.putObject("properties");
                new TreeMap<>(m.managed.properties).forEach(props::put);
                ArrayNode pos = g.putArray("positions");
                m.managed.positions.forEach((tp, off) -> pos.addArray().add(tp.topic()).add(tp.partition()).add(off));
            }
            if (m.consumer != null) {
                GroupDoc.Consumer c = m.consumer;
                ObjectNode g = o.putObject("consumer");
                g.put("epoch", c.epoch);
                g.put("previousEpoch", c.previousEpoch);
                g.put("phase", c.phase.name());
                partitions(g.putArray("pendingRevocation"), c.pendingRevocation);
                partitions(g.putArray("target"), c.target);
                ArrayNode at = g.putArray("assignedAt");
                c.assignedAt.forEach((tp, e) -> at.addArray().add(tp.topic()).add(tp.partition()).add(e));
                g.put("assignor", c.assignor);
                g.put("rackId", c.rackId);
                g.put("revokeDeadlineMs", c.revokeDeadlineMs);
                if (c.topicRegex != null) {
                    g.put("topicRegex", c.topicRegex);
                }
            }
        }
        ObjectNode offsets = n.putObject("offsets");
        d.offsets.forEach((topic, byPartition) -> {
            ObjectNode t = offsets.putObject(topic);
            byPartition.forEach((p, o) -> putStamp(t.putObject(Integer.toString(p))
                    .put("offset", o.offset()).put("leaderEpoch", o.leaderEpoch())
                    .put("metadata", o.metadata()).put("timestampMs", o.commitTimestampMs()),
                    d.stamp(new TopicPartition(topic, p))));
        });
        if (!d.deleted.isEmpty()) {
            ArrayNode deleted = n.putArray("deletedOffsets");
            d.deleted.forEach((tp, st) -> putStamp(deleted.addObject().put("topic", tp.topic()).put("partition", tp.partition()), st));
        }
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException("encoding a JSON tree cannot fail", e);
        }
    }

    /** Writes an {@link OffsetStamp}'s fields into an offset entry (docs/FORMAT.md §9a). */
    static ObjectNode putStamp(ObjectNode o, OffsetStamp s) {
        o.put("stampVersion", s.version());
        if (s.source() == OffsetStamp.MEMBER) {
            o.put("stampMember", true).put("stampTimeMs", s.timeMs()).put("stampWriter", s.writer()).put("stampSeq", s.seq());
        }
        return o;
    }

    /** Reads the stamp written by {@link #putStamp}; {@link OffsetStamp#NONE} when absent. */
    static OffsetStamp stamp(JsonNode o) {
        long version = o.path("stampVersion").asLong(0);
        if (!o.path("stampMember").asBoolean(false)) {
            return OffsetStamp.direct(version);
        }
        return new OffsetStamp(version, OffsetStamp.MEMBER, o.path("stampTimeMs").asLong(), o.path("stampWriter").asText(""),
                o.path("stampSeq").asLong());
    }

    private static void partitions(ArrayNode a, List<TopicPartition> partitions) {
        partitions.forEach(tp -> a.addArray().add(tp.topic()).add(tp.partition()));
    }

    private static List<TopicPartition> partitions(JsonNode a) {
        List<TopicPartition> out = new ArrayList<>();
        a.forEach(p -> out.add(new TopicPartition(p.get(0).asText(), p.get(1).asInt())));
        return out;
    }

    private static String textOrNull(JsonNode n, String field) {
        return n.path(field).isTextual() ? n.get(field).asText() : null;
    }

    static GroupDoc decode(String key, byte[] bytes) {
        try {
            JsonNode n = JSON.readTree(bytes);
            int version = req(n, "version").asInt();
            if (version != VERSION) {
                throw corrupt(key, "unknown version " + version);
            }
            GroupDoc d = new GroupDoc();
            d.groupId = req(n, "group").asText();
            d.protocolType = req(n, "protocolType").asText();
            d.protocolName = req(n, "protocolName").asText();
            d.generation = req(n, "generation").asInt();
            d.state = GroupState.valueOf(req(n, "state").asText());
            d.leaderId = req(n, "leader").asText();
            d.rebalanceDeadlineMs = n.path("rebalanceDeadlineMs").asLong();
            d.writeId = n.path("writeId").asText("");
            d.updatedAtMs = n.path("updatedAtMs").asLong();
            d.version = n.path("writes").asLong(0);
            d.incarnation = n.path("incarnation").asText("");
            d.type = n.path("type").asText(GroupDoc.CLASSIC);
            d.assignmentEpoch = n.path("assignmentEpoch").asInt();
            n.path("subscribedPartitions").fields().forEachRemaining(e -> d.subscribedPartitions.put(e.getKey(), e.getValue().asInt()));
            for (JsonNode o : req(n, "members")) {
                GroupDoc.Member m = new GroupDoc.Member();
                m.memberId = req(o, "id").asText();
                m.groupInstanceId = o.path("instanceId").isTextual() ? o.get("instanceId").asText() : null;
                m.clientId = o.path("clientId").asText("");
                m.clientHost = o.path("clientHost").asText("");
                m.sessionTimeoutMs = req(o, "sessionTimeoutMs").asLong();
                m.rebalanceTimeoutMs = o.path("rebalanceTimeoutMs").asLong(m.sessionTimeoutMs);
                m.leaseExpiresAtMs = req(o, "leaseExpiresAtMs").asLong();
                m.pendingJoin = o.path("pendingJoin").asBoolean();
                m.joinedGeneration = o.path("joinedGeneration").asInt(-1);
                Set<String> topics = new LinkedHashSet<>();
                o.path("topics").forEach(t -> topics.add(t.asText()));
                m.topics = Set.copyOf(topics);
                for (JsonNode p : o.path("protocols")) {
                    m.protocols.add(new Protocol(p.path("name").asText(), B64D.decode(p.path("metadata").asText(""))));
                }
                JsonNode a = o.path("assignment");
                List<TopicPartition> parts = new ArrayList<>();
                a.path("partitions").forEach(p -> parts.add(new TopicPartition(p.get(0).asText(), p.get(1).asInt())));
                m.assignment = new MemberAssignment(B64D.decode(a.path("bytes").asText("")), parts);
                JsonNode g = o.get("managed");
                if (g != null && g.isObject()) {
                    GroupDoc.Managed mg = new GroupDoc.Managed();
                    mg.assignor = g.path("assignor").asText("range");
                    mg.reset = OffsetReset.parse(g.path("reset").asText("latest"));
                    mg.autoCommit = g.path("autoCommit").asBoolean(true);
                    Map<String, String> props = new TreeMap<>();
                    g.path("properties").fields().forEachRemaining(e -> props.put(e.getKey(), e.getValue().asText()));
                    mg.properties = Map.copyOf(props);
                    g.path("positions").forEach(p -> mg.positions.put(
                            new TopicPartition(p.get(0).asText(), p.get(1).asInt()), p.get(2).asLong()));
                    m.managed = mg;
                }
                JsonNode c = o.get("consumer");
                if (c != null && c.isObject()) {
                    GroupDoc.Consumer gc = new GroupDoc.Consumer();
                    gc.epoch = req(c, "epoch").asInt();
                    gc.previousEpoch = c.path("previousEpoch").asInt(-1);
                    gc.phase = Reconciliation.Phase.valueOf(req(c, "phase").asText());
                    gc.pendingRevocation = partitions(c.path("pendingRevocation"));
                    gc.target = partitions(c.path("target"));
                    c.path("assignedAt").forEach(p -> gc.assignedAt.put(
                            new TopicPartition(p.get(0).asText(), p.get(1).asInt()), p.get(2).asInt()));
                    gc.assignor = textOrNull(c, "assignor");
                    gc.rackId = textOrNull(c, "rackId");
                    gc.revokeDeadlineMs = c.path("revokeDeadlineMs").asLong();
                    gc.topicRegex = textOrNull(c, "topicRegex");
                    m.consumer = gc;
                }
                d.members.put(m.memberId, m);
            }
            req(n, "offsets").fields().forEachRemaining(t -> t.getValue().fields().forEachRemaining(p -> {
                JsonNode o = p.getValue();
                d.putOffset(new TopicPartition(t.getKey(), Integer.parseInt(p.getKey())),
                        new CommittedOffset(o.path("offset").asLong(), o.path("leaderEpoch").asInt(-1),
                                o.path("metadata").asText(""), o.path("timestampMs").asLong(-1)), stamp(o));
            }));
            for (JsonNode o : n.path("deletedOffsets")) {
                d.deleted.put(new TopicPartition(req(o, "topic").asText(), req(o, "partition").asInt()), stamp(o));
            }
            return d;
        } catch (IOException | RuntimeException e) {
            if (e instanceof FloeException f) {
                throw f;
            }
            throw corrupt(key, e.getMessage());
        }
    }

    private static JsonNode req(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        return v;
    }

    private static FloeException corrupt(String key, String why) {
        return new FloeException(ErrorCode.CORRUPT_OBJECT, "Group object '" + key + "' does not parse: " + why);
    }
}
