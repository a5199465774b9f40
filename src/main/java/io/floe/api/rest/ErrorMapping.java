package io.floe.api.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.OffsetOutOfRangeException;
import io.floe.store.StoreException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where errors become HTTP answers: {@code {"error_code":…,"message":…}} with the
 * REST Proxy's codes. Engine errors are mapped from {@link ErrorCode} by {@link #httpError}; the
 * framework's and Jackson's own exceptions are mapped here too, so that bad input never turns into
 * a 500, and no answer ever carries a stack trace (unexpected errors are logged with an id that
 * the answer names). Stateless.
 */
public final class ErrorMapping {

    private static final Logger LOG = Logger.getLogger(ErrorMapping.class);

    /** Seconds a client should wait before retrying a request that met an unavailable store. */
    static final int RETRY_AFTER_SECONDS = 1;

    /** HTTP status and REST Proxy error code of an engine error. */
    public record HttpError(int status, int errorCode) {
    }

    /** The mapping of engine errors to HTTP, written once (the console answers its forms with it too). */
    public static HttpError httpError(ErrorCode code) {
        return switch (code) {
            case INVALID_REQUEST, INVALID_TOPIC_NAME, INVALID_PARTITIONS, INVALID_CONFIG, INVALID_REGULAR_EXPRESSION -> new HttpError(422, 42201);
            case INVALID_RECORD, CORRUPT_RECORD, INVALID_TIMESTAMP -> new HttpError(422, 42202);
            case OUT_OF_ORDER_SEQUENCE, DUPLICATE_SEQUENCE -> new HttpError(422, 42206);
            case INVALID_PRODUCER_EPOCH -> new HttpError(409, 40908);
            case RECORD_TOO_LARGE -> new HttpError(413, 41301);
            case OFFSET_OUT_OF_RANGE -> new HttpError(416, 41601);
            case UNKNOWN_TOPIC -> new HttpError(404, 40401);
            case UNKNOWN_PARTITION -> new HttpError(404, 40402);
            case TOPIC_EXISTS -> new HttpError(409, 40902);
            case CONCURRENT_UPDATE -> new HttpError(409, 40903);
            // This instance's view was stale and it has been fenced; another attempt will re-read.
            case FENCED -> new HttpError(503, 50302);
            case STORE_UNAVAILABLE -> new HttpError(503, 50301);
            case CORRUPT_OBJECT, INTERNAL -> new HttpError(500, 50001);
            // Consumer groups. REST Proxy: 40403 consumer instance not found, 40902 instance exists.
            case INVALID_GROUP_ID, INVALID_SESSION_TIMEOUT, INCONSISTENT_GROUP_PROTOCOL -> new HttpError(422, 42204);
            case NO_OFFSET -> new HttpError(422, 42205);
            case UNKNOWN_GROUP -> new HttpError(404, 40404);
            case UNKNOWN_MEMBER -> new HttpError(404, 40403);
            case MEMBER_EXISTS -> new HttpError(409, 40902);
            case REBALANCE_IN_PROGRESS -> new HttpError(409, 40904);
            case ILLEGAL_GENERATION, FENCED_INSTANCE_ID -> new HttpError(409, 40905);
            case NOT_ASSIGNED -> new HttpError(409, 40906);
            case GROUP_NOT_EMPTY, GROUP_SUBSCRIBED_TO_TOPIC -> new HttpError(409, 40907);
            // Transactions are a Kafka-protocol feature; REST sees these only from operator views.
            case INVALID_PRODUCER_ID_MAPPING, INVALID_TXN_STATE, INVALID_TRANSACTION_TIMEOUT -> new HttpError(422, 42206);
            case PRODUCER_FENCED -> new HttpError(409, 40908);
            case TRANSACTIONAL_ID_NOT_FOUND -> new HttpError(404, 40405);
            // KIP-848 members (REST sees these only from shared offsets) and share groups (a stale member epoch).
            case STALE_MEMBER_EPOCH, FENCED_MEMBER_EPOCH -> new HttpError(409, 40905);
            case UNRELEASED_INSTANCE_ID -> new HttpError(409, 40902);
            case UNSUPPORTED_ASSIGNOR -> new HttpError(422, 42204);
            // Share groups (queues): a record not (or no longer) held by the caller.
            case INVALID_RECORD_STATE -> new HttpError(409, 40909);
        };
    }

    @ServerExceptionMapper
    public Response floe(FloeException e) {
        HttpError http = httpError(e.code());
        if (e.code().kind() == ErrorCode.Kind.INTERNAL || e.code().kind() == ErrorCode.Kind.CORRUPT) {
            return internal(e, e.code() == ErrorCode.CORRUPT_OBJECT ? e.getMessage() : null);
        }
        ErrorBody body = e instanceof OffsetOutOfRangeException range
                ? new ErrorBody(http.errorCode(), e.getMessage(), range.logStartOffset(), range.endOffset())
                : new ErrorBody(http.errorCode(), e.getMessage());
        Response.ResponseBuilder r = Response.status(http.status()).entity(body).type(MediaType.APPLICATION_JSON_TYPE);
        if (http.status() == 503) {
            r.header("Retry-After", RETRY_AFTER_SECONDS);
        }
        return r.build();
    }

    @ServerExceptionMapper
    public Response rest(RestException e) {
        return json(e.status(), e.errorCode(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response store(StoreException e) {
        if (e.retryable()) {
            return Response.status(503).entity(new ErrorBody(50301, "The object store is unavailable; retry later."))
                    .type(MediaType.APPLICATION_JSON_TYPE).header("Retry-After", RETRY_AFTER_SECONDS).build();
        }
        return internal(e, "The object store refused the request; see the server log.");
    }

    /** Bodies that are not JSON, or JSON of the wrong shape, read by the framework or by us. */
    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return badJson(e);
    }

    /** Declared separately so that it wins over rest-jackson's built-in mapper for this type. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        return badJson(e);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return internal(e, null);
        }
        if (e.getCause() instanceof JsonProcessingException json) {
            return badJson(json);
        }
        int code = switch (status) {
            case 400 -> 40001;
            case 406 -> 40601;
            case 415 -> 41501;
            default -> status;
        };
        String message = switch (status) {
            case 404 -> "HTTP 404 Not Found: no such endpoint.";
            case 405 -> "HTTP 405 Method Not Allowed.";
            case 406 -> "HTTP 406 Not Acceptable: this endpoint answers application/json, "
                    + "application/vnd.kafka.json.v2+json or application/vnd.kafka.binary.v2+json.";
            case 415 -> "HTTP 415 Unsupported Media Type: send application/vnd.kafka.json.v2+json, "
                    + "application/vnd.kafka.binary.v2+json or application/json.";
            default -> e.getMessage() == null ? "HTTP " + status : e.getMessage();
        };
        return json(status, code, message);
    }

    /** Futures complete exceptionally with a wrapper; answer for what is inside. */
    @ServerExceptionMapper({CompletionException.class, ExecutionException.class})
    public Response wrapped(Exception e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        return switch (cause) {
            case FloeException f -> floe(f);
            case RestException r -> rest(r);
            case StoreException s -> store(s);
            case MismatchedInputException m -> mismatchedJson(m);
            case JsonProcessingException j -> malformedJson(j);
            case WebApplicationException w -> web(w);
            default -> internal(cause, null);
        };
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        return internal(e, null);
    }

    private static Response badJson(JsonProcessingException e) {
        String where = e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            return json(400, 40001, "Wrong JSON type at '" + path(m.getPath()) + "': expected "
                    + expected(m.getTargetType()) + where + ".");
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return json(400, 40001, "The request body must be " + expected(m.getTargetType()) + where + ".");
        }
        return json(400, 40001, "Malformed JSON: " + e.getOriginalMessage() + where + ".");
    }

    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class) {
            return "an integer";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        return "a " + type.getSimpleName();
    }

    private static Response internal(Throwable e, String message) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        LOG.errorf(e, "Internal error %s", id);
        String text = (message == null ? "Internal server error." : message) + " (error id " + id + ", see the server log)";
        return json(500, 50001, text);
    }

    static Response json(int status, int errorCode, String message) {
        return Response.status(status).entity(new ErrorBody(errorCode, message)).type(MediaType.APPLICATION_JSON_TYPE).build();
    }
}
