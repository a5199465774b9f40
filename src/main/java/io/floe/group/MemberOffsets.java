package io.floe.group;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.TopicPartition;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * A member offsets object ({@code group-offsets/{group}/{instance}/{member}}, docs/FORMAT.md §9a): the
 * latest offset commit of each partition one member made through one instance, each with the
 * {@link OffsetStamp} that orders it against the group object's offsets and other members' commits.
 * Written whole, without a condition, by that instance only. A value; encoding and decoding are here.
 *
 * <pre>
 * {"version":1, "group":"g1", "member":"c-1…", "incarnation":"5be0c1d2a3f4e5d6", "writeId":"i-3f2a:57:9c…",
 *  "offsets":{"orders":{"0":{"offset":42,"leaderEpoch":-1,"metadata":"","timestampMs":…,"stampVersion":117,
 *                            "stampMember":true,"stampTimeMs":…,"stampWriter":"group-offsets/…","stampSeq":12}}}}
 * </pre>
 *
 * @param incarnation the group object's incarnation its commits were accepted under (D88)
 * @param writeId     unique to the write (instance, sequence, random): the store's writer-unique rule
 */
record MemberOffsets(String groupId, String memberId, String incarnation, String writeId,
                     Map<TopicPartition, Entry> offsets) {

    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One partition's committed offset with its stamp. */
    record Entry(CommittedOffset offset, OffsetStamp stamp) {
    }

    MemberOffsets {
        TreeMap<TopicPartition, Entry> sorted = new TreeMap<>(GroupDoc::compare);
        sorted.putAll(offsets);
        offsets = java.util.Collections.unmodifiableMap(sorted);
    }

    static MemberOffsets empty(String groupId, String memberId, String incarnation) {
        return new MemberOffsets(groupId, memberId, incarnation, "", Map.of());
    }

    byte[] encode() {
        ObjectNode n = JSON.createObjectNode();
        n.put("version", VERSION).put("group", groupId).put("member", memberId).put("incarnation", incarnation)
                .put("writeId", writeId);
        ObjectNode all = n.putObject("offsets");
        offsets.forEach((tp, e) -> {
            ObjectNode t = all.has(tp.topic()) ? (ObjectNode) all.get(tp.topic()) : all.putObject(tp.topic());
            CommittedOffset o = e.offset();
            GroupFormat.putStamp(t.putObject(Integer.toString(tp.partition())).put("offset", o.offset())
                    .put("leaderEpoch", o.leaderEpoch()).put("metadata", o.metadata())
                    .put("timestampMs", o.commitTimestampMs()), e.stamp());
        });
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException("encoding a JSON tree cannot fail", e);
        }
    }

    static MemberOffsets decode(String key, byte[] bytes) {
        try {
            JsonNode n = JSON.readTree(bytes);
            int version = n.path("version").asInt(-1);
            if (version != VERSION) {
                throw corrupt(key, "unknown version " + version);
            }
            Map<TopicPartition, Entry> offsets = new TreeMap<>(GroupDoc::compare);
            n.path("offsets").fields().forEachRemaining(t -> t.getValue().fields().forEachRemaining(p -> {
                JsonNode o = p.getValue();
                offsets.put(new TopicPartition(t.getKey(), Integer.parseInt(p.getKey())), new Entry(
                        new CommittedOffset(o.path("offset").asLong(), o.path("leaderEpoch").asInt(-1),
                                o.path("metadata").asText(""), o.path("timestampMs").asLong(-1)), GroupFormat.stamp(o)));
            }));
            return new MemberOffsets(n.path("group").asText(""), n.path("member").asText(""),
                    n.path("incarnation").asText(""), n.path("writeId").asText(""), offsets);
        } catch (IOException | RuntimeException e) {
            if (e instanceof FloeException f) {
                throw f;
            }
            throw corrupt(key, e.getMessage());
        }
    }

    private static FloeException corrupt(String key, String why) {
        return new FloeException(ErrorCode.CORRUPT_OBJECT, "Member offsets object " + key + " is corrupt: " + why);
    }
}
