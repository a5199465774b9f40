package io.floe.api.kafka;

import java.util.Optional;

/**
 * Settings of the Kafka listener, as plain values. The runtime maps {@code floe.kafka.*} to this and
 * checks the values (io.floe.runtime.FloeSettings).
 *
 * @param host             interface to bind ({@code 0.0.0.0}: all; {@code 127.0.0.1}: loopback only)
 * @param port             TCP port to bind (0: any free port)
 * @param advertisedHost   host that Metadata names; empty: the local address the client connected to
 * @param advertisedPort   port that Metadata names; empty: the bound port
 * @param nodeId           the broker id every instance reports: Floe is leaderless, so whichever instance a
 *                         client talks to "leads" every partition under this one stable id
 * @param autoCreateTopics whether Metadata for an unknown topic creates it with one partition
 */
public record KafkaSettings(String host, int port, Optional<String> advertisedHost, Optional<Integer> advertisedPort, int nodeId,
                            boolean autoCreateTopics) {

    /** Largest request frame accepted (Kafka's socket.request.max.bytes default). */
    static final int MAX_FRAME_BYTES = 100 * 1024 * 1024;
    /** Largest frame accepted before authentication (Kafka's sasl.server.max.receive.size default). */
    static final int MAX_PRE_AUTH_FRAME_BYTES = 512 * 1024;

    /** Loopback only, on {@code port}: what tests and a laptop want. */
    public static KafkaSettings onPort(int port) {
        return new KafkaSettings("127.0.0.1", port, Optional.empty(), Optional.empty(), 0, true);
    }
}
