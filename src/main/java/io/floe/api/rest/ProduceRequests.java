package io.floe.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.floe.model.FloeException;
import io.floe.model.Header;
import io.floe.model.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a REST Proxy v2 produce body,
 * {@code {"records":[{"key":…,"value":…,"partition":…,"headers":[{"name":…,"value":…}],"timestamp":…}]}},
 * into messages. Walks the JSON tree by hand so that every wrong type is reported with its path
 * (400) and every wrong value with what is accepted (422). Stateless.
 */
final class ProduceRequests {

    private ProduceRequests() {
    }

    static List<Message> parse(JsonNode body, EmbeddedFormat format, Json json) {
        if (!body.isObject()) {
            throw RestException.badRequest("The request body must be a JSON object with a 'records' array.");
        }
        JsonNode records = body.get("records");
        if (records == null || records.isNull()) {
            throw RestException.badRequest("The request body needs a 'records' array.");
        }
        if (!records.isArray()) {
            throw RestException.badRequest("Wrong JSON type at 'records': expected an array.");
        }
        if (records.isEmpty()) {
            throw FloeException.invalid("'records' is empty; send at least one record.");
        }
        List<Message> messages = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            messages.add(record(records.get(i), "records[" + i + "]", format, json));
        }
        return messages;
    }

    private static Message record(JsonNode r, String at, EmbeddedFormat format, Json json) {
        if (!r.isObject()) {
            throw RestException.badRequest("Wrong JSON type at '" + at + "': expected an object.");
        }
        for (Map.Entry<String, JsonNode> field : r.properties()) {
            switch (field.getKey()) {
                case "key", "value", "partition", "headers", "timestamp" -> {
                }
                default -> throw FloeException.invalid("Unknown field '" + at + "." + field.getKey()
                        + "'; a record has key, value, partition, headers and timestamp.");
            }
        }
        Integer partition = integer(r.get("partition"), at + ".partition", 0, Integer.MAX_VALUE);
        Long timestamp = integer(r.get("timestamp"), at + ".timestamp", 0L, Long.MAX_VALUE);
        byte[] key = format.decode(r.get("key"), at + ".key", json);
        byte[] value = format.decode(r.get("value"), at + ".value", json);
        return new Message(partition, key, value, headers(r.get("headers"), at + ".headers", format), timestamp);
    }

    private static List<Header> headers(JsonNode node, String at, EmbeddedFormat format) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw RestException.badRequest("Wrong JSON type at '" + at + "': expected an array of {\"name\",\"value\"}.");
        }
        List<Header> headers = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode h = node.get(i);
            String hat = at + "[" + i + "]";
            if (!h.isObject()) {
                throw RestException.badRequest("Wrong JSON type at '" + hat + "': expected {\"name\",\"value\"}.");
            }
            JsonNode name = h.get("name");
            if (name == null || !name.isTextual()) {
                throw RestException.badRequest("Wrong JSON type at '" + hat + ".name': expected a string.");
            }
            headers.add(new Header(name.textValue(), format.decodeHeader(h.get("value"), hat + ".value")));
        }
        return headers;
    }

    private static Integer integer(JsonNode node, String at, int min, int max) {
        Long v = integer(node, at, (long) min, max);
        return v == null ? null : v.intValue();
    }

    private static Long integer(JsonNode node, String at, long min, long max) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw RestException.badRequest("Wrong JSON type at '" + at + "': expected an integer.");
        }
        long v = node.longValue();
        if (v < min || v > max) {
            throw FloeException.invalid("'" + at + "' must be between " + min + " and " + max + ", got " + v + ".");
        }
        return v;
    }
}
