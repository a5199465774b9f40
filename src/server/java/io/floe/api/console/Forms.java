package io.floe.api.console;

import io.floe.model.FloeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parsing of the console's form fields; bad input is an INVALID_REQUEST with a message for the page. Stateless. */
final class Forms {

    private Forms() {
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    static int integer(String field, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw FloeException.invalid("'" + field + "' must be a whole number, got '" + (value == null ? "" : value) + "'.");
        }
    }

    static long longValue(String field, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw FloeException.invalid("'" + field + "' must be a whole number, got '" + (value == null ? "" : value) + "'.");
        }
    }

    /**
     * A time as epoch milliseconds, an ISO instant ({@code 2026-11-28T21:00:00Z}) or a local date
     * and time read as UTC (what an HTML {@code datetime-local} field sends).
     */
    static long timestamp(String field, String value) {
        String v = value.trim();
        if (v.chars().allMatch(Character::isDigit)) {
            return longValue(field, v);
        }
        try {
            return Instant.parse(v).toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeParseException e2) {
                throw FloeException.invalid("'" + field + "' must be epoch milliseconds or a UTC date and time such as "
                        + "2026-11-28T21:00:00Z, got '" + value + "'.");
            }
        }
    }

    /** {@code name=value} lines (blank lines skipped) as an ordered map. */
    static Map<String, String> pairs(String field, String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text == null) {
            return out;
        }
        for (String line : text.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw FloeException.invalid("Each line of '" + field + "' must be name=value, got '" + line.trim() + "'.");
            }
            out.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
        return out;
    }
}
