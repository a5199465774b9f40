package io.floe.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.group.GroupCoordinator;
import io.floe.log.LogEngine;
import io.floe.runtime.Defaults;
import io.floe.store.MemoryObjectStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

class BrokerConfigsTest {

    private static Config brokerConfigs(boolean autoCreateTopics) throws Exception {
        MemoryObjectStore store = new MemoryObjectStore();
        try (LogEngine engine = new LogEngine(store, Clock.systemUTC(), new SplittableRandom(1), Defaults.log("b"));
             GroupCoordinator groups = new GroupCoordinator(store, engine, Clock.systemUTC(), new SplittableRandom(2),
                     Defaults.group("b"));
             KafkaListener listener = new KafkaListener(engine, groups, store, Clock.systemUTC(),
                     new KafkaSettings("127.0.0.1", 0, Optional.empty(), Optional.empty(), 0, autoCreateTopics)).start();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + listener.port()))) {
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "0");
            return admin.describeConfigs(List.of(broker)).all().get().get(broker);
        }
    }

    @Test
    void autoCreateTopicsEnableIsReportedAsConfigured() throws Exception {
        assertThat(brokerConfigs(false).get("auto.create.topics.enable").value()).isEqualTo("false");
        assertThat(brokerConfigs(true).get("auto.create.topics.enable").value()).isEqualTo("true");
    }
}
