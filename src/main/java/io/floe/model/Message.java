package io.floe.model;

import java.util.List;

/**
 * A record as a producer hands it in: partition may be null (then chosen from the key, or spread
 * when there is no key); timestamp may be null (then the append time). Key and value may be null.
 */
public record Message(Integer partition, byte[] key, byte[] value, List<Header> headers, Long timestamp) {
    public Message {
        headers = headers == null ? List.of() : List.copyOf(headers);
    }

    public static Message of(byte[] key, byte[] value) {
        return new Message(null, key, value, List.of(), null);
    }
}
