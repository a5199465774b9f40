package io.floe.runtime;

import io.floe.group.GroupCoordinator;
import io.floe.group.GroupListing;
import io.floe.group.LagHistory;
import io.floe.group.PartitionLag;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Consumer-group lag as metrics: {@code floe_group_lag{group,topic,partition}} (end offset minus
 * committed offset) and {@code floe_group_lag_total{group}}. Recomputed from the bucket every
 * {@code floe.group.lag-metric-interval} on a background thread — never on scrape, so a Prometheus
 * scrape costs no S3 request. Each refresh also feeds the in-memory {@link LagHistory} that the
 * console charts. Thread-safe: the refresher thread is the only writer of the gauges.
 */
@Startup
@Singleton
public class GroupLagMetrics {

    private static final Logger LOG = Logger.getLogger(GroupLagMetrics.class);

    /** Samples kept per group: a day at the default interval of a minute. */
    private static final int HISTORY_SAMPLES = 1440;

    private final GroupCoordinator groups;
    private final Clock clock;
    private final LagHistory history;
    private final MultiGauge perPartition;
    private final MultiGauge perGroup;
    private final ScheduledExecutorService refresher;

    GroupLagMetrics(MeterRegistry registry, GroupCoordinator groups, FloeConfig config, Clock clock) {
        this.groups = groups;
        this.clock = clock;
        this.history = new LagHistory(HISTORY_SAMPLES, 1000);
        this.perPartition = MultiGauge.builder("floe.group.lag")
                .description("Records of a partition the consumer group has not committed yet").register(registry);
        this.perGroup = MultiGauge.builder("floe.group.lag.total")
                .description("Records of all its partitions the consumer group has not committed yet").register(registry);
        Duration every = config.group().lagMetricInterval();
        if (every.isZero() || every.isNegative()) {
            refresher = null;
            return;
        }
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "floe-group-lag");
            t.setDaemon(true);
            return t;
        });
        refresher.scheduleWithFixedDelay(this::refresh, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Reads every group's lag and replaces the gauges' rows. */
    void refresh() {
        try {
            List<MultiGauge.Row<?>> partitions = new ArrayList<>();
            List<MultiGauge.Row<?>> totals = new ArrayList<>();
            long now = clock.millis();
            for (GroupListing g : groups.listGroups()) {
                long total = 0;
                for (PartitionLag lag : groups.lag(g.groupId())) {
                    partitions.add(MultiGauge.Row.of(Tags.of("group", g.groupId(), "topic", lag.partition().topic(),
                            "partition", Integer.toString(lag.partition().partition())), lag.lag()));
                    total += lag.lag();
                }
                totals.add(MultiGauge.Row.of(Tags.of("group", g.groupId()), total));
                history.record(g.groupId(), now, total);
            }
            perPartition.register(partitions, true);
            perGroup.register(totals, true);
        } catch (RuntimeException e) {
            LOG.debugf("Group lag metric not refreshed this time: %s", e.getMessage());
        }
    }

    /** Lag over time per group, in memory on this instance (the console's chart). */
    @Produces
    @Singleton
    LagHistory lagHistory() {
        return history;
    }

    @PreDestroy
    void stop() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }
}
