package io.floe.sim;

import io.floe.runtime.Defaults;
import static org.assertj.core.api.Assertions.assertThat;

import io.floe.group.CommittedOffset;
import io.floe.group.GroupCoordinator;
import io.floe.group.GroupDescription;
import io.floe.group.GroupSettings;
import io.floe.group.GroupState;
import io.floe.group.JoinRequest;
import io.floe.group.JoinResult;
import io.floe.group.MemberAssignment;
import io.floe.group.MemberDescription;
import io.floe.group.MemberIdentity;
import io.floe.group.OffsetCommit;
import io.floe.group.Protocol;
import io.floe.group.SyncRequest;
import io.floe.group.SyncResult;
import io.floe.log.LogEngine;
import io.floe.log.LogSettings;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.TopicPartition;
import io.floe.store.FaultInjectingObjectStore;
import io.floe.store.MemoryObjectStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Seeded simulation of Kafka classic consumer groups (the counterpart of {@link GroupSimulationTest},
 * which drives Floe-managed members): members on several engine instances over one in-memory bucket
 * behind the fault injector join, sync, heartbeat, commit what they read — also while the group
 * rebalances — pause past their session, leave, and react to errors as kafka-python 2.0.2 does (a
 * refused commit or heartbeat makes it forget its member id and rejoin as a new member). Each
 * instance's group timer is modelled: time moves in {@link GroupSettings#pollInterval()} slices and
 * every instance ticks after each. After every step the bucket is read fault-free and checked:
 * <ol>
 * <li><b>exclusive assignment</b>: within one generation no partition is assigned to two members;</li>
 * <li><b>monotonic commits</b>: a committed offset never goes backwards;</li>
 * <li><b>no refused commits in the current generation</b>: a member of the current generation is
 *     never refused a commit of its own partitions except between the join and the sync
 *     (CompletingRebalance), the only time Kafka refuses it;</li>
 * <li><b>prompt rebalance</b>: the group is never left preparing a rebalance once every member has
 *     rejoined (it forms the next generation in the same write), and a member waiting in a join never
 *     waits beyond the rebalance timeout plus a poll interval (plus one per timer tick the faulty store
 *     failed), in simulated time;</li>
 * <li><b>durable commits</b>: an acknowledged commit is in the bucket when it is answered — also when the
 *     committing instance's copy of the group was stale (another instance wrote since: a fault case made
 *     on purpose before some commits) or the answer of its conditional write was lost;</li>
 * <li><b>kept commits</b>: a commit acknowledged to a member of the current generation stays visible to
 *     every later OffsetFetch, or is superseded by a later (higher) commit — through zombies' late commits
 *     (a client that forgot its member id commits again under the old id and generation, through any
 *     instance), instance restarts between a member's commits and the fold of its object, lost answers
 *     and unavailable stores, and members' commits through several instances.</li>
 * </ol>
 * An operator's reset of an empty group's offsets (the one way back) is applied now and then.
 * Members' commits go to their own offsets objects (D87); the observer reads the merge of those and
 * the group object, the one path every reader takes.
 * Errors of kinds a client handles (not found, conflict, fenced, unavailable) are what clients see;
 * anything else — corrupt, internal, invalid — fails the run. Replay a failing seed with
 * {@code ./mvnw test -Dtest=ClassicGroupSimulationTest -Dfloe.sim.seed=SEED -Dfloe.sim.seeds=1}.
 */
class ClassicGroupSimulationTest {

    private static final String TOPIC = "csim";
    private static final String GROUP = "cg";
    private static final int PARTITIONS = 4;
    private static final int INSTANCES = 3;
    private static final int MAX_CLIENTS = 5;
    private static final Duration SESSION = Duration.ofSeconds(3);
    private static final Duration REBALANCE = Duration.ofSeconds(6);

    @Test
    void commitsOfTheCurrentGenerationAreKeptAndRebalancesEndOnceEveryMemberRejoined() {
        int steps = Integer.getInteger("floe.sim.steps", 400);
        SimHarness.runSeeds(ClassicGroupSimulationTest.class, 40, seed -> new Run(seed).run(steps));
    }

    enum State { UNJOINED, JOINING, SYNCING, STABLE }

    /** A simulated kafka-python member. */
    private static final class Client {
        final String name;
        int instance;
        boolean paused;
        State state = State.UNJOINED;
        String memberId = "";
        int generation = -1;
        final Set<String> abandonedIds = new HashSet<>();
        CompletableFuture<JoinResult> join;
        int joinSentStep;
        CompletableFuture<SyncResult> sync;
        List<TopicPartition> assignment = List.of();
        final Map<TopicPartition, Long> positions = new HashMap<>();
        /** The member id, generation and positions this client had before it last forgot its id (a zombie's). */
        String oldMemberId = "";
        int oldGeneration = -1;
        Map<TopicPartition, Long> oldPositions = Map.of();

        Client(String name, int instance) {
            this.name = name;
            this.instance = instance;
        }

        /** kafka-python's reset_generation: forgets the member id and rejoins as a new member. */
        void reset() {
            if (!memberId.isEmpty()) {
                abandonedIds.add(memberId);
                oldMemberId = memberId;
                oldGeneration = generation;
                oldPositions = new HashMap<>(positions);
            }
            memberId = "";
            generation = -1;
            state = State.UNJOINED;
            assignment = List.of();
        }

        void rejoin() {
            state = State.UNJOINED;
        }

        @Override
        public String toString() {
            return name + "{" + state + " " + memberId + " gen " + generation + " on i" + instance + (paused ? " paused" : "")
                    + (state == State.JOINING ? " join sent at step " + joinSentStep + (join.isDone() ? " done" : "") : "")
                    + "}";
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
        final long poll;
        final List<Client> clients = new ArrayList<>();
        final Map<Integer, Map<TopicPartition, String>> owners = new HashMap<>();
        final Map<TopicPartition, Long> lastCommitted = new HashMap<>();
        /** The highest offset of each partition acknowledged to a member of the current generation. */
        final Map<TopicPartition, Long> acknowledged = new HashMap<>();
        final long[] instanceSeeds = new long[INSTANCES];
        int created;
        int step;
        final java.util.ArrayDeque<String> trace = new java.util.ArrayDeque<>();
        int preparingGeneration = -1;
        long preparingSince;
        int preparingSinceStep;
        int failedTicksSince;

        Run(long seed) {
            random = new SplittableRandom(seed);
            faulty = new FaultInjectingObjectStore(bucket, new SplittableRandom(seed ^ 0x5DEECE66DL),
                    FaultInjectingObjectStore.Faults.NONE, FaultInjectingObjectStore.Sleeper.NONE);
            GroupSettings settings = null;
            for (int i = 0; i < INSTANCES; i++) {
                logs[i] = new LogEngine(faulty, clock, new SplittableRandom(random.nextLong()),
                        Defaults.log("i" + i).withBackgroundThreads(false));
                settings = Defaults.group("i" + i).withBackgroundThreads(false);
                instanceSeeds[i] = random.nextLong();
                groups[i] = new GroupCoordinator(faulty, logs[i], clock, new SplittableRandom(instanceSeeds[i]), settings);
            }
            poll = settings.pollInterval().toMillis();
            LogEngine quiet = new LogEngine(bucket, clock, new SplittableRandom(1), Defaults.log("obs").withBackgroundThreads(false));
            observer = new GroupCoordinator(bucket, quiet, clock, new SplittableRandom(2),
                    Defaults.group("obs").withBackgroundThreads(false));
        }

        void run(int steps) {
            logs[0].createTopic(TOPIC, PARTITIONS, Map.of());
            faulty.setFaults(new FaultInjectingObjectStore.Faults(0.03, 0.03, 0.03, Duration.ZERO));
            for (step = 0; step < steps; step++) {
                int dice = random.nextInt(100);
                try {
                    if (dice < 8) {
                        newClient();
                    } else if (dice < 45) {
                        pollClient();
                    } else if (dice < 75) {
                        commit(step);
                    } else if (dice < 79) {
                        pauseOrResume();
                    } else if (dice < 82) {
                        leave();
                    } else if (dice < 85) {
                        zombieCommit();
                    } else if (dice < 86) {
                        restart();
                    } else if (dice < 88) {
                        adminReset();
                    } else {
                        advance(1 + random.nextInt(1200));
                    }
                } catch (RuntimeException e) {
                    note("error " + e);
                    if (!SimHarness.handledByClients(e)) {
                        throw e;
                    }
                }
                try {
                    check(step);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\nlast steps:\n" + String.join("\n", trace), e);
                }
            }
        }

        void note(String what) {
            trace.addLast(step + " @" + (clock.millis() - 1_700_000_000_000L) + ": " + what);
            if (trace.size() > 40) {
                trace.removeFirst();
            }
        }

        /** Moves the clock in poll-interval slices; every instance's group timer ticks after each. */
        void advance(long ms) {
            while (ms > 0) {
                long slice = Math.min(ms, poll);
                clock.advance(slice);
                ms -= slice;
                for (GroupCoordinator g : groups) {
                    try {
                        g.tick();
                    } catch (RuntimeException e) {
                        if (!SimHarness.handledByClients(e)) {
                            throw e;
                        }
                        failedTicksSince++;
                    }
                }
            }
        }

        Client pick() {
            List<Client> live = clients.stream().filter(c -> !c.paused).toList();
            return live.isEmpty() ? null : live.get(random.nextInt(live.size()));
        }

        void newClient() {
            if (clients.size() < MAX_CLIENTS) {
                Client c = new Client("c" + created++, random.nextInt(INSTANCES));
                clients.add(c);
                sendJoin(c);
            }
        }

        void sendJoin(Client c) {
            if (c.memberId.isEmpty()) {
                // Members this client created but never learned of (a join whose answer was lost) are orphans too.
                observer.describe(GROUP).ifPresent(d -> d.members().stream().filter(m -> m.clientId().equals(c.name))
                        .forEach(m -> c.abandonedIds.add(m.memberId())));
            }
            c.state = State.JOINING;
            c.joinSentStep = step;
            note(c.name + " joins as '" + c.memberId + "' via i" + c.instance);
            c.sync = null;
            c.join = groups[c.instance].join(new JoinRequest(GROUP, c.memberId, null, c.name, "/sim", SESSION, REBALANCE,
                    "consumer", List.of(new Protocol("range", new byte[]{1})), Set.of(TOPIC), null));
        }

        /** One poll of a client: advances its join/sync, or heartbeats when stable. */
        void pollClient() {
            Client c = pick();
            if (c == null) {
                return;
            }
            if (random.nextInt(10) == 0) {
                c.instance = random.nextInt(INSTANCES); // another connection, another instance
            }
            switch (c.state) {
                case UNJOINED -> sendJoin(c);
                case JOINING -> onJoin(c);
                case SYNCING -> onSync(c);
                case STABLE -> heartbeat(c);
            }
        }

        void onJoin(Client c) {
            if (!c.join.isDone()) {
                return;
            }
            JoinResult r;
            try {
                r = c.join.join();
                note(c.name + " joined " + r.memberId() + " gen " + r.generation() + " leader " + r.isLeader());
            } catch (CompletionException e) {
                note(c.name + " join failed " + e.getCause());
                FloeException f = floe(e);
                if (f.code() == ErrorCode.UNKNOWN_MEMBER) {
                    c.reset();
                } else {
                    c.rejoin();
                }
                return;
            }
            c.memberId = r.memberId();
            c.generation = r.generation();
            Map<String, MemberAssignment> assignments = new TreeMap<>();
            if (r.isLeader()) {
                List<String> ids = r.members().stream().map(JoinResult.JoinedMember::memberId).sorted().toList();
                Map<String, List<TopicPartition>> plan = new HashMap<>();
                for (int p = 0; p < PARTITIONS; p++) {
                    plan.computeIfAbsent(ids.get(p % ids.size()), k -> new ArrayList<>()).add(new TopicPartition(TOPIC, p));
                }
                for (String id : ids) {
                    List<TopicPartition> mine = plan.getOrDefault(id, List.of());
                    byte[] bytes = new byte[mine.size()];
                    for (int i = 0; i < bytes.length; i++) {
                        bytes[i] = (byte) mine.get(i).partition();
                    }
                    assignments.put(id, new MemberAssignment(bytes, mine));
                }
            }
            c.state = State.SYNCING;
            c.sync = groups[c.instance].sync(new SyncRequest(GROUP, c.generation, c.memberId, null, "consumer", "range",
                    assignments));
        }

        void onSync(Client c) {
            if (!c.sync.isDone()) {
                return;
            }
            SyncResult r;
            try {
                r = c.sync.join();
                note(c.name + " synced gen " + c.generation);
            } catch (CompletionException e) {
                note(c.name + " sync failed " + e.getCause());
                FloeException f = floe(e);
                if (f.code() == ErrorCode.REBALANCE_IN_PROGRESS) {
                    c.rejoin();
                } else {
                    c.reset();
                }
                return;
            }
            List<TopicPartition> mine = new ArrayList<>();
            for (byte b : r.assignment()) {
                mine.add(new TopicPartition(TOPIC, b));
            }
            c.assignment = mine;
            c.state = State.STABLE;
            c.positions.clear();
            Map<TopicPartition, CommittedOffset> committed = observer.committed(GROUP, mine);
            for (TopicPartition tp : mine) {
                CommittedOffset o = committed.get(tp);
                c.positions.put(tp, o == null ? 0 : o.offset());
            }
        }

        void heartbeat(Client c) {
            try {
                groups[c.instance].heartbeat(GROUP, c.memberId, null, c.generation);
            } catch (FloeException e) {
                note(c.name + " heartbeat " + e.code());
                switch (e.code()) {
                    case REBALANCE_IN_PROGRESS -> c.rejoin();
                    case ILLEGAL_GENERATION, UNKNOWN_MEMBER, FENCED_INSTANCE_ID -> c.reset();
                    default -> { }
                }
                throw e;
            }
        }

        /** A stable client commits what it read; refused commits must be legitimate (invariant 3). */
        void commit(int step) {
            Client c = pick();
            if (c == null || c.state != State.STABLE || c.assignment.isEmpty()) {
                return;
            }
            // The client read a few more records of each partition: its position moves whatever the commit's fate.
            Map<TopicPartition, CommittedOffset> offsets = new HashMap<>();
            for (TopicPartition tp : c.assignment) {
                long next = c.positions.get(tp) + 1 + random.nextInt(3);
                c.positions.put(tp, next);
                offsets.put(tp, CommittedOffset.of(next));
            }
            GroupDescription before = observer.describe(GROUP).orElse(null);
            boolean current = before != null && before.generation() == c.generation
                    && before.state() != GroupState.COMPLETING_REBALANCE
                    && before.members().stream().anyMatch(m -> m.memberId().equals(c.memberId));
            staleCopyOrLostAnswer(c);
            Map<TopicPartition, ErrorCode> refused;
            try {
                refused = groups[c.instance].commit(new OffsetCommit(GROUP, c.memberId, null, c.generation, offsets, null));
            } catch (FloeException e) {
                boolean legitimate = e.code().kind() == ErrorCode.Kind.UNAVAILABLE || e.code() == ErrorCode.CONCURRENT_UPDATE;
                assertThat(legitimate || !current).as("step %d: commit of %s (generation %d) refused with %s while "
                        + "the group is %s in that generation", step, c.memberId, c.generation, e.code(),
                        before == null ? null : before.state()).isTrue();
                if (!legitimate) {
                    c.reset(); // kafka-python 2.0.2 forgets its member id on a refused commit
                }
                throw e;
            }
            assertThat(refused).as("step %d: partitions of %s refused", step, c.memberId).isEmpty();
            if (current) {
                offsets.forEach((tp, o) -> acknowledged.merge(tp, o.offset(), Math::max));
            }
            Map<TopicPartition, CommittedOffset> durable = observer.committed(GROUP, offsets.keySet());
            offsets.forEach((tp, o) -> assertThat(durable.get(tp)).as("step %d: acknowledged commit of %s at %d by %s "
                    + "is not in the bucket", step, tp, o.offset(), c.memberId).isNotNull()
                    .extracting(CommittedOffset::offset).isEqualTo(o.offset()));
            note(c.name + " committed " + offsets.values().stream().map(CommittedOffset::offset).toList());
        }

        /**
         * The fault cases of an instance's cached copy of the group (writes start from it without a read):
         * sometimes another instance writes the group just before the commit (the member re-commits what it
         * committed last, as a client retrying on another connection does), so the copy is stale; sometimes
         * the answer of the commit's conditional write is lost or it gets a spurious conflict.
         */
        void staleCopyOrLostAnswer(Client c) {
            switch (random.nextInt(6)) {
                case 0 -> {
                    int other = (c.instance + 1 + random.nextInt(INSTANCES - 1)) % INSTANCES;
                    Map<TopicPartition, CommittedOffset> again = observer.committed(GROUP, c.assignment);
                    if (!again.isEmpty()) {
                        note(c.name + " re-commits " + again.keySet() + " via i" + other);
                        try {
                            groups[other].commit(new OffsetCommit(GROUP, c.memberId, null, c.generation, again, null));
                        } catch (FloeException e) {
                            note(c.name + " re-commit " + e.code());
                        }
                    }
                }
                case 1 -> faulty.failNext(io.floe.store.Operation.REPLACE_IF_MATCH,
                        FaultInjectingObjectStore.FaultType.LOST_RESPONSE);
                case 2 -> faulty.failNext(io.floe.store.Operation.REPLACE_IF_MATCH,
                        FaultInjectingObjectStore.FaultType.SPURIOUS_CONFLICT);
                default -> { }
            }
        }

        /**
         * A zombie: a client that forgot its member id commits again, through any instance, what it had read
         * under its old id and generation (a delayed request, or a client that missed its expulsion). An
         * instance whose copy of the group still vouches for it may take it; invariants 2 and 6 say it never
         * overrides a newer commit.
         */
        void zombieCommit() {
            List<Client> zombies = clients.stream().filter(c -> !c.oldMemberId.isEmpty() && !c.oldPositions.isEmpty()).toList();
            if (zombies.isEmpty()) {
                return;
            }
            Client z = zombies.get(random.nextInt(zombies.size()));
            int via = random.nextInt(INSTANCES);
            Map<TopicPartition, CommittedOffset> offsets = new HashMap<>();
            z.oldPositions.forEach((tp, o) -> offsets.put(tp, CommittedOffset.of(o)));
            try {
                var refused = groups[via].commit(new OffsetCommit(GROUP, z.oldMemberId, null, z.oldGeneration, offsets, null));
                note(z.name + " zombie " + z.oldMemberId + " gen " + z.oldGeneration + " committed " + offsets.keySet()
                        + " via i" + via + " (refused " + refused.keySet() + ")");
            } catch (FloeException e) {
                note(z.name + " zombie commit via i" + via + ": " + e.code());
            }
        }

        /**
         * An instance crashes and starts again: its caches, its queue of groups to fold and its waiting joins
         * (answered REBALANCE_IN_PROGRESS, as a closed connection would make clients rejoin) are gone; member
         * offsets objects written but not folded stay in the bucket, and every reader must still see them.
         */
        void restart() {
            int i = random.nextInt(INSTANCES);
            note("instance i" + i + " restarts");
            groups[i].close();
            groups[i] = new GroupCoordinator(faulty, logs[i], clock, new SplittableRandom(instanceSeeds[i] ^ step),
                    Defaults.group("i" + i).withBackgroundThreads(false));
        }

        /**
         * An operator moves the committed offsets of an empty group back (an offset-reset tool: OffsetCommit
         * without a member id, through the group object). Accepted only while the group has no members; the
         * one way a committed offset may go back, so invariants 2 and 6 start again from its values. Zombies'
         * later commits must not override it.
         */
        void adminReset() {
            GroupDescription d = observer.describe(GROUP).orElse(null);
            Map<TopicPartition, CommittedOffset> now = observer.committed(GROUP, null);
            if (d == null || !d.members().isEmpty() || now.isEmpty()) {
                return;
            }
            Map<TopicPartition, CommittedOffset> back = new HashMap<>();
            now.forEach((tp, o) -> back.put(tp, CommittedOffset.of(Math.max(0, o.offset() - random.nextInt(4)))));
            int via = random.nextInt(INSTANCES);
            try {
                var refused = groups[via].commit(new OffsetCommit(GROUP, "", null, -1, back, null));
                assertThat(refused).as("step %d: reset refused", step).isEmpty();
            } catch (FloeException e) {
                note("admin reset via i" + via + ": " + e.code());
                return;
            }
            note("admin reset via i" + via + " to " + back);
            back.forEach((tp, o) -> {
                lastCommitted.put(tp, o.offset());
                acknowledged.put(tp, o.offset());
            });
            Map<TopicPartition, CommittedOffset> after = observer.committed(GROUP, back.keySet());
            back.forEach((tp, o) -> assertThat(after.get(tp)).as("step %d: the reset of %s to %d is not in the bucket",
                    step, tp, o.offset()).isNotNull().extracting(CommittedOffset::offset).isEqualTo(o.offset()));
        }

        void pauseOrResume() {
            if (!clients.isEmpty()) {
                Client c = clients.get(random.nextInt(clients.size()));
                c.paused = !c.paused;
            }
        }

        void leave() {
            Client c = pick();
            if (c != null) {
                clients.remove(c);
                if (!c.memberId.isEmpty()) {
                    groups[c.instance].leave(GROUP, List.of(new MemberIdentity(c.memberId, null)));
                }
            }
        }

        /** The error a failed join or sync answered, if clients handle it; anything else fails the run. */
        static FloeException floe(CompletionException e) {
            if (!SimHarness.handledByClients(e)) {
                throw e;
            }
            return e.getCause() instanceof FloeException f ? f
                    : new FloeException(ErrorCode.STORE_UNAVAILABLE, e.getCause().getMessage());
        }

        /**
         * Whether this group member's client sent a join since the group started preparing this rebalance
         * (an older join may still await its answer from the generation that has just formed).
         */
        boolean rejoined(MemberDescription m) {
            for (Client c : clients) {
                if (c.state != State.JOINING || c.join.isDone() || c.joinSentStep < preparingSinceStep) {
                    continue;
                }
                if (c.memberId.equals(m.memberId())
                        || (c.memberId.isEmpty() && c.name.equals(m.clientId()) && !c.abandonedIds.contains(m.memberId()))) {
                    return true;
                }
            }
            return false;
        }

        void check(int step) {
            GroupDescription d = observer.describe(GROUP).orElse(null);
            if (d == null) {
                return;
            }
            Map<TopicPartition, String> owner = new HashMap<>();
            for (MemberDescription m : d.members()) {
                for (TopicPartition tp : m.assignment().partitions()) {
                    String other = owner.put(tp, m.memberId());
                    assertThat(other).as("step %d: %s assigned to %s and %s in generation %d", step, tp, other,
                            m.memberId(), d.generation()).isNull();
                }
            }
            Map<TopicPartition, String> seen = owners.putIfAbsent(d.generation(), owner);
            if (seen != null && !owner.isEmpty()) {
                for (var e : owner.entrySet()) {
                    String was = seen.putIfAbsent(e.getKey(), e.getValue());
                    assertThat(was == null || was.equals(e.getValue())).as("step %d: %s moved from %s to %s within "
                            + "generation %d", step, e.getKey(), was, e.getValue(), d.generation()).isTrue();
                }
            }
            Map<TopicPartition, CommittedOffset> committedNow = observer.committed(GROUP, null);
            committedNow.forEach((tp, o) -> {
                Long before = lastCommitted.put(tp, o.offset());
                assertThat(before == null || o.offset() >= before).as("step %d: committed offset of %s went back "
                        + "from %d to %d", step, tp, before, o.offset()).isTrue();
            });
            acknowledged.forEach((tp, o) -> assertThat(committedNow.get(tp)).as("step %d: the commit of %s at %d, "
                    + "acknowledged to a member of the then current generation, is neither visible nor superseded",
                    step, tp, o).isNotNull().extracting(CommittedOffset::offset).satisfies(now ->
                    assertThat(now).isGreaterThanOrEqualTo(o)));
            if (d.state() != GroupState.PREPARING_REBALANCE) {
                preparingGeneration = -1;
                return;
            }
            if (preparingGeneration != d.generation()) {
                preparingGeneration = d.generation();
                preparingSince = clock.millis();
                preparingSinceStep = step;
                failedTicksSince = 0;
            }
            assertThat(!d.members().isEmpty() && d.members().stream().allMatch(this::rejoined))
                    .as("step %d: every member of %s rejoined, yet generation %d is still being prepared (since step %d); "
                            + "clients %s", step, d.members().stream().map(MemberDescription::memberId).toList(),
                            d.generation() + 1, preparingSinceStep, clients + " " + d)
                    .isFalse();
            // Someone waits in a join: its instance's timer completes the rebalance at the deadline. (With nobody
            // waiting, the next member to call completes it: a group of dead members may stay "preparing".)
            boolean waiting = clients.stream().anyMatch(c -> c.state == State.JOINING && !c.join.isDone());
            long allowed = REBALANCE.toMillis() + poll * (1 + failedTicksSince);
            assertThat(waiting ? clock.millis() - preparingSince : 0).as("step %d: generation %d has been prepared for %d ms "
                    + "(rebalance timeout %d ms, poll interval %d ms)", step, d.generation() + 1,
                    clock.millis() - preparingSince, REBALANCE.toMillis(), poll).isLessThanOrEqualTo(allowed);
        }
    }
}
