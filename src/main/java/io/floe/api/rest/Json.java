package io.floe.api.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * JSON reading and writing for bodies and embedded values. Numbers keep their exact text (big
 * decimals), and trailing garbage after a document is an error. Thread-safe (Jackson readers and
 * writers are immutable).
 */
@Singleton
final class Json {

    private final ObjectReader reader;
    private final ObjectWriter writer;

    Json(ObjectMapper mapper) {
        this.reader = mapper.reader()
                .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.writer = mapper.writer();
    }

    /** A request body as a tree; malformed JSON becomes a 400 through {@link ErrorMapping}. */
    JsonNode readBody(byte[] body) throws JsonProcessingException {
        if (body == null || body.length == 0) {
            throw RestException.badRequest("The request body is missing; send a JSON document.");
        }
        try {
            JsonNode node = reader.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw RestException.badRequest("The request body is empty; send a JSON document.");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw RestException.badRequest("The request body could not be read: " + e.getMessage());
        }
    }

    /** Stored bytes parsed as JSON, or null when they are not one JSON document. */
    JsonNode parseStored(byte[] bytes) {
        try {
            JsonNode node = reader.readTree(bytes);
            return node == null || node.isMissingNode() ? null : node;
        } catch (IOException e) {
            return null;
        }
    }

    byte[] bytes(Object value) {
        try {
            return writer.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
