package io.floe.runtime;

import io.floe.group.GroupCoordinator;
import io.floe.group.GroupListing;
import io.floe.group.LagHistory;
import io.floe.group.PartitionLag;
import io.floe.janitor.ChangeCheck;
import io.floe.log.Retry;
import io.floe.janitor.JanitorPace;
import io.floe.format.BucketLayout;
import io.floe.store.ObjectStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Consumer-group lag as metrics: {@code floe_group_lag{group,topic,partition}} (end offset minus
 * committed offset) and {@code floe_group_lag_total{group}}. Recomputed from the bucket on a
 * background thread — never on scrape, so a Prometheus scrape costs no S3 request.
 *
 * <p>Lag moves only when a group object (committed offsets) or a topic's chain (end offsets) changes,
 * so each look first lists {@code groups/} and {@code data/} ({@link ChangeCheck#digestOf}: one LIST
 * per 1,000 keys) and reads the groups only when that listing changed. Looks come every
 * {@code floe.group.lag-metric-interval} while things change, and back off ({@link JanitorPace}) to
 * {@value #MAX_IDLE_MINUTES} minutes (or ten intervals, if less) while nothing does: an idle deployment pays about 24 LISTs an hour
 * for it, whatever its number of groups and topics (docs/DECISIONS.md D48). Thread-safe: the
 * refresher thread is the only writer. Every look also feeds the in-memory {@link LagHistory} that the
 * console charts (the last totals again when nothing changed).
 */
@Startup
@Singleton
public class GroupLagMetrics {

    private static final Logger LOG = Logger.getLogger(GroupLagMetrics.class);

    /** The longest wait between two looks while nothing changes. */
    static final int MAX_IDLE_MINUTES = 5;

    private final GroupCoordinator groups;
    private final ObjectStore store;
    private final JanitorPace pace;
    /** Samples kept per group: a day at the default interval of a minute. */
    private static final int HISTORY_SAMPLES = 1440;
    private final Clock clock;
    private final LagHistory history = new LagHistory(HISTORY_SAMPLES, 1000);
    private final Map<String, Long> lastTotals = new ConcurrentHashMap<>();
    private String lastSeen;
    private final Retry retry;
    private final MultiGauge perPartition;
    private final MultiGauge perGroup;
    private final ScheduledExecutorService refresher;

    @Inject
    GroupLagMetrics(MeterRegistry registry, GroupCoordinator groups, ObjectStore store, FloeConfig config, Clock clock) {
        this(registry, groups, store, config.group().lagMetricInterval(), true, clock);
    }

    /**
     * With {@code background} false nothing is scheduled: the caller calls {@link #look()} (the idle-cost
     * benchmark drives it with a hand-moved clock).
     */
    public GroupLagMetrics(MeterRegistry registry, GroupCoordinator groups, ObjectStore store, Duration every,
                           boolean background, Clock clock) {
        this.groups = groups;
        this.clock = clock;
        this.store = store;
        // The log's retry policy; without a background thread (the benchmark's hand clock) it never sleeps.
        this.retry = new Retry(background ? Retry.Sleeper.REAL : Retry.Sleeper.NONE, new java.util.Random());
        this.perPartition = MultiGauge.builder("floe.group.lag")
                .description("Records of a partition the consumer group has not committed yet").register(registry);
        this.perGroup = MultiGauge.builder("floe.group.lag.total")
                .description("Records of all its partitions the consumer group has not committed yet").register(registry);
        // Back off to 5 minutes, or ten intervals when that is less (a short interval asks for fresh figures).
        Duration idle = Duration.ofMinutes(MAX_IDLE_MINUTES);
        Duration tenIntervals = every.multipliedBy(10);
        this.pace = new JanitorPace(every, tenIntervals.compareTo(idle) < 0 ? tenIntervals : idle);
        if (every.isZero() || every.isNegative() || !background) {
            refresher = null;
            return;
        }
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "floe-group-lag");
            t.setDaemon(true);
            return t;
        });
        refresher.schedule(this::lookAndReschedule, 0, TimeUnit.MILLISECONDS);
    }

    private void lookAndReschedule() {
        Duration next = Duration.ofMinutes(MAX_IDLE_MINUTES);
        try {
            next = look();
        } finally {
            try {
                refresher.schedule(this::lookAndReschedule, next.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                // stopped
            }
        }
    }

    /** One look ({@link #refreshIfChanged}); returns the wait before the next. Called by one thread at a time. */
    public Duration look() {
        boolean changed = refreshIfChanged();
        long now = clock.millis();
        lastTotals.forEach((group, total) -> history.record(group, now, total));
        return pace.next(!changed, false, Long.MAX_VALUE);
    }

    /** Refreshes the gauges if the groups or the chains changed since the last refresh; returns whether it did. */
    boolean refreshIfChanged() {
        String seen;
        try {
            seen = ChangeCheck.digestOf(store, retry, BucketLayout.GROUPS, BucketLayout.DATA);
        } catch (RuntimeException e) {
            LOG.debugf("Group lag metric not refreshed this time: %s", e.getMessage());
            return true;
        }
        if (seen.equals(lastSeen)) {
            return false;
        }
        if (refresh()) {
            lastSeen = seen; // taken before reading: a change during the refresh shows next time
        }
        return true;
    }

    /** Reads every group's lag and replaces the gauges' rows; returns whether it succeeded. */
    boolean refresh() {
        try {
            List<MultiGauge.Row<?>> partitions = new ArrayList<>();
            List<MultiGauge.Row<?>> totals = new ArrayList<>();
            Map<String, Long> totalsByGroup = new java.util.LinkedHashMap<>();
            for (GroupListing g : groups.listGroups()) {
                long total = 0;
                for (PartitionLag lag : groups.lag(g.groupId())) {
                    partitions.add(MultiGauge.Row.of(Tags.of("group", g.groupId(), "topic", lag.partition().topic(),
                            "partition", Integer.toString(lag.partition().partition())), lag.lag()));
                    total += lag.lag();
                }
                totals.add(MultiGauge.Row.of(Tags.of("group", g.groupId()), total));
                totalsByGroup.put(g.groupId(), total);
            }
            perPartition.register(partitions, true);
            perGroup.register(totals, true);
            lastTotals.clear();
            lastTotals.putAll(totalsByGroup);
            return true;
        } catch (RuntimeException e) {
            LOG.debugf("Group lag metric not refreshed this time: %s", e.getMessage());
            return false;
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
