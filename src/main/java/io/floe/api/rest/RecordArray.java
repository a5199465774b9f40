package io.floe.api.rest;

import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The JSON array of records that a fetch answers, written one record at a time within
 * {@link RestLimits#maxResponseBytes()}. The size counted is the size of the body once escaped
 * inside a JSON string, as AWS Lambda carries a response ({@code "body": "…"}: every {@code "} and
 * {@code \} doubles), so that a body within the limit also fits Lambda's 6 MB. A record that would
 * take the answer over the limit is left out, with every record after it: the client continues
 * from the last offset it got. A first record larger than the limit alone cannot be served here
 * (RECORD_TOO_LARGE, 413). Not thread-safe: one per request.
 */
final class RecordArray {

    private record Entry(V2.Record record, byte[] json) {
    }

    private final Json json;
    private final long limit;
    private final List<Entry> entries = new ArrayList<>();
    private long escapedSize = 2; // [ and ]
    private boolean limited;

    RecordArray(Json json, long limit) {
        this.json = json;
        this.limit = limit;
    }

    /**
     * Appends {@code record}, or answers false (appending nothing, now or later) when that would take
     * the answer over the limit.
     */
    boolean add(V2.Record record) {
        if (limited) {
            return false;
        }
        byte[] bytes = json.bytes(record);
        long size = escapedSize(bytes) + (entries.isEmpty() ? 0 : 1);
        if (limit > 0 && escapedSize + size > limit) {
            if (entries.isEmpty()) {
                throw new FloeException(ErrorCode.RECORD_TOO_LARGE, "The record at offset " + record.offset() + " of "
                        + record.topic() + "-" + record.partition() + " takes " + size + " bytes in a fetch answer, more than"
                        + " this deployment answers (" + limit + " bytes, floe.rest.max-response-bytes; AWS Lambda function"
                        + " URLs answer at most 6 MB). Read it from a server or container deployment, or over the Kafka protocol.");
            }
            limited = true;
            return false;
        }
        entries.add(new Entry(record, bytes));
        escapedSize += size;
        return true;
    }

    /** Drops the records that {@code drop} names (the answer only gets smaller). */
    void removeIf(Predicate<V2.Record> drop) {
        entries.removeIf(e -> drop.test(e.record()));
    }

    /** Whether records were left out to keep within the limit. */
    boolean limited() {
        return limited;
    }

    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, escapedSize));
        out.write('[');
        for (int i = 0; i < entries.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(entries.get(i).json());
        }
        out.write(']');
        return out.toByteArray();
    }

    /** Adds the header that says records were left out. */
    Response.ResponseBuilder describe(Response.ResponseBuilder response) {
        return limited ? response.header(RestLimits.RESPONSE_LIMITED_HEADER, limit) : response;
    }

    /** Bytes of {@code json} once escaped inside a JSON string: quotes and backslashes double. */
    static long escapedSize(byte[] json) {
        long n = json.length;
        for (byte b : json) {
            if (b == '"' || b == '\\') {
                n++;
            }
        }
        return n;
    }
}
