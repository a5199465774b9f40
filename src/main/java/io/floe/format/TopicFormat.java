package io.floe.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.floe.model.FloeException;
import io.floe.model.Topic;
import io.floe.model.TopicConfig;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Topic metadata objects and the cluster object, as small versioned JSON documents (UTF-8).
 * Stateless and thread-safe (one shared, never reconfigured ObjectMapper).
 *
 * <pre>
 * topics/{name}: {"version":1,"name":"orders","id":"…","partitions":3,
 *                 "configs":{"retention.ms":"86400000"},"createdAtMs":1700000000000}
 * cluster:       {"version":1,"clusterId":"…","createdAtMs":1700000000000}
 * </pre>
 *
 * {@code configs} holds only the overrides, sorted by name. Unknown fields are ignored (a later
 * version 1 writer may add optional ones); an unknown version or a missing field is corrupt.
 */
public final class TopicFormat {

    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private TopicFormat() {
    }

    public static byte[] encode(Topic topic) {
        ObjectNode n = JSON.createObjectNode();
        n.put("version", VERSION);
        n.put("name", topic.name());
        n.put("id", topic.id());
        n.put("partitions", topic.partitions());
        ObjectNode configs = n.putObject("configs");
        new TreeMap<>(topic.config() == null ? Map.<String, String>of() : topic.config().overrides()).forEach(configs::put);
        n.put("createdAtMs", topic.createdAtMs());
        return write(n);
    }

    public static Topic decode(byte[] object) {
        JsonNode n = read(object, "Topic object");
        String name = text(n, "name", "Topic object");
        String id = text(n, "id", "Topic object");
        int partitions = (int) number(n, "partitions", "Topic object", true);
        long createdAtMs = number(n, "createdAtMs", "Topic object", false);
        JsonNode configs = n.get("configs");
        if (configs == null || !configs.isObject()) {
            throw new CorruptObjectException("Topic object '" + name + "': field 'configs' is missing or not an object.");
        }
        Map<String, String> overrides = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = configs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new CorruptObjectException("Topic object '" + name + "': config '" + e.getKey() + "' is not a string.");
            }
            overrides.put(e.getKey(), e.getValue().asText());
        }
        try {
            return new Topic(name, id, partitions, TopicConfig.stored(overrides), createdAtMs);
        } catch (FloeException e) {
            throw new CorruptObjectException("Topic object '" + name + "' is not a valid topic: " + e.getMessage());
        }
    }

    public static byte[] encodeCluster(String clusterId, long createdAtMs) {
        ObjectNode n = JSON.createObjectNode();
        n.put("version", VERSION);
        n.put("clusterId", clusterId);
        n.put("createdAtMs", createdAtMs);
        return write(n);
    }

    /** The cluster id in a cluster object. */
    public static String decodeClusterId(byte[] object) {
        JsonNode n = read(object, "Cluster object");
        number(n, "createdAtMs", "Cluster object", false);
        return text(n, "clusterId", "Cluster object");
    }

    private static byte[] write(ObjectNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write JSON", e); // cannot happen for a tree of plain values
        }
    }

    private static JsonNode read(byte[] object, String what) {
        JsonNode n;
        try {
            n = object == null ? null : JSON.readTree(object);
        } catch (JsonProcessingException e) {
            throw new CorruptObjectException(what + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new CorruptObjectException(what + " is not valid JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new CorruptObjectException(what + " is not a JSON object.");
        }
        JsonNode version = n.get("version");
        if (version == null || !version.isIntegralNumber()) {
            throw new CorruptObjectException(what + " has no integer 'version'.");
        }
        if (version.asLong() != VERSION) {
            throw new CorruptObjectException(what + " has version " + version.asText() + "; this Floe reads version " + VERSION + ".");
        }
        return n;
    }

    private static String text(JsonNode n, String field, String what) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new CorruptObjectException(what + ": field '" + field + "' is missing or not a non-empty string.");
        }
        return v.asText();
    }

    private static long number(JsonNode n, String field, String what, boolean isInt) {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber() || (isInt ? !v.canConvertToInt() : !v.canConvertToLong())) {
            throw new CorruptObjectException(what + ": field '" + field + "' is missing or not an integer"
                    + (isInt ? " that fits in 32 bits." : " that fits in 64 bits."));
        }
        return v.asLong();
    }
}
