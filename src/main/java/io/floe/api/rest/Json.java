package io.floe.api.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.nio.charset.Charset;

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

    /**
     * A request body as a tree; malformed JSON becomes a 400 through {@link ErrorMapping}. JSON is
     * UTF-8 (Jackson also detects UTF-16/32), unless {@code contentType} names another charset.
     */
    JsonNode readBody(byte[] body, String contentType) throws JsonProcessingException {
        if (body == null || body.length == 0) {
            throw RestException.badRequest("The request body is missing; send a JSON document.");
        }
        try {
            Charset charset = charset(contentType);
            JsonNode node = charset == null ? reader.readTree(body) : reader.readTree(new String(body, charset));
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

    private static Charset charset(String contentType) {
        if (contentType == null) {
            return null;
        }
        String name = MediaType.valueOf(contentType).getParameters().get(MediaType.CHARSET_PARAMETER);
        if (name == null || name.equalsIgnoreCase("utf-8")) {
            return null;
        }
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException e) {
            throw new RestException(415, 41501, "Unsupported charset '" + name + "' in Content-Type; send UTF-8.");
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
