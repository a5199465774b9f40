package io.floe.api.rest;

import io.floe.model.FloeException;

/**
 * Parses numeric path and query parameters ourselves, so that a bad one gets a message naming it
 * (JAX-RS would answer a bare 404 for a non-numeric path parameter): not a number → 400/40001,
 * out of range → 422/42201.
 */
final class Params {

    private Params() {
    }

    static long longParam(String name, String text, Long defaultValue, long min, long max) {
        if (text == null || text.isBlank()) {
            if (defaultValue == null) {
                throw FloeException.invalid("The query parameter '" + name + "' is required.");
            }
            return defaultValue;
        }
        long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw RestException.badRequest("The parameter '" + name + "' must be an integer, got '" + text + "'.");
        }
        if (value < min || value > max) {
            throw FloeException.invalid("The parameter '" + name + "' must be between " + min + " and " + max
                    + ", got " + value + ".");
        }
        return value;
    }

    static int intParam(String name, String text, Integer defaultValue, int min, int max) {
        return (int) longParam(name, text, defaultValue == null ? null : defaultValue.longValue(), min, max);
    }

    /** A partition in a path: an integer >= 0 (whether the topic has it is the engine's business). */
    static int partition(String text) {
        return intParam("partition", text, null, 0, Integer.MAX_VALUE);
    }
}
