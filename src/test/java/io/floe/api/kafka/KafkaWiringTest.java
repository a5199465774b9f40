package io.floe.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.runtime.KafkaWiring;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/** The application starts the Kafka listener (floe.kafka.*) next to REST, on the same engine. */
@QuarkusTest
class KafkaWiringTest {

    @Inject
    KafkaWiring kafka;

    @Test
    void theApplicationServesKafkaClients() throws Exception {
        assertThat(kafka.port()).isPositive();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafka.port()))) {
            admin.createTopics(List.of(new NewTopic("wired", 2, (short) 1))).all().get();
            assertThat(admin.listTopics().names().get()).contains("wired");
            assertThat(admin.describeCluster().clusterId().get()).isNotBlank();
            assertThat(admin.describeCluster().nodes().get()).hasSize(1);
        }
    }
}
