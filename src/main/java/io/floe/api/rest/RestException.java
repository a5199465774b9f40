package io.floe.api.rest;

/**
 * An error that only the HTTP front door knows about (a malformed body, an unknown cluster id, a
 * record that cannot be shown in the requested format). Engine errors are
 * {@link io.floe.model.FloeException}s and are mapped in {@link ErrorMapping}; these carry their
 * HTTP status and REST Proxy error code directly.
 */
final class RestException extends RuntimeException {

    private final int status;
    private final int errorCode;

    RestException(int status, int errorCode, String message) {
        super(message, null, false, false);
        this.status = status;
        this.errorCode = errorCode;
    }

    /** Malformed JSON, a wrong JSON type, a missing body, a non-numeric parameter: 400/40001. */
    static RestException badRequest(String message) {
        return new RestException(400, 40001, message);
    }

    static RestException notFound(String message) {
        return new RestException(404, 404, message);
    }

    int status() {
        return status;
    }

    int errorCode() {
        return errorCode;
    }
}
