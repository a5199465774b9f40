package io.floe.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.log.LogEngine;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.Message;
import io.floe.model.TopicPartition;
import io.floe.runtime.Defaults;
import io.floe.share.AckType;
import io.floe.share.Acknowledgement;
import io.floe.share.AcquiredRecords;
import io.floe.share.RecordState;
import io.floe.share.ShareFetch;
import io.floe.share.ShareFetchResult;
import io.floe.share.ShareGroupDoc;
import io.floe.share.ShareGroups;
import io.floe.share.ShareHeartbeat;
import io.floe.share.ShareHeartbeatResult;
import io.floe.share.ShareLimits;
import io.floe.share.SharePartitionState;
import io.floe.share.ShareSettings;
import io.floe.store.FaultInjectingObjectStore;
import io.floe.store.MemoryObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded simulation of a share group (KIP-932): members on several engine instances over one in-memory
 * bucket behind the fault injector (503s, lost responses, spurious 409s), joining, heartbeating,
 * fetching, accepting, releasing and rejecting records, going silent past their locks and sessions,
 * hopping between instances, while instances crash (a new engine with empty caches takes their place)
 * and the clock moves by hand. Invariants, checked at every delivery and after every step against the
 * bucket read fault-free:
 * <ol>
 * <li><b>exclusive delivery</b>: a record is delivered again only after its previous lock expired or its
 *     holder released it (or left);</li>
 * <li><b>no record acknowledged twice</b>: a record whose acceptance was answered is never delivered again,
 *     and the bucket shows it acknowledged (or before the start offset);</li>
 * <li><b>delivery count honoured</b>: every delivery's count is one more than the previous delivery's and at
 *     most the limit;</li>
 * <li><b>none lost</b>: at the end, with faults off and locks expired, members drain the topic and every
 *     record is accepted, rejected, or archived after its last allowed delivery; each share-partition's
 *     start offset reaches the end of its log;</li>
 * <li>every share-partition object passes {@link SharePartitionState#check}.</li>
 * </ol>
 * Replay a failing seed with the command SimHarness prints.
 */
class ShareGroupSimulationTest {

    private static final String TOPIC = "queue";
    private static final String GROUP = "workers";
    private static final int PARTITIONS = 3;
    private static final int RECORDS = 40;
    private static final int INSTANCES = 3;
    private static final ShareLimits LIMITS = new ShareLimits(4, Duration.ofSeconds(10), 25);

    @Test
    void recordsAreDeliveredExclusivelyAcknowledgedOnceAndNeverLost() {
        int steps = Integer.getInteger("floe.sim.steps", 400);
        SimHarness.runSeeds(ShareGroupSimulationTest.class, 12, seed -> new Run(seed).run(steps));
    }

    private record Rec(TopicPartition tp, long offset) {
    }

    /** The last delivery of a record. */
    private static final class Delivery {
        String member;
        long deadline;
        int count;
        boolean maybeReleased;
    }

    private static final class Member {
        final String id;
        int instance;
        int epoch;
        boolean silent;
        final List<Rec> held = new ArrayList<>();

        Member(String id, int instance) {
            this.id = id;
            this.instance = instance;
        }
    }

    private static final class Run {
        final SplittableRandom random;
        final SimClock clock = new SimClock(1_700_000_000_000L);
        final MemoryObjectStore bucket = new MemoryObjectStore();
        final FaultInjectingObjectStore faulty;
        final LogEngine[] logs = new LogEngine[INSTANCES];
        final ShareGroups[] shares = new ShareGroups[INSTANCES];
        final ShareGroups observer;
        final List<Member> members = new ArrayList<>();
        final Map<Rec, Delivery> deliveries = new HashMap<>();
        final Set<Rec> accepted = new HashSet<>();
        final Set<Rec> maybeAccepted = new HashSet<>();
        final Set<Rec> maybeRejected = new HashSet<>();
        int created;
        long step;
        /** A fetch failed after retries: it may have acquired records its member never learned of. */
        boolean unknownAcquisitions;

        Run(long seed) {
            random = new SplittableRandom(seed);
            faulty = new FaultInjectingObjectStore(bucket, new SplittableRandom(seed ^ 0x5DEECE66DL),
                    FaultInjectingObjectStore.Faults.NONE, FaultInjectingObjectStore.Sleeper.NONE);
            for (int i = 0; i < INSTANCES; i++) {
                boot(i);
            }
            LogEngine quiet = new LogEngine(bucket, clock, new SplittableRandom(1), Defaults.log("obs").withBackgroundThreads(false));
            observer = new ShareGroups(bucket, quiet, clock, new SplittableRandom(2), settings("obs"));
        }

        static ShareSettings settings(String id) {
            return ShareSettings.defaults(id).withLimits(LIMITS).withSessionTimeout(Duration.ofSeconds(20));
        }

        /** A (new) engine for instance i: what a crash and restart leaves, caches empty. */
        void boot(int i) {
            if (logs[i] != null) {
                logs[i].close();
            }
            logs[i] = new LogEngine(faulty, clock, new SplittableRandom(random.nextLong()),
                    Defaults.log("i" + i + "-" + step).withBackgroundThreads(false));
            shares[i] = new ShareGroups(faulty, logs[i], clock, new SplittableRandom(random.nextLong()), settings("i" + i + "-" + step));
        }

        void run(int steps) {
            logs[0].createTopic(TOPIC, PARTITIONS, Map.of());
            observer.setAutoOffsetReset(GROUP, ShareGroupDoc.EARLIEST);
            List<Message> records = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                for (int k = 0; k < RECORDS; k++) {
                    records.add(new Message(p, null, ("v" + k).getBytes(StandardCharsets.UTF_8), List.of(), null));
                }
            }
            var ack = logs[0].produce(TOPIC, records);
            logs[0].flushNow();
            ack.join();
            faulty.setFaults(new FaultInjectingObjectStore.Faults(0.03, 0.03, 0.03, Duration.ZERO));
            for (step = 0; step < steps; step++) {
                int dice = random.nextInt(100);
                try {
                    if (dice < 8) {
                        join();
                    } else if (dice < 25) {
                        heartbeat();
                    } else if (dice < 55) {
                        fetch();
                    } else if (dice < 80) {
                        acknowledge();
                    } else if (dice < 84) {
                        silence();
                    } else if (dice < 87) {
                        leave();
                    } else if (dice < 90) {
                        boot(random.nextInt(INSTANCES));
                    } else {
                        clock.advance(random.nextInt(4000));
                    }
                } catch (RuntimeException e) {
                    if (!SimHarness.handledByClients(e)) {
                        throw e;
                    }
                }
                check();
            }
            drain();
        }

        Member pick() {
            List<Member> live = members.stream().filter(m -> !m.silent).toList();
            return live.isEmpty() ? null : live.get(random.nextInt(live.size()));
        }

        ShareGroups at(Member m) {
            if (random.nextInt(4) == 0) {
                m.instance = random.nextInt(INSTANCES); // behind a load balancer, calls land anywhere
            }
            return shares[m.instance];
        }

        void join() {
            if (members.size() >= 5) {
                return;
            }
            Member m = new Member("m" + created++, random.nextInt(INSTANCES));
            members.add(m);
            beat(m, ShareHeartbeat.JOIN);
        }

        void beat(Member m, int epoch) {
            try {
                ShareHeartbeatResult r = at(m).heartbeat(new ShareHeartbeat(GROUP, m.id, epoch, m.id, "/sim", null,
                        epoch == ShareHeartbeat.JOIN ? List.of(TOPIC) : null));
                m.epoch = r.memberEpoch();
            } catch (FloeException e) {
                if (e.code() == ErrorCode.UNKNOWN_MEMBER || e.code() == ErrorCode.FENCED_MEMBER_EPOCH) {
                    m.epoch = 0; // rejoin next time, as Kafka's client does
                }
                throw e;
            }
        }

        void heartbeat() {
            Member m = pick();
            if (m != null) {
                beat(m, m.epoch <= 0 ? ShareHeartbeat.JOIN : m.epoch);
            }
        }

        void fetch() {
            Member m = pick();
            if (m == null) {
                return;
            }
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                tps.add(new TopicPartition(TOPIC, p));
            }
            ShareFetchResult r;
            try {
                r = at(m).fetch(new ShareFetch(GROUP, m.id, tps, Map.of(), 1 + random.nextInt(8), 1 << 20, Duration.ZERO));
            } catch (FloeException e) {
                unknownAcquisitions |= e.code() == ErrorCode.STORE_UNAVAILABLE || e.code() == ErrorCode.CONCURRENT_UPDATE;
                throw e;
            }
            r.partitions().forEach((tp, p) -> {
                for (AcquiredRecords a : p.acquired()) {
                    for (long o = a.firstOffset(); o <= a.lastOffset(); o++) {
                        delivered(m, new Rec(tp, o), a.deliveryCount());
                    }
                }
            });
        }

        void delivered(Member m, Rec rec, int count) {
            long now = clock.millis();
            assertThat(accepted).as("record %s was acknowledged, then delivered again", rec).doesNotContain(rec);
            assertThat(count).as("delivery count of %s", rec).isBetween(1, LIMITS.deliveryCountLimit());
            Delivery d = deliveries.get(rec);
            if (d != null) {
                assertThat(count).as("delivery count of %s after %d", rec, d.count).isEqualTo(d.count + 1);
                assertThat(d.deadline <= now || d.maybeReleased)
                        .as("%s delivered to %s while %s held its lock until %d (now %d)", rec, m.id, d.member, d.deadline, now).isTrue();
            } else {
                if (!unknownAcquisitions) {
                    assertThat(count).as("first delivery of %s", rec).isEqualTo(1);
                }
                d = new Delivery();
                deliveries.put(rec, d);
            }
            d.member = m.id;
            d.count = count;
            d.deadline = now + LIMITS.lockDuration().toMillis();
            d.maybeReleased = false;
            m.held.add(rec);
        }

        void acknowledge() {
            Member m = pick();
            if (m == null || m.held.isEmpty()) {
                return;
            }
            Map<TopicPartition, List<Acknowledgement>> acks = new HashMap<>();
            Map<Rec, AckType> sent = new HashMap<>();
            int n = 1 + random.nextInt(Math.min(5, m.held.size()));
            for (int i = 0; i < n && !m.held.isEmpty(); i++) {
                Rec rec = m.held.remove(random.nextInt(m.held.size()));
                int dice = random.nextInt(100);
                AckType type = dice < 75 ? AckType.ACCEPT : dice < 93 ? AckType.RELEASE : AckType.REJECT;
                acks.computeIfAbsent(rec.tp(), x -> new ArrayList<>()).add(new Acknowledgement(rec.offset(), rec.offset(), type));
                sent.put(rec, type);
                if (type == AckType.RELEASE) {
                    deliveries.get(rec).maybeReleased = true;
                } else if (type == AckType.ACCEPT) {
                    maybeAccepted.add(rec);
                } else {
                    maybeRejected.add(rec);
                }
            }
            Map<TopicPartition, FloeException> refused = at(m).acknowledge(GROUP, m.id, acks);
            sent.forEach((rec, type) -> {
                if (type == AckType.ACCEPT && !refused.containsKey(rec.tp())) {
                    accepted.add(rec);
                }
            });
            refused.values().forEach(e -> assertThat(SimHarness.handledByClients(e)).as("refusal %s", e).isTrue());
        }

        void silence() {
            Member m = pick();
            if (m != null) {
                m.silent = true; // it stops calling: its locks and then its session expire
                m.held.clear();
            } else if (!members.isEmpty()) {
                members.get(random.nextInt(members.size())).silent = false;
            }
        }

        void leave() {
            Member m = pick();
            if (m == null) {
                return;
            }
            members.remove(m);
            // Leaving releases whatever the bucket says it holds, acknowledgements that failed included.
            deliveries.values().stream().filter(d -> d.member.equals(m.id)).forEach(d -> d.maybeReleased = true);
            at(m).heartbeat(new ShareHeartbeat(GROUP, m.id, ShareHeartbeat.LEAVE, m.id, "/sim", null, null));
        }

        /** The bucket, read fault-free, against what clients were told. */
        void check() {
            for (int p = 0; p < PARTITIONS; p++) {
                TopicPartition tp = new TopicPartition(TOPIC, p);
                var state = observer.partitionState(GROUP, tp);
                if (state.isEmpty()) {
                    continue;
                }
                SharePartitionState s = state.get().check(LIMITS.deliveryCountLimit());
                for (Rec rec : accepted) {
                    if (rec.tp().equals(tp) && rec.offset() >= s.startOffset()) {
                        assertThat(s.runOf(rec.offset()).state()).as("accepted %s in the bucket", rec).isEqualTo(RecordState.ACKNOWLEDGED);
                    }
                }
            }
        }

        /** Faults off, locks expired: members take and accept everything left; nothing may be missing. */
        void drain() {
            faulty.setFaults(FaultInjectingObjectStore.Faults.NONE);
            clock.advance(LIMITS.lockDuration().toMillis() + 1);
            Member m = new Member("drainer", 0);
            members.clear();
            members.add(m);
            beat(m, ShareHeartbeat.JOIN);
            for (int round = 0; round < 200; round++) {
                fetch();
                while (!m.held.isEmpty()) {
                    Rec rec = m.held.removeFirst();
                    Map<TopicPartition, FloeException> refused = shares[0].acknowledge(GROUP, m.id,
                            Map.of(rec.tp(), List.of(new Acknowledgement(rec.offset(), rec.offset(), AckType.ACCEPT))));
                    assertThat(refused).isEmpty();
                    accepted.add(rec);
                    maybeAccepted.add(rec);
                }
                if (done()) {
                    break;
                }
            }
            assertThat(done()).as("every share-partition's start offset reached its log's end").isTrue();
            for (int p = 0; p < PARTITIONS; p++) {
                for (long o = 0; o < RECORDS; o++) {
                    Rec rec = new Rec(new TopicPartition(TOPIC, p), o);
                    Delivery d = deliveries.get(rec);
                    assertThat(d).as("record %s was never delivered", rec).isNotNull();
                    assertThat(maybeAccepted.contains(rec) || maybeRejected.contains(rec) || d.count == LIMITS.deliveryCountLimit())
                            .as("%s was settled without being accepted, rejected or delivered %d times (last count %d)", rec,
                                    LIMITS.deliveryCountLimit(), d.count).isTrue();
                }
            }
        }

        boolean done() {
            for (int p = 0; p < PARTITIONS; p++) {
                var s = observer.partitionState(GROUP, new TopicPartition(TOPIC, p));
                if (s.isEmpty() || s.get().at(clock.millis(), LIMITS).startOffset() < RECORDS) {
                    return false;
                }
            }
            return true;
        }
    }
}
