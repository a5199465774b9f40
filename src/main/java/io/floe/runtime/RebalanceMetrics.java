package io.floe.runtime;

import io.floe.group.GroupCoordinator;
import io.floe.group.GroupEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;

/**
 * {@code floe_group_rebalances_total{protocol_type}}: rebalances completed by this instance (a group's new
 * generation with members, written here), by the group's protocol type ({@code consumer} for Kafka
 * consumers, {@code floe} for REST consumers, Kafka Connect's {@code connect}…). Not per group: group
 * ids are unbounded; the group page and the logs say which group. Thread-safe: Micrometer's meters are.
 */
@Startup
@Singleton
public class RebalanceMetrics implements GroupEvents {

    private final MeterRegistry registry;

    RebalanceMetrics(MeterRegistry registry, GroupCoordinator groups) {
        this.registry = registry;
        groups.listen(this);
    }

    @Override
    public void rebalanced(String groupId, String protocolType) {
        Counter.builder("floe.group.rebalances").description("Rebalances completed by this instance (a new generation with members)")
                .tag("protocol_type", protocolType.isEmpty() ? "none" : protocolType).register(registry).increment();
    }
}
