package io.floe.model;

/** A record header: a UTF-8 key and an optional byte value. */
public record Header(String key, byte[] value) {
    public Header {
        if (key == null) {
            throw FloeException.invalid("A header needs a non-null key.");
        }
    }
}
