package io.floe.api.kafka;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.GetTelemetrySubscriptionsRequestData;
import org.apache.kafka.common.message.GetTelemetrySubscriptionsResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * GetTelemetrySubscriptions (KIP-714), answered as a Kafka broker with no client-metrics subscription:
 * a client instance id (a new one when the client has none), no requested metrics, so clients never
 * push (PushTelemetry is not offered). Answering at all keeps Java clients, whose
 * {@code enable.metrics.push} is on by default, from logging that the broker lacks the API.
 * Thread-safe.
 */
final class TelemetrySubscriptions {

    /** Kafka's default push interval and size limit for client telemetry. */
    private static final int PUSH_INTERVAL_MS = 300_000;
    private static final int TELEMETRY_MAX_BYTES = 1024 * 1024;
    /** The compression types Kafka's broker accepts for pushes: zstd, lz4, gzip, snappy. */
    private static final List<Byte> COMPRESSION_TYPES = List.of((byte) 4, (byte) 3, (byte) 1, (byte) 2);

    private final Clock clock;
    private final long node;
    private final AtomicLong issued = new AtomicLong();

    TelemetrySubscriptions(Clock clock, int nodeId) {
        this.clock = clock;
        this.node = nodeId;
    }

    GetTelemetrySubscriptionsResponseData subscriptions(GetTelemetrySubscriptionsRequestData req) {
        Uuid id = req.clientInstanceId();
        if (id == null || id.equals(Uuid.ZERO_UUID)) {
            // Unique per instance and call; Floe keeps nothing about it (there is nothing to collect).
            id = new Uuid(clock.millis() ^ (node << 48), issued.incrementAndGet());
        }
        return new GetTelemetrySubscriptionsResponseData().setErrorCode(Errors.NONE.code()).setClientInstanceId(id)
                .setSubscriptionId(0).setAcceptedCompressionTypes(COMPRESSION_TYPES).setPushIntervalMs(PUSH_INTERVAL_MS)
                .setTelemetryMaxBytes(TELEMETRY_MAX_BYTES).setDeltaTemporality(true).setRequestedMetrics(List.of());
    }
}
