package io.floe.bench;

import io.floe.group.CommittedOffset;
import io.floe.group.GroupCoordinator;
import io.floe.group.OffsetCommit;
import io.floe.janitor.Janitor;
import io.floe.log.LogEngine;
import io.floe.model.Message;
import io.floe.model.TopicPartition;
import io.floe.runtime.Defaults;
import io.floe.runtime.GroupLagMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.floe.runtime.ScheduledMaintenance;
import io.floe.store.CountingObjectStore;
import io.floe.store.MemoryObjectStore;
import io.floe.store.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What an idle deployment costs in store requests per hour (issue 14, target 2; docs/BENCHMARKS.md,
 * "Idle cost"): {@code --topics} topics holding one record each and {@code --groups} consumer groups
 * with a committed offset each, no client, then {@code --hours} hours of a hand-moved clock during
 * which only the background schedule runs, exactly as the runtime runs it:
 *
 * <ul>
 *   <li>{@code container}: the janitor at the pace {@code JanitorWiring} gives it (its
 *       {@link io.floe.janitor.JanitorPace}), the group-lag metric ({@link GroupLagMetrics#look()}) at
 *       its pace from {@code floe.group.lag-metric-interval} (60 s), and the group coordinator's tick
 *       every second;</li>
 *   <li>{@code lambda}: one scheduled invocation every 5 minutes (terraform/modules/floe-schedule's
 *       default rate), {@link ScheduledMaintenance#run} as {@code FloeLambda} calls it, on a warm instance;</li>
 *   <li>{@code lambda-cold}: the same with a new instance (engine, janitor, groups) at every invocation,
 *       the worst case: nothing is remembered between invocations.</li>
 * </ul>
 * Requests are counted by {@link CountingObjectStore} over an in-memory bucket: counts, not timings,
 * so the figures are deterministic. The first hour (settling: checkpoints, deletions after the grace)
 * is reported apart from the following, idle ones.
 *
 * <p>Not a test (STYLE.md rule 12). Run:
 * {@code ./mvnw -q -B -o -Pbench compile exec:exec -Dbench.main=io.floe.bench.IdleCostBenchmark -Dbench.args="--topics 20 --groups 5"}
 */
public final class IdleCostBenchmark {

    /** A clock the harness moves by hand. */
    static final class HandClock extends Clock {
        volatile long millis;

        HandClock(long millis) {
            this.millis = millis;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    public static void main(String[] args) {
        int topics = 20;
        int groups = 5;
        int hours = 3;
        String shape = "all";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--topics" -> topics = Integer.parseInt(args[i + 1]);
                case "--groups" -> groups = Integer.parseInt(args[i + 1]);
                case "--hours" -> hours = Integer.parseInt(args[i + 1]);
                case "--shape" -> shape = args[i + 1];
                default -> throw new IllegalArgumentException(
                        "options: --topics N --groups N --hours N --shape container|lambda|lambda-cold|all; got " + args[i]);
            }
        }
        for (String s : shape.equals("all") ? List.of("container", "lambda", "lambda-cold") : List.of(shape)) {
            run(s, topics, groups, hours);
        }
    }

    private static void run(String shape, int topics, int groups, int hours) {
        HandClock clock = new HandClock(1_800_000_000_000L);
        CountingObjectStore store = new CountingObjectStore(new MemoryObjectStore());
        fill(store, clock, topics, groups);
        CountingObjectStore.Counts start = store.snapshot();
        CountingObjectStore.Counts hourStart = start;
        long t0 = clock.millis();
        Instance warm = shape.equals("lambda-cold") ? null : new Instance(store, clock, 7);
        long nextJanitor = t0;
        long nextLag = t0;
        long nextSchedule = t0;
        int seed = 100;
        for (int h = 1; h <= hours; h++) {
            long end = t0 + h * 3_600_000L;
            for (; clock.millis < end; clock.millis += 1000) {
                long now = clock.millis;
                if (shape.equals("container")) {
                    if (now >= nextJanitor) {
                        Janitor.Report r = warm.janitor.runOnce();
                        nextJanitor = now + warm.pace.next(r, now).toMillis();
                    }
                    if (now >= nextLag) {
                        nextLag = now + warm.lag.look().toMillis();
                    }
                    warm.groups.tick();
                } else if (now >= nextSchedule) {
                    Instance i = warm != null ? warm : new Instance(store, clock, seed++);
                    ScheduledMaintenance.run(i.engine, i.janitor, i.groups);
                    if (warm == null) {
                        i.close();
                    }
                    nextSchedule = now + 300_000;
                }
            }
            CountingObjectStore.Counts c = store.snapshot();
            CountingObjectStore.Counts d = c.minus(hourStart);
            System.out.printf("%-11s topics=%d groups=%d hour %d: %d requests %s%n", shape, topics, groups, h,
                    d.totalRequests(), d.requests());
            hourStart = c;
        }
        if (warm != null) {
            warm.close();
        }
    }

    /** Topics with one record each, groups with one committed offset each; written by a short-lived instance. */
    private static void fill(ObjectStore store, HandClock clock, int topics, int groups) {
        try (Instance writer = new Instance(store, clock, 1)) {
            for (int t = 0; t < topics; t++) {
                String name = "topic-" + t;
                writer.engine.createTopic(name, 1, Map.of());
                var done = writer.engine.produce(name, List.of(new Message(0, null, "one record".getBytes(), List.of(),
                        clock.millis())));
                writer.engine.flushNow();
                done.join();
                clock.millis += 10;
            }
            for (int g = 0; g < groups; g++) {
                TopicPartition tp = new TopicPartition("topic-" + (g % topics), 0);
                writer.groups.commit(new OffsetCommit("group-" + g, "", null, -1,
                        Map.of(tp, new CommittedOffset(1, -1, "", clock.millis())), OffsetCommit.Durability.SYNC));
            }
        }
    }

    /** One Floe instance without background threads: the harness drives its schedule. */
    private static final class Instance implements AutoCloseable {
        final LogEngine engine;
        final Janitor janitor;
        final GroupCoordinator groups;
        final io.floe.janitor.JanitorPace pace;
        final GroupLagMetrics lag;

        Instance(ObjectStore store, Clock clock, int seed) {
            engine = new LogEngine(store, clock, new SplittableRandom(seed),
                    Defaults.log("bench-" + seed).withBackgroundThreads(false));
            janitor = new Janitor(engine.maintenance(), clock, new SplittableRandom(seed + 1L), Defaults.janitor());
            groups = new GroupCoordinator(store, engine, clock, new SplittableRandom(seed + 2L),
                    Defaults.group("bench-" + seed).withBackgroundThreads(false));
            pace = new io.floe.janitor.JanitorPace(Duration.ofSeconds(30), Duration.ofMinutes(5)); // the defaults
            lag = new GroupLagMetrics(new SimpleMeterRegistry(), groups, store, Duration.ofSeconds(60), false, clock);
        }

        @Override
        public void close() {
            groups.close();
            engine.close();
        }
    }
}
