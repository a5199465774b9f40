package io.floe.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.GetTelemetrySubscriptionsRequestData;
import org.apache.kafka.common.message.GetTelemetrySubscriptionsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.GetTelemetrySubscriptionsRequest;
import org.apache.kafka.common.requests.GetTelemetrySubscriptionsResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GetTelemetrySubscriptions (KIP-714) is answered as by a Kafka broker without client-metrics
 * subscriptions: Java clients get their client instance id, and are asked for no metrics.
 */
class TelemetrySubscriptionsTest {

    private static FloeKafka floe;

    @BeforeAll
    static void start() {
        floe = FloeKafka.start("telemetry");
    }

    @AfterAll
    static void stop() {
        floe.close();
    }

    @Test
    void javaClientsGetTheirClientInstanceId() throws Exception {
        // clientInstanceId() needs the broker's GetTelemetrySubscriptions; without it the call fails. Producers
        // and consumers push metrics by default; the admin client only when asked.
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, floe.bootstrap(),
                AdminClientConfig.ENABLE_METRICS_PUSH_CONFIG, "true"))) {
            assertThat(admin.clientInstanceId(Duration.ofSeconds(20))).isNotNull().isNotEqualTo(Uuid.ZERO_UUID);
        }
        try (KafkaProducer<String, String> p = new KafkaProducer<>(JavaClientsTest.producerProps(floe.bootstrap()))) {
            assertThat(p.clientInstanceId(Duration.ofSeconds(20))).isNotEqualTo(Uuid.ZERO_UUID);
        }
    }

    @Test
    void noMetricsAreRequestedAndAGivenInstanceIdIsKept() throws Exception {
        try (RawKafka raw = new RawKafka(floe.listener.port())) {
            GetTelemetrySubscriptionsResponseData fresh = subscribe(raw, Uuid.ZERO_UUID);
            assertThat(fresh.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(fresh.clientInstanceId()).isNotEqualTo(Uuid.ZERO_UUID);
            assertThat(fresh.requestedMetrics()).isEmpty();
            assertThat(fresh.pushIntervalMs()).isPositive();
            assertThat(subscribe(raw, Uuid.ZERO_UUID).clientInstanceId()).as("each new client its own id")
                    .isNotEqualTo(fresh.clientInstanceId());
            Uuid mine = new Uuid(7, 42);
            assertThat(subscribe(raw, mine).clientInstanceId()).isEqualTo(mine);
        }
    }

    private static GetTelemetrySubscriptionsResponseData subscribe(RawKafka raw, Uuid id) throws Exception {
        return ((GetTelemetrySubscriptionsResponse) raw.call(new GetTelemetrySubscriptionsRequest.Builder(
                new GetTelemetrySubscriptionsRequestData().setClientInstanceId(id)).build((short) 0))).data();
    }
}
