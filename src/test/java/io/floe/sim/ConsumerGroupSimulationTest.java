package io.floe.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.group.CommittedOffset;
import io.floe.group.ConsumerGroupDescription;
import io.floe.group.ConsumerHeartbeat;
import io.floe.group.ConsumerHeartbeatResult;
import io.floe.group.GroupCoordinator;
import io.floe.group.GroupState;
import io.floe.group.OffsetCommit;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.TopicPartition;
import io.floe.store.FaultInjectingObjectStore;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Seeded simulation of the consumer group protocol of KIP-848 (the counterpart of
 * {@link ClassicGroupSimulationTest}): members on several engine instances over one in-memory bucket
 * behind the fault injector (errors, and writes whose answer is lost) join with
 * ConsumerGroupHeartbeat, reconcile as the Java consumer does (drop what the assignment no longer
 * names, take what it adds, report what they own at the next heartbeat), commit with their member
 * epoch, pause past their session, move to another instance, and leave. After every step the bucket is
 * read fault-free and checked:
 * <ol>
 * <li><b>exclusive ownership</b>: no partition is held (assigned or pending revocation) by two members,
 *     and what a client consumes is held by its member on the server — so no two clients of live
 *     members consume one partition at once;</li>
 * <li><b>monotonic commits</b>: a committed offset never goes backwards;</li>
 * <li><b>commits of current-epoch members are accepted</b>: a member whose epoch is its current epoch
 *     on the server is never refused a commit (store errors aside);</li>
 * <li><b>complete when stable</b>: a Stable group assigns every partition, each once;</li>
 * <li><b>convergence</b>: at the end, with faults off and every client heartbeating, the group becomes
 *     Stable within a few rounds and the clients together consume every partition.</li>
 * </ol>
 * Replay a failing seed with {@code ./mvnw test -Dtest=ConsumerGroupSimulationTest -Dfloe.sim.seed=SEED -Dfloe.sim.seeds=1}.
 */
class ConsumerGroupSimulationTest {

    private static final String TOPIC = "ksim";
    private static final String GROUP = "kg";
    private static final int PARTITIONS = 6;
    private static final int INSTANCES = 3;
    private static final int MAX_CLIENTS = 5;
    private static final Duration SESSION = Duration.ofSeconds(3);

    @Test
    void ownershipStaysExclusiveCommitsOfCurrentMembersAreKeptAndTheGroupConverges() {
        int steps = Integer.getInteger("floe.sim.steps", 400);
        SimHarness.runSeeds(ConsumerGroupSimulationTest.class, 40, seed -> new Run(seed).run(steps));
    }

    /** A simulated Java consumer with group.protocol=consumer. */
    private static final class Client {
        final String name;
        final String memberId;
        /** Static membership (KIP-345), or null. */
        final String instanceId;
        int instance;
        boolean paused;
        int epoch;
        /** After a failed heartbeat the next one carries every field (the Java client's full request). */
        boolean full = true;
        /** What its last answered heartbeat reported owning: like the Java client, it reports again only a change. */
        Set<TopicPartition> reported;
        /** What it consumes now. */
        Set<TopicPartition> owned = new TreeSet<>(Client::compare);
        final Map<TopicPartition, Long> positions = new HashMap<>();

        Client(String name, String memberId, String instanceId, int instance) {
            this.name = name;
            this.memberId = memberId;
            this.instanceId = instanceId;
            this.instance = instance;
        }

        static int compare(TopicPartition a, TopicPartition b) {
            return Integer.compare(a.partition(), b.partition());
        }

        /** Fenced or unknown: gives up everything and joins again under the same id (epoch 0). */
        void rejoin() {
            owned.clear();
            positions.clear();
            epoch = 0;
        }

        @Override
        public String toString() {
            return name + "{epoch " + epoch + " owns " + owned + " on i" + instance + (paused ? " paused" : "") + "}";
        }
    }

    private static final class Run {
        final SplittableRandom random;
        final SimGroupInstances sim;
        final SimClock clock;
        final GroupCoordinator[] groups;
        final GroupCoordinator observer;
        final List<Client> clients = new ArrayList<>();
        final Map<TopicPartition, Long> lastCommitted = new HashMap<>();
        final ArrayDeque<String> trace = new ArrayDeque<>();
        int created;
        int step;

        Run(long seed) {
            random = new SplittableRandom(seed);
            sim = new SimGroupInstances(seed, random, INSTANCES, g -> g.withDefaultSessionTimeout(SESSION));
            clock = sim.clock;
            groups = sim.groups;
            observer = sim.observer;
        }

        void run(int steps) {
            sim.logs[0].createTopic(TOPIC, PARTITIONS, Map.of());
            sim.faulty.setFaults(new FaultInjectingObjectStore.Faults(0.03, 0.03, 0.03, Duration.ZERO));
            for (step = 0; step < steps; step++) {
                int dice = random.nextInt(100);
                try {
                    if (dice < 8) {
                        newClient();
                    } else if (dice < 50) {
                        heartbeat(pick());
                    } else if (dice < 75) {
                        commit();
                    } else if (dice < 78) {
                        pauseOrResume();
                    } else if (dice < 81) {
                        leave();
                    } else {
                        advance(1 + random.nextInt(800));
                    }
                } catch (RuntimeException e) {
                    note("error " + e);
                    if (!SimHarness.handledByClients(e)) {
                        throw e;
                    }
                }
                checked(() -> check(step));
            }
            converge();
        }

        void checked(Runnable check) {
            try {
                check.run();
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nclients " + clients + "\nlast steps:\n"
                        + String.join("\n", trace), e);
            }
        }

        void note(String what) {
            trace.addLast(step + " @" + (clock.millis() - 1_700_000_000_000L) + ": " + what);
            if (trace.size() > Integer.getInteger("floe.sim.trace", 40)) {
                trace.removeFirst();
            }
        }

        void advance(long ms) {
            sim.advance(ms);
        }

        Client pick() {
            List<Client> live = clients.stream().filter(c -> !c.paused).toList();
            return live.isEmpty() ? null : live.get(random.nextInt(live.size()));
        }

        void newClient() {
            if (clients.size() < MAX_CLIENTS) {
                int n = created++;
                Client c = new Client("c" + n, "m" + n + "-" + Long.toHexString(random.nextLong()),
                        random.nextInt(3) == 0 ? "static-" + n : null, random.nextInt(INSTANCES));
                clients.add(c);
                heartbeat(c);
            }
        }

        /** One heartbeat, and the client's reconciliation of the answer. */
        void heartbeat(Client c) {
            if (c == null) {
                return;
            }
            if (random.nextInt(10) == 0) {
                c.instance = random.nextInt(INSTANCES); // another connection, another instance
            }
            boolean full = c.epoch == 0 || c.full;
            List<TopicPartition> owned = full || !c.owned.equals(c.reported) ? List.copyOf(c.owned) : null;
            ConsumerHeartbeat r = new ConsumerHeartbeat(GROUP, c.memberId, c.epoch, c.instanceId, null, full ? 10_000 : -1,
                    full ? List.of(TOPIC) : null, null, owned, c.name, "/sim");
            ConsumerHeartbeatResult a;
            try {
                a = groups[c.instance].consumerHeartbeat(r);
            } catch (FloeException e) {
                note(c.name + " heartbeat epoch " + c.epoch + ": " + e.code());
                c.full = true;
                if (e.code() == ErrorCode.FENCED_MEMBER_EPOCH || e.code() == ErrorCode.UNKNOWN_MEMBER) {
                    c.rejoin();
                }
                throw e;
            }
            c.epoch = a.memberEpoch();
            c.full = false;
            c.reported = Set.copyOf(c.owned);
            if (a.assignment() != null) {
                Set<TopicPartition> next = new TreeSet<>(Client::compare);
                next.addAll(a.assignment());
                c.owned.retainAll(next); // revoked: dropped (their offsets were committed by the last commit)
                c.positions.keySet().retainAll(next);
                Map<TopicPartition, CommittedOffset> committed = observer.committed(GROUP, next);
                for (TopicPartition tp : next) {
                    if (c.owned.add(tp)) {
                        CommittedOffset o = committed.get(tp);
                        c.positions.put(tp, o == null ? 0 : o.offset());
                    }
                }
            }
            note(c.name + " heartbeat -> epoch " + c.epoch + " owns " + c.owned);
        }

        /** A client commits what it read with its member epoch; refusals must be legitimate (invariant 3). */
        void commit() {
            Client c = pick();
            if (c == null || c.owned.isEmpty() || c.epoch <= 0) {
                return;
            }
            Map<TopicPartition, CommittedOffset> offsets = new HashMap<>();
            for (TopicPartition tp : c.owned) {
                long next = c.positions.get(tp) + 1 + random.nextInt(3);
                c.positions.put(tp, next);
                offsets.put(tp, CommittedOffset.of(next));
            }
            ConsumerGroupDescription.Member before = member(c);
            boolean current = before != null && before.memberEpoch() == c.epoch;
            try {
                groups[c.instance].commit(new OffsetCommit(GROUP, c.memberId, null, c.epoch, offsets, null));
            } catch (FloeException e) {
                boolean legitimate = e.code().kind() == ErrorCode.Kind.UNAVAILABLE || e.code() == ErrorCode.CONCURRENT_UPDATE;
                assertThat(legitimate || !current).as("step %d: commit of %s at its current epoch %d refused with %s",
                        step, c.memberId, c.epoch, e.code()).isTrue();
                throw e;
            }
            note(c.name + " committed at epoch " + c.epoch + " " + offsets.keySet());
        }

        ConsumerGroupDescription.Member member(Client c) {
            return observer.describeConsumerGroup(GROUP).flatMap(d -> d.members().stream()
                    .filter(m -> m.memberId().equals(c.memberId)).findFirst()).orElse(null);
        }

        void pauseOrResume() {
            if (!clients.isEmpty()) {
                Client c = clients.get(random.nextInt(clients.size()));
                c.paused = !c.paused;
                note(c.name + (c.paused ? " paused" : " resumed"));
            }
        }

        void leave() {
            Client c = pick();
            if (c != null) {
                clients.remove(c);
                note(c.name + " leaves");
                if (c.instanceId == null) {
                    groups[c.instance].consumerHeartbeat(new ConsumerHeartbeat(GROUP, c.memberId,
                            ConsumerHeartbeat.LEAVE_EPOCH, null, null, -1, null, null, null, c.name, "/sim"));
                    return;
                }
                // A static member stops for a while (epoch -2) and, often, its process restarts at once under a
                // new member id: it should get its place and partitions back.
                boolean restart = random.nextBoolean();
                note(c.name + " (" + c.instanceId + ") leaves for a while" + (restart ? " and restarts" : ""));
                try {
                    groups[c.instance].consumerHeartbeat(new ConsumerHeartbeat(GROUP, c.memberId,
                            ConsumerHeartbeat.LEAVE_STATIC_EPOCH, c.instanceId, null, -1, null, null, null, c.name, "/sim"));
                } finally {
                    if (restart) {
                        Client again = new Client(c.name + "'", "m" + created++ + "-" + Long.toHexString(random.nextLong()),
                                c.instanceId, random.nextInt(INSTANCES));
                        clients.add(again);
                        heartbeat(again);
                    }
                }
            }
        }

        void check(int step) {
            ConsumerGroupDescription d = observer.describeConsumerGroup(GROUP).orElse(null);
            if (d == null) {
                return;
            }
            Map<TopicPartition, String> holder = new HashMap<>();
            Map<String, Set<TopicPartition>> held = new HashMap<>();
            for (ConsumerGroupDescription.Member m : d.members()) {
                Set<TopicPartition> mine = new HashSet<>(m.assignment());
                mine.addAll(m.pendingRevocation());
                held.put(m.memberId(), mine);
                for (TopicPartition tp : mine) {
                    String other = holder.put(tp, m.memberId());
                    assertThat(other).as("step %d: %s held by %s and %s (group epoch %d)", step, tp, other, m.memberId(),
                            d.groupEpoch()).isNull();
                }
            }
            for (Client c : clients) {
                Set<TopicPartition> mine = held.get(c.memberId);
                if (mine != null) {
                    assertThat(mine).as("step %d: %s consumes partitions its member does not hold", step, c.name)
                            .containsAll(c.owned);
                }
            }
            if (d.state() == GroupState.STABLE) {
                assertThat(holder).as("step %d: a Stable group assigns every partition", step).hasSize(PARTITIONS);
            }
            observer.committed(GROUP, null).forEach((tp, o) -> {
                Long before = lastCommitted.put(tp, o.offset());
                assertThat(before == null || o.offset() >= before).as("step %d: committed offset of %s went back "
                        + "from %d to %d", step, tp, before, o.offset()).isTrue();
            });
        }

        /** Faults off, everyone awake and heartbeating: the group must settle with every partition consumed. */
        void converge() {
            sim.faulty.setFaults(FaultInjectingObjectStore.Faults.NONE);
            clients.forEach(c -> c.paused = false);
            if (clients.isEmpty()) {
                newClient();
            }
            // Members whose client is gone (a leave lost to a fault) hold their partitions until their session
            // ends: rounds span two sessions.
            for (int round = 0; round < 2 * SESSION.toMillis() / 500 + 4; round++) {
                for (Client c : clients) {
                    try {
                        heartbeat(c);
                    } catch (FloeException e) {
                        // fenced or expired: it rejoined; the next round brings it back
                    }
                    checked(() -> check(step));
                }
                advance(500);
            }
            ConsumerGroupDescription d = observer.describeConsumerGroup(GROUP).orElseThrow();
            checked(() -> {
                assertThat(d.state()).as("group settles: %s", d).isEqualTo(GroupState.STABLE);
                Set<TopicPartition> consumed = new HashSet<>();
                clients.forEach(c -> c.owned.forEach(tp -> assertThat(consumed.add(tp)).isTrue()));
                assertThat(consumed).as("clients consume every partition").hasSize(PARTITIONS);
            });
        }
    }
}
