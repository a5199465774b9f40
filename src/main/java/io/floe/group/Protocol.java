package io.floe.group;

import java.util.Objects;

/**
 * One protocol a joining member supports, in its order of preference (Kafka JoinGroup
 * {@code protocols}): a name such as {@code range} and metadata the engine never interprets
 * (Kafka's consumer protocol puts the subscription there).
 */
public record Protocol(String name, byte[] metadata) {
    public Protocol {
        Objects.requireNonNull(name, "name");
        metadata = metadata == null ? new byte[0] : metadata;
    }
}
