package io.floe.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * How keys, values and header values travel inside the JSON of the REST API, as in the Confluent
 * REST Proxy's "embedded formats": {@code json} (any JSON, stored as its JSON text; header values
 * are strings stored as UTF-8) or {@code binary} (base64 strings). Stateless.
 */
enum EmbeddedFormat {
    JSON(RestMediaTypes.JSON_V2),
    BINARY(RestMediaTypes.BINARY_V2);

    private final MediaType mediaType;

    EmbeddedFormat(String mediaType) {
        this.mediaType = MediaType.valueOf(mediaType);
    }

    MediaType mediaType() {
        return mediaType;
    }

    /** The format of a produce body; a type Quarkus accepted but we do not know is a 415. */
    static EmbeddedFormat ofContentType(String contentType) {
        MediaType type = contentType == null ? null : MediaType.valueOf(contentType);
        if (type != null && matches(type, RestMediaTypes.BINARY_V2)) {
            return BINARY;
        }
        if (type != null && (matches(type, RestMediaTypes.JSON_V2) || matches(type, MediaType.APPLICATION_JSON))) {
            return JSON;
        }
        throw new RestException(415, 41501, "Unsupported Content-Type '" + contentType + "': send "
                + RestMediaTypes.JSON_V2 + ", " + RestMediaTypes.BINARY_V2 + " or application/json.");
    }

    /** The format a fetch answers in: the first acceptable type that names one (JSON by default). */
    static EmbeddedFormat ofAccept(List<MediaType> acceptable) {
        for (MediaType t : acceptable) {
            if (matches(t, RestMediaTypes.BINARY_V2)) {
                return BINARY;
            }
            if (matches(t, RestMediaTypes.JSON_V2) || matches(t, MediaType.APPLICATION_JSON) || t.isWildcardType()
                    || (t.getType().equals("application") && t.isWildcardSubtype())) {
                return JSON;
            }
        }
        return JSON;
    }

    private static boolean matches(MediaType t, String expected) {
        MediaType e = MediaType.valueOf(expected);
        return t.getType().equalsIgnoreCase(e.getType()) && t.getSubtype().equalsIgnoreCase(e.getSubtype());
    }

    /** The stored bytes of a key or value given as {@code node} (null or JSON null: none). */
    byte[] decode(JsonNode node, String field, Json json) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (this == JSON) {
            return json.bytes(node);
        }
        if (!node.isTextual()) {
            throw RestException.badRequest("Wrong JSON type at '" + field
                    + "': the binary format expects a base64 string or null.");
        }
        return base64(node.textValue(), field);
    }

    /** The stored bytes of a header value. */
    byte[] decodeHeader(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw RestException.badRequest("Wrong JSON type at '" + field + "': a header value is "
                    + (this == JSON ? "a string" : "a base64 string") + " or null.");
        }
        return this == JSON ? node.textValue().getBytes(StandardCharsets.UTF_8) : base64(node.textValue(), field);
    }

    /** A stored key or value as this format shows it; {@code what} names it in an error. */
    JsonNode encode(byte[] bytes, String what, Json json) {
        if (bytes == null) {
            return null;
        }
        if (this == BINARY) {
            return TextNode.valueOf(Base64.getEncoder().encodeToString(bytes));
        }
        JsonNode node = json.parseStored(bytes);
        if (node == null) {
            throw new RestException(406, 42203, "The " + what + " is not valid JSON, so it cannot be shown in the json "
                    + "format; fetch with 'Accept: " + RestMediaTypes.BINARY_V2 + "' to get it as base64.");
        }
        return node;
    }

    /** A stored header value as this format shows it. */
    String encodeHeader(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        return this == BINARY ? Base64.getEncoder().encodeToString(bytes) : new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] base64(String text, String field) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new FloeException(ErrorCode.INVALID_RECORD,
                    "'" + field + "' is not valid base64 (" + e.getMessage() + "); the binary format expects base64.");
        }
    }
}
