package io.floe.txn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.TopicPartition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The transaction state object {@code transactions/{id}}: a versioned JSON document (UTF-8).
 * Stateless and thread-safe.
 *
 * <pre>
 * {"version":1, "transactionalId":"copier-1", "producerId":4001, "producerEpoch":3,
 *  "lastProducerId":4001, "lastProducerEpoch":2, "timeoutMs":60000, "state":"ONGOING",
 *  "startedAtMs":…, "preparedAtMs":-1, "updatedAtMs":…, "writeId":"floe-1:17",
 *  "partitions":[["out",0],["out",3]],
 *  "groups":{"copier-group":[["in",0,1042,-1,""]]}}
 * </pre>
 *
 * A group's entries are {@code [topic, partition, offset, leaderEpoch, metadata]}. Unknown fields are
 * ignored; an unknown version, a missing field or a value out of range is CORRUPT_OBJECT naming the key.
 */
final class TxnFormat {

    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private TxnFormat() {
    }

    static byte[] encode(Transaction t) {
        ObjectNode n = JSON.createObjectNode();
        n.put("version", VERSION);
        n.put("transactionalId", t.transactionalId());
        n.put("producerId", t.producerId());
        n.put("producerEpoch", t.producerEpoch());
        n.put("lastProducerId", t.lastProducerId());
        n.put("lastProducerEpoch", t.lastProducerEpoch());
        n.put("timeoutMs", t.timeoutMs());
        n.put("state", t.state().name());
        n.put("startedAtMs", t.startedAtMs());
        n.put("preparedAtMs", t.preparedAtMs());
        n.put("updatedAtMs", t.updatedAtMs());
        n.put("writeId", t.writeId());
        ArrayNode ps = n.putArray("partitions");
        for (TopicPartition tp : t.partitions()) {
            ps.addArray().add(tp.topic()).add(tp.partition());
        }
        ObjectNode gs = n.putObject("groups");
        t.groups().forEach((g, offsets) -> {
            ArrayNode os = gs.putArray(g);
            offsets.forEach((tp, o) -> os.addArray().add(tp.topic()).add(tp.partition()).add(o.offset())
                    .add(o.leaderEpoch()).add(o.metadata()));
        });
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Transaction decode(String key, byte[] content) {
        try {
            JsonNode n = JSON.readTree(new String(content, StandardCharsets.UTF_8));
            if (n == null || !n.isObject()) {
                throw corrupt(key, "not a JSON object");
            }
            int version = integer(key, n, "version");
            if (version != VERSION) {
                throw corrupt(key, "unknown version " + version);
            }
            TreeSet<TopicPartition> partitions = new TreeSet<>(Transaction.ORDER);
            for (JsonNode p : array(key, n, "partitions")) {
                partitions.add(new TopicPartition(text(key, p, 0), index(key, p, 1)));
            }
            TreeMap<String, SortedMap<TopicPartition, TxnOffset>> groups = new TreeMap<>();
            JsonNode gs = n.get("groups");
            if (gs == null || !gs.isObject()) {
                throw corrupt(key, "missing object \"groups\"");
            }
            var fields = gs.fields();
            while (fields.hasNext()) {
                var g = fields.next();
                TreeMap<TopicPartition, TxnOffset> offsets = new TreeMap<>(Transaction.ORDER);
                if (!g.getValue().isArray()) {
                    throw corrupt(key, "group " + g.getKey() + " is not an array");
                }
                for (JsonNode o : g.getValue()) {
                    long offset = o.path(2).asLong(-1);
                    if (!o.path(2).canConvertToLong() || offset < 0) {
                        throw corrupt(key, "group " + g.getKey() + " has an invalid offset: " + o);
                    }
                    offsets.put(new TopicPartition(text(key, o, 0), index(key, o, 1)),
                            new TxnOffset(offset, o.path(3).asInt(-1), o.path(4).asText("")));
                }
                groups.put(g.getKey(), offsets);
            }
            TxnState state;
            try {
                state = TxnState.valueOf(text(key, n, "state"));
            } catch (IllegalArgumentException e) {
                throw corrupt(key, "unknown state " + n.get("state"));
            }
            long producerId = number(key, n, "producerId");
            int epoch = integer(key, n, "producerEpoch");
            int timeout = integer(key, n, "timeoutMs");
            if (producerId < 0 || epoch < 0 || epoch > Short.MAX_VALUE || timeout <= 0) {
                throw corrupt(key, "producerId, producerEpoch or timeoutMs out of range");
            }
            return new Transaction(text(key, n, "transactionalId"), producerId, (short) epoch,
                    number(key, n, "lastProducerId"), (short) integer(key, n, "lastProducerEpoch"), timeout, state,
                    number(key, n, "startedAtMs"), number(key, n, "preparedAtMs"), number(key, n, "updatedAtMs"),
                    partitions, groups, text(key, n, "writeId"));
        } catch (IOException e) {
            throw corrupt(key, "not JSON: " + e.getMessage());
        }
    }

    private static FloeException corrupt(String key, String problem) {
        return new FloeException(ErrorCode.CORRUPT_OBJECT, "Transaction state object '" + key + "' is corrupt: " + problem + ".");
    }

    private static JsonNode field(String key, JsonNode n, String name) {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) {
            throw corrupt(key, "missing field \"" + name + "\"");
        }
        return v;
    }

    private static long number(String key, JsonNode n, String name) {
        JsonNode v = field(key, n, name);
        if (!v.canConvertToLong() || !v.isIntegralNumber()) {
            throw corrupt(key, "\"" + name + "\" is not an integer");
        }
        return v.asLong();
    }

    private static int integer(String key, JsonNode n, String name) {
        long v = number(key, n, name);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw corrupt(key, "\"" + name + "\" is out of range");
        }
        return (int) v;
    }

    private static String text(String key, JsonNode n, String name) {
        JsonNode v = field(key, n, name);
        if (!v.isTextual()) {
            throw corrupt(key, "\"" + name + "\" is not a string");
        }
        return v.asText();
    }

    private static Iterable<JsonNode> array(String key, JsonNode n, String name) {
        JsonNode v = field(key, n, name);
        if (!v.isArray()) {
            throw corrupt(key, "\"" + name + "\" is not an array");
        }
        return v;
    }

    private static String text(String key, JsonNode tuple, int i) {
        JsonNode v = tuple.path(i);
        if (!v.isTextual()) {
            throw corrupt(key, "entry " + tuple + " has no topic name at " + i);
        }
        return v.asText();
    }

    private static int index(String key, JsonNode tuple, int i) {
        JsonNode v = tuple.path(i);
        if (!v.isInt() || v.asInt() < 0) {
            throw corrupt(key, "entry " + tuple + " has no partition number at " + i);
        }
        return v.asInt();
    }
}
