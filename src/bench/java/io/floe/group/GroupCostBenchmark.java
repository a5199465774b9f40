package io.floe.group;

import io.floe.runtime.Defaults;
import io.floe.log.LogEngine;
import io.floe.log.LogSettings;
import io.floe.model.TopicPartition;
import io.floe.store.CountingObjectStore;
import io.floe.store.Operation;
import io.floe.store.S3ObjectStore;
import io.floe.store.StoreSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * Not a test (STYLE.md rule 12): measures against radosgw what a stable group costs in S3 requests
 * per member-hour with the default settings, and how long a rebalance takes. Cost runs drive one
 * simulated hour with a hand-moved clock (real requests, simulated time); the rebalance run is
 * real time with the engine's timers. It lives in the group package (src/bench) to drive the
 * coordinator's package-private join and sync. Run against the radosgw that {@code ./test --setup} starts:
 * {@code ./mvnw -q -B -Pbench compile exec:exec -Dbench.main=io.floe.group.GroupCostBenchmark -Dbench.args=http://127.0.0.1:7480}
 * (argument: the S3 endpoint; access key floe, secret floe-secret, as infra/radosgw/start.sh creates).
 */
public final class GroupCostBenchmark {

    private static String endpoint = "http://127.0.0.1:7480";

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].startsWith("http")) {
            endpoint = args[0];
        }
        for (int members : new int[]{1, 3, 6}) {
            cost(members, true, OffsetCommit.Durability.DEFERRED);
            cost(members, false, OffsetCommit.Durability.DEFERRED);
        }
        // What Kafka's OffsetCommit does (the listener commits synchronously): auto-commit every 5 s.
        for (int members : new int[]{1, 3, 6}) {
            cost(members, true, OffsetCommit.Durability.SYNC);
            cost(members, false, OffsetCommit.Durability.SYNC);
        }
        rebalance();
        System.exit(0);
    }

    /** Kafka-style members: heartbeat every 3 s, commits every 5 s (changing offsets if active). */
    static void cost(int members, boolean active, OffsetCommit.Durability durability) {
        CountingObjectStore store = new CountingObjectStore(bucket("group-cost"));
        HandClock clock = new HandClock(1_700_000_000_000L);
        LogEngine log = new LogEngine(store, clock, new SplittableRandom(1), Defaults.log("b").withBackgroundThreads(false));
        log.createTopic("t", members * 2, Map.of());
        GroupCoordinator g = new GroupCoordinator(store, log, clock, new SplittableRandom(2),
                Defaults.group("b").withBackgroundThreads(false));
        // Members join one by one; each arrival makes the earlier ones rejoin (Kafka's eager protocol).
        List<CompletableFuture<JoinResult>> joins = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            joins.add(g.join(request("", i)));
            for (int j = 0; j < i; j++) {
                joins.set(j, g.join(request(joins.get(j).join().memberId(), j)));
            }
        }
        List<JoinResult> joined = joins.stream().map(CompletableFuture::join).toList();
        int gen = joined.getFirst().generation();
        JoinResult leader = joined.stream().filter(JoinResult::isLeader).findFirst().orElseThrow();
        Map<String, MemberAssignment> assignment = new java.util.HashMap<>();
        for (int i = 0; i < members; i++) {
            assignment.put(joined.get(i).memberId(), new MemberAssignment(new byte[0],
                    List.of(new TopicPartition("t", 2 * i), new TopicPartition("t", 2 * i + 1))));
        }
        g.sync(new SyncRequest("cost", gen, leader.memberId(), null, null, null, assignment)).join();
        var before = store.snapshot();
        long hour = 3_600_000;
        long start = clock.millis();
        long offset = 0;
        for (long t = 0; t < hour; t += 1000) {
            clock.set(start + t);
            if (t % 3000 == 0) {
                for (JoinResult r : joined) {
                    g.heartbeat("cost", r.memberId(), null, gen);
                }
            }
            if (t % 5000 == 0) {
                offset += active ? 10 : 0;
                for (int i = 0; i < members; i++) {
                    g.commit(new OffsetCommit("cost", joined.get(i).memberId(), null, gen,
                            Map.of(new TopicPartition("t", 2 * i), CommittedOffset.of(offset)), durability));
                }
            }
            g.tick();
        }
        var c = store.snapshot().minus(before);
        long puts = c.requests(Operation.PUT) + c.requests(Operation.CREATE_IF_ABSENT) + c.requests(Operation.REPLACE_IF_MATCH);
        long gets = c.requests(Operation.GET) + c.requests(Operation.RANGE_GET);
        System.out.printf("cost %s members=%d %s: PUTs/member-hour=%.0f GETs/member-hour=%.0f LISTs/member-hour=%.0f "
                        + "DELETEs/member-hour=%.0f%n", durability, members,
                active ? "active (offsets change every 5 s)" : "idle (offsets unchanged)", puts / (double) members,
                gets / (double) members, c.requests(Operation.LIST) / (double) members,
                c.requests(Operation.DELETE) / (double) members);
        g.close();
        log.close();
    }

    static JoinRequest request(String id, int i) {
        return new JoinRequest("cost", id, null, "c" + i, "", Duration.ofSeconds(45), Duration.ofSeconds(60),
                "consumer", List.of(new Protocol("range", new byte[0])), Set.of("t"), null);
    }

    /** Real time: three managed members, one leaves / one dies; time until the others hold all partitions. */
    static void rebalance() throws Exception {
        S3ObjectStore store = bucket("group-rebalance");
        Clock clock = Clock.systemUTC();
        LogEngine log = new LogEngine(store, clock, new SplittableRandom(1), Defaults.log("r"));
        log.createTopic("t", 6, Map.of());
        GroupCoordinator g = new GroupCoordinator(store, log, clock, new SplittableRandom(2), Defaults.group("r"));
        for (String m : List.of("a", "b", "c")) {
            g.createMember("rb", new ManagedMemberSpec(m, m, "", null, "sticky", OffsetReset.EARLIEST, true, Map.of()));
            g.subscribe("rb", m, List.of("t"));
        }
        long t0 = System.nanoTime();
        g.removeMember("rb", "c");
        int held = g.member("rb", "a").assignment().size() + g.member("rb", "b").assignment().size();
        System.out.printf("rebalance managed, member leaves: %.1f ms until the others hold %d partitions%n",
                (System.nanoTime() - t0) / 1e6, held);

        // Classic: two members, one leaves; the other learns it from its heartbeat, rejoins and syncs.
        List<Protocol> p = List.of(new Protocol("range", new byte[0]));
        var j1 = g.join(new JoinRequest("rk", "", null, "k1", "", Duration.ofSeconds(45), Duration.ofSeconds(60), "consumer", p, Set.of("t"), null)).join();
        g.sync(new SyncRequest("rk", j1.generation(), j1.memberId(), null, null, null, Map.of())).join();
        var f2 = g.join(new JoinRequest("rk", "", null, "k2", "", Duration.ofSeconds(45), Duration.ofSeconds(60), "consumer", p, Set.of("t"), null));
        var j1b = g.join(new JoinRequest("rk", j1.memberId(), null, "k1", "", Duration.ofSeconds(45), Duration.ofSeconds(60), "consumer", p, Set.of("t"), null)).join();
        var j2 = f2.join();
        g.sync(new SyncRequest("rk", j1b.generation(), j1b.memberId(), null, null, null, Map.of())).join();
        g.sync(new SyncRequest("rk", j2.generation(), j2.memberId(), null, null, null, Map.of())).join();
        t0 = System.nanoTime();
        g.leave("rk", List.of(new MemberIdentity(j2.memberId(), null)));
        try {
            g.heartbeat("rk", j1b.memberId(), null, j1b.generation());
        } catch (io.floe.model.FloeException expected) {
            // REBALANCE_IN_PROGRESS
        }
        var j1c = g.join(new JoinRequest("rk", j1b.memberId(), null, "k1", "", Duration.ofSeconds(45), Duration.ofSeconds(60), "consumer", p, Set.of("t"), null)).join();
        g.sync(new SyncRequest("rk", j1c.generation(), j1c.memberId(), null, null, null, Map.of())).join();
        System.out.printf("rebalance classic, member leaves: %.1f ms from LeaveGroup to the survivor's SyncGroup answer%n",
                (System.nanoTime() - t0) / 1e6);
        g.close();
        log.close();
    }

    /** A fresh bucket on the benchmark's S3 endpoint (radosgw keeps it in memory; empty it when done). */
    private static S3ObjectStore bucket(String prefix) {
        StoreSettings settings = StoreSettings.of("s3://" + prefix + "-" + Long.toHexString(System.nanoTime()))
                .withS3Endpoint(endpoint, "floe", "floe-secret");
        S3ObjectStore.createBucketIfMissing(settings);
        return S3ObjectStore.open(settings);
    }

    /** A clock the benchmark moves by hand (simulated hours, real requests). */
    static final class HandClock extends Clock {
        private long millis;

        HandClock(long startMillis) {
            this.millis = startMillis;
        }

        void set(long millis) {
            this.millis = millis;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public java.time.Instant instant() {
            return java.time.Instant.ofEpochMilli(millis);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
