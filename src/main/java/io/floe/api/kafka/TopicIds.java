package io.floe.api.kafka;

import io.floe.log.LogEngine;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.Topic;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.Uuid;

/**
 * Kafka's topic ids for Floe's topics, and the lookups that requests naming topics by id (or answers that
 * must carry the id) need: one home for the Kafka door. Stateless and thread-safe.
 */
final class TopicIds {

    private TopicIds() {
    }

    /** Floe topic ids are 32 hex digits (128 bits): they are the Kafka topic id. */
    static Uuid of(Topic t) {
        String id = t.id();
        try {
            if (id.length() == 32) {
                return new Uuid(Long.parseUnsignedLong(id.substring(0, 16), 16), Long.parseUnsignedLong(id.substring(16), 16));
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        java.util.UUID u = java.util.UUID.nameUUIDFromBytes(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return new Uuid(u.getMostSignificantBits(), u.getLeastSignificantBits());
    }

    /** The id of topic {@code name}, or empty if there is no such topic. */
    static Optional<Uuid> of(LogEngine log, String name) {
        try {
            return Optional.of(of(log.topic(name)));
        } catch (FloeException e) {
            if (e.code() == ErrorCode.UNKNOWN_TOPIC) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Every topic's name by its id (one listing of the topics). */
    static Map<Uuid, String> namesById(LogEngine log) {
        Map<Uuid, String> out = new HashMap<>();
        for (Topic t : log.listTopics()) {
            out.put(of(t), t.name());
        }
        return out;
    }

    /** Every topic's id by its name (one listing of the topics). */
    static Map<String, Uuid> idsByName(LogEngine log) {
        Map<String, Uuid> out = new HashMap<>();
        for (Topic t : log.listTopics()) {
            out.put(t.name(), of(t));
        }
        return out;
    }
}
