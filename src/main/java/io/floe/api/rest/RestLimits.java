package io.floe.api.rest;

import jakarta.ws.rs.core.Response;
import java.time.Duration;

/**
 * What a REST fetch may ask for and answer on this deployment. The REST API accepts a long-poll
 * {@code timeout} of up to {@link #API_MAX_WAIT} and a {@code max_bytes} of up to
 * {@link #API_MAX_FETCH_BYTES} (more is an error, 422). A deployment may allow less — AWS Lambda
 * must answer within its timeout and in at most 6 MB — and then a request above its limits is
 * served with the limit instead, and the answer says so in a header ({@link Fetch#describe}): the
 * client asked for "up to", so less is a valid answer, and it continues from the last offset it got.
 * Immutable.
 *
 * @param maxWait          longest long poll (0 to 60 s); a longer {@code timeout} is shortened to it
 * @param maxFetchBytes    largest {@code max_bytes} (1 byte to 64 MiB); a larger one is lowered to it
 * @param maxResponseBytes largest fetch answer, counted as its body would be escaped inside a JSON
 *                         string (how Lambda carries a response); records beyond it are left for the
 *                         next fetch. 0: no limit
 */
public record RestLimits(Duration maxWait, int maxFetchBytes, long maxResponseBytes) {

    /** Longest long poll the REST API accepts at all. */
    public static final Duration API_MAX_WAIT = Duration.ofSeconds(60);
    /** Largest {@code max_bytes} the REST API accepts at all. */
    public static final int API_MAX_FETCH_BYTES = 64 << 20;
    /** Present when the long poll was shortened: the wait used, in milliseconds. */
    public static final String TIMEOUT_CLAMPED_HEADER = "Floe-Timeout-Clamped-Ms";
    /** Present when {@code max_bytes} was lowered: the value used. */
    public static final String MAX_BYTES_CLAMPED_HEADER = "Floe-Max-Bytes-Clamped";
    /** Present when records were left out to keep the answer within the response limit: that limit. */
    public static final String RESPONSE_LIMITED_HEADER = "Floe-Response-Limited";

    public RestLimits {
        if (maxWait.isNegative() || maxWait.compareTo(API_MAX_WAIT) > 0) {
            throw new IllegalArgumentException("floe.rest.max-wait = " + maxWait + ": expected 0 to 60s");
        }
        if (maxFetchBytes < 1 || maxFetchBytes > API_MAX_FETCH_BYTES) {
            throw new IllegalArgumentException("floe.rest.max-fetch-bytes = " + maxFetchBytes + ": expected 1 to 64M");
        }
        if (maxResponseBytes < 0) {
            throw new IllegalArgumentException("floe.rest.max-response-bytes = " + maxResponseBytes + ": expected 0 (no limit) or more");
        }
    }

    /** The API's own limits and no response limit: a server or container. */
    public static RestLimits none() {
        return new RestLimits(API_MAX_WAIT, API_MAX_FETCH_BYTES, 0);
    }

    /** The wait and size a fetch that asked for {@code waitMs} and {@code maxBytes} gets here. */
    Fetch fetch(long waitMs, int maxBytes) {
        long wait = Math.min(waitMs, maxWait.toMillis());
        int bytes = Math.min(maxBytes, maxFetchBytes);
        return new Fetch(wait, bytes, wait < waitMs, bytes < maxBytes);
    }

    /** A fetch's effective wait and size, and whether either was lowered. */
    record Fetch(long waitMs, int maxBytes, boolean waitClamped, boolean bytesClamped) {

        Duration maxWait() {
            return Duration.ofMillis(waitMs);
        }

        /** Adds the headers that tell the client what was lowered. */
        Response.ResponseBuilder describe(Response.ResponseBuilder response) {
            if (waitClamped) {
                response.header(TIMEOUT_CLAMPED_HEADER, waitMs);
            }
            if (bytesClamped) {
                response.header(MAX_BYTES_CLAMPED_HEADER, maxBytes);
            }
            return response;
        }
    }
}
