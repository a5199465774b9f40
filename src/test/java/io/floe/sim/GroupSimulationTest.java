package io.floe.sim;

import io.floe.runtime.Defaults;
import static org.assertj.core.api.Assertions.assertThat;

import io.floe.group.GroupCoordinator;
import io.floe.group.GroupDescription;
import io.floe.group.GroupSettings;
import io.floe.group.ManagedMember;
import io.floe.group.ManagedMemberSpec;
import io.floe.group.MemberDescription;
import io.floe.group.OffsetReset;
import io.floe.log.LogEngine;
import io.floe.log.LogSettings;
import io.floe.model.FloeException;
import io.floe.model.Message;
import io.floe.model.TopicPartition;
import io.floe.store.FaultInjectingObjectStore;
import io.floe.store.MemoryObjectStore;
import io.floe.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded simulation of consumer groups: managed members on several engine instances over one
 * in-memory bucket behind the fault injector (503s, lost responses, spurious 409s), joining,
 * subscribing, heartbeating, pausing past their lease, committing and leaving, with the clock
 * moved by hand. After every step the bucket is read fault-free and two invariants are checked:
 * <ol>
 * <li><b>exclusive assignment</b>: within one generation no partition is assigned to two members,
 *     and a generation's assignment never changes once seen;</li>
 * <li><b>monotonic commits</b>: a committed offset never goes backwards (nobody resets explicitly
 *     here); members of old generations that try to commit stale, lower offsets must be fenced.</li>
 * </ol>
 * Replay a failing seed with
 * {@code ./mvnw test -Dtest=GroupSimulationTest -Dfloe.sim.seed=SEED -Dfloe.sim.seeds=1}.
 */
class GroupSimulationTest {

    private static final String TOPIC = "gsim";
    private static final String GROUP = "g";
    private static final int PARTITIONS = 5;
    private static final int INSTANCES = 3;

    @Test
    void assignmentsStayExclusiveAndCommitsNeverGoBackwards() {
        long first = Long.getLong("floe.sim.seed", 1);
        int seeds = Integer.getInteger("floe.sim.seeds", 40);
        int steps = Integer.getInteger("floe.sim.steps", 300);
        for (long seed = first; seed < first + seeds; seed++) {
            try {
                new Run(seed).run(steps);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("Group simulation failed for seed " + seed + ": " + e.getMessage()
                        + "\nReplay: ./mvnw test -Dtest=GroupSimulationTest -Dfloe.sim.seed=" + seed
                        + " -Dfloe.sim.seeds=1", e);
            }
        }
    }

    /** What a simulated client knows about itself. */
    private static final class Client {
        final String name;
        int instance;
        boolean paused;
        ManagedMember view;

        Client(String name, int instance) {
            this.name = name;
            this.instance = instance;
        }
    }

    private static final class Run {
        final SplittableRandom random;
        final SimClock clock = new SimClock(1_700_000_000_000L);
        final MemoryObjectStore bucket = new MemoryObjectStore();
        final FaultInjectingObjectStore faulty;
        final LogEngine[] logs = new LogEngine[INSTANCES];
        final GroupCoordinator[] groups = new GroupCoordinator[INSTANCES];
        final GroupCoordinator observer;
        final List<Client> clients = new ArrayList<>();
        final Map<Integer, Map<String, List<TopicPartition>>> generations = new HashMap<>();
        final Map<TopicPartition, Long> lastCommitted = new HashMap<>();
        int created;

        Run(long seed) {
            random = new SplittableRandom(seed);
            faulty = new FaultInjectingObjectStore(bucket, new SplittableRandom(seed ^ 0x5DEECE66DL),
                    FaultInjectingObjectStore.Faults.NONE, FaultInjectingObjectStore.Sleeper.NONE);
            for (int i = 0; i < INSTANCES; i++) {
                logs[i] = new LogEngine(faulty, clock, new SplittableRandom(random.nextLong()),
                        Defaults.log("i" + i).withBackgroundThreads(false));
                groups[i] = new GroupCoordinator(faulty, logs[i], clock, new SplittableRandom(random.nextLong()),
                        Defaults.group("i" + i).withBackgroundThreads(false)
                                .withDefaultSessionTimeout(Duration.ofSeconds(3)));
            }
            LogEngine quiet = new LogEngine(bucket, clock, new SplittableRandom(1), Defaults.log("obs").withBackgroundThreads(false));
            observer = new GroupCoordinator(bucket, quiet, clock, new SplittableRandom(2),
                    Defaults.group("obs").withBackgroundThreads(false));
        }

        void run(int steps) {
            logs[0].createTopic(TOPIC, PARTITIONS, Map.of());
            List<Message> records = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                for (int k = 0; k < 200; k++) {
                    records.add(new Message(p, null, ("v" + k).getBytes(StandardCharsets.UTF_8), List.of(), null));
                }
            }
            var ack = logs[0].produce(TOPIC, records);
            logs[0].flushNow();
            ack.join();
            faulty.setFaults(new FaultInjectingObjectStore.Faults(0.03, 0.03, 0.03, Duration.ZERO));
            for (int step = 0; step < steps; step++) {
                int dice = random.nextInt(100);
                try {
                    if (dice < 10) {
                        join();
                    } else if (dice < 45) {
                        heartbeat();
                    } else if (dice < 75) {
                        commit();
                    } else if (dice < 80) {
                        pauseOrResume();
                    } else if (dice < 84) {
                        leave();
                    } else if (dice < 90) {
                        groups[random.nextInt(INSTANCES)].tick();
                    } else {
                        clock.advance(random.nextInt(1500));
                    }
                } catch (FloeException | StoreException expected) {
                    // Fenced, unknown member, lost races, unavailable store: what clients see and handle.
                }
                check(step);
            }
        }

        Client pick() {
            List<Client> live = clients.stream().filter(c -> !c.paused).toList();
            return live.isEmpty() ? null : live.get(random.nextInt(live.size()));
        }

        void join() {
            if (clients.size() >= 6) {
                return;
            }
            Client c = new Client("m" + created++, random.nextInt(INSTANCES));
            clients.add(c);
            GroupCoordinator g = groups[c.instance];
            g.createMember(GROUP, new ManagedMemberSpec(c.name, c.name, "", null,
                    random.nextBoolean() ? "sticky" : "range", OffsetReset.EARLIEST, false, Map.of()));
            c.view = g.subscribe(GROUP, c.name, List.of(TOPIC));
        }

        void heartbeat() {
            Client c = pick();
            if (c != null) {
                // Clients hop between instances, as behind a load balancer.
                c.instance = random.nextInt(4) == 0 ? random.nextInt(INSTANCES) : c.instance;
                try {
                    c.view = groups[c.instance].member(GROUP, c.name);
                } catch (FloeException e) {
                    if (e.code() == io.floe.model.ErrorCode.UNKNOWN_MEMBER) {
                        clients.remove(c);
                    }
                    throw e;
                }
            }
        }

        /** Commits, from the client's possibly stale view, a little beyond what it believes is committed. */
        void commit() {
            Client c = pick();
            if (c == null) {
                return;
            }
            GroupCoordinator g = groups[c.instance];
            if (c.view == null) {
                // After a failed call a client looks again (as every REST records call does).
                c.view = g.member(GROUP, c.name);
            }
            if (c.view.assignment().isEmpty()) {
                return;
            }
            Map<TopicPartition, Long> from = g.fetchPositions(c.view);
            Map<TopicPartition, Long> next = new HashMap<>();
            from.forEach((tp, o) -> next.put(tp, Math.min(200, o + 1 + random.nextInt(3))));
            try {
                c.view = g.seek(GROUP, c.name, c.view.generation(), next, true);
            } catch (RuntimeException e) {
                c.view = null;
                throw e;
            }
        }

        void pauseOrResume() {
            if (clients.isEmpty()) {
                return;
            }
            Client c = clients.get(random.nextInt(clients.size()));
            c.paused = !c.paused;
        }

        void leave() {
            Client c = pick();
            if (c != null) {
                clients.remove(c);
                groups[c.instance].removeMember(GROUP, c.name);
            }
        }

        void check(int step) {
            GroupDescription d = observer.describe(GROUP).orElse(null);
            if (d == null) {
                return;
            }
            Map<String, List<TopicPartition>> now = new HashMap<>();
            Map<TopicPartition, String> owner = new HashMap<>();
            for (MemberDescription m : d.members()) {
                now.put(m.memberId(), m.assignment().partitions());
                for (TopicPartition tp : m.assignment().partitions()) {
                    String other = owner.put(tp, m.memberId());
                    assertThat(other).as("step " + step + ": " + tp + " assigned to " + other + " and " + m.memberId()
                            + " in generation " + d.generation()).isNull();
                }
            }
            Map<String, List<TopicPartition>> seen = generations.putIfAbsent(d.generation(), now);
            if (seen != null) {
                // Members may leave or expire within a generation only by starting a new one.
                assertThat(now).as("step " + step + ": generation " + d.generation() + " changed its assignment").isEqualTo(seen);
            }
            observer.committed(GROUP, null).forEach((tp, o) -> {
                Long before = lastCommitted.put(tp, o.offset());
                assertThat(before == null || o.offset() >= before).as("step " + step + ": committed offset of " + tp
                        + " went back from " + before + " to " + o.offset()).isTrue();
            });
        }
    }
}
