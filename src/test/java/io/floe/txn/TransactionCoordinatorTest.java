package io.floe.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.format.BucketLayout;
import io.floe.log.LogEngine;
import io.floe.runtime.Defaults;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.TopicPartition;
import io.floe.sim.SimClock;
import io.floe.store.FaultInjectingObjectStore;
import io.floe.store.MemoryObjectStore;
import io.floe.store.Operation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.BufferSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's state machine over the memory store behind the fault-injecting store, with a real
 * log engine (no background threads) receiving the markers: epochs and fencing, markers, offsets,
 * timeouts, lost answers, a crash between markers and completion, two instances racing.
 */
class TransactionCoordinatorTest {

    private static final TopicPartition T0 = new TopicPartition("t", 0);
    private static final TopicPartition T1 = new TopicPartition("t", 1);
    private static final TopicPartition U0 = new TopicPartition("u", 0);

    private final MemoryObjectStore bucket = new MemoryObjectStore();
    private final FaultInjectingObjectStore store = new FaultInjectingObjectStore(bucket);
    private final SimClock clock = new SimClock(1_700_000_000_000L);
    private final AtomicLong ids = new AtomicLong(1000);
    /** Offsets the groups received, per group: what the group coordinator would hold. */
    private final Map<String, Map<TopicPartition, TxnOffset>> groups = new ConcurrentHashMap<>();
    private final List<LogEngine> engines = new ArrayList<>();
    private LogEngine engine;
    private TransactionCoordinator coordinator;

    @BeforeEach
    void setUp() {
        engine = engine("a");
        engine.createTopic("t", 2, Map.of());
        engine.createTopic("u", 1, Map.of());
        coordinator = coordinator(engine, "a", new EngineMarkers(engine, clock));
    }

    @AfterEach
    void tearDown() {
        engines.forEach(LogEngine::close);
    }

    private LogEngine engine(String instance) {
        LogEngine e = new LogEngine(store, clock, new SplittableRandom(instance.hashCode()),
                Defaults.log(instance).withBackgroundThreads(false));
        engines.add(e);
        return e;
    }

    private TransactionCoordinator coordinator(LogEngine log, String instance, MarkerWriter markers) {
        return new TransactionCoordinator(store, log.retry(), markers,
                (group, offsets) -> groups.computeIfAbsent(group, g -> new ConcurrentHashMap<>()).putAll(offsets),
                ids::incrementAndGet, clock, new SplittableRandom(instance.hashCode()), TxnSettings.defaults(instance));
    }

    private TransactionCoordinator.ProducerIdAndEpoch init(TransactionCoordinator c, String id) {
        return c.initProducerId(id, 60_000, null);
    }

    /** The end markers in a partition, oldest first: "COMMIT@epoch" / "ABORT@epoch" of producer {@code pid}. */
    private List<String> markers(LogEngine log, TopicPartition tp, long pid) {
        List<String> out = new ArrayList<>();
        var r = log.fetch(tp.topic(), tp.partition(), 0, 1 << 20, Duration.ZERO).join();
        for (ByteBuffer b : r.batches()) {
            for (RecordBatch batch : MemoryRecords.readableRecords(b.duplicate()).batches()) {
                if (batch.isControlBatch() && batch.producerId() == pid) {
                    assertThat(batch.isTransactional()).isTrue();
                    try (var it = batch.streamingIterator(BufferSupplier.NO_CACHING)) {
                        ControlRecordType type = ControlRecordType.parse(it.next().key());
                        out.add(type + "@" + batch.producerEpoch());
                    }
                }
            }
        }
        return out;
    }

    private static ErrorCode codeOf(Runnable r) {
        try {
            r.run();
            return null;
        } catch (FloeException e) {
            return e.code();
        }
    }

    private byte[] stateBytes(String id) {
        return bucket.get(BucketLayout.transaction(id)).map(o -> o.content()).orElse(null);
    }

    @Test
    void initProducerIdMapsANewIdAndBumpsTheEpochOnEveryCall() {
        var first = init(coordinator, "app");
        var second = init(coordinator, "app");
        assertThat(second.producerId()).isEqualTo(first.producerId());
        assertThat(second.epoch()).isEqualTo((short) (first.epoch() + 1));
        assertThat(init(coordinator, "other").producerId()).isNotEqualTo(first.producerId());
    }

    @Test
    void aReadOrListThatTheBucketRefusesOnceIsRetried() {
        var p = init(coordinator, "app");
        coordinator.addPartitions("app", p.producerId(), p.epoch(), List.of(T0));
        store.failNext(Operation.GET, FaultInjectingObjectStore.FaultType.UNAVAILABLE_BEFORE);
        assertThat(coordinator.verify("app", p.producerId(), p.epoch(), List.of(T0, T1))).containsExactly(T1);
        store.failNext(Operation.LIST, FaultInjectingObjectStore.FaultType.UNAVAILABLE_BEFORE);
        assertThat(coordinator.list(t -> true)).extracting(Transaction::transactionalId).containsExactly("app");
        assertThat(store.injectedFaults()).isEqualTo(2);
    }

    @Test
    void commitWritesACommitMarkerIntoEveryPartitionThenCompletes() {
        var p = init(coordinator, "app");
        coordinator.addPartitions("app", p.producerId(), p.epoch(), List.of(T0, U0));
        coordinator.addPartitions("app", p.producerId(), p.epoch(), List.of(T1, T0));
        assertThat(coordinator.describe("app").orElseThrow().state()).isEqualTo(TxnState.ONGOING);
        coordinator.endTxn("app", p.producerId(), p.epoch(), true);
        for (TopicPartition tp : List.of(T0, T1, U0)) {
            assertThat(markers(engine, tp, p.producerId())).as("%s", tp).containsExactly("COMMIT@" + p.epoch());
        }
        Transaction t = coordinator.describe("app").orElseThrow();
        assertThat(t.state()).isEqualTo(TxnState.COMPLETE_COMMIT);
        assertThat(t.partitions()).isEmpty();
        // A retried EndTxn(commit) whose answer was lost succeeds and writes nothing more.
        coordinator.endTxn("app", p.producerId(), p.epoch(), true);
        assertThat(markers(engine, T0, p.producerId())).hasSize(1);
    }

    @Test
    void requestsOutOfOrderGetKafkasErrorAndChangeNothing() {
        assertThat(codeOf(() -> coordinator.endTxn("nobody", 5, (short) 0, true))).isEqualTo(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
        assertThat(codeOf(() -> coordinator.addPartitions("nobody", 5, (short) 0, List.of(T0))))
                .isEqualTo(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
        assertThat(bucket.get(BucketLayout.transaction("nobody"))).isEmpty();
        var p = init(coordinator, "app");
        byte[] before = stateBytes("app");
        assertThat(codeOf(() -> coordinator.endTxn("app", p.producerId(), p.epoch(), true))).isEqualTo(ErrorCode.INVALID_TXN_STATE);
        assertThat(codeOf(() -> coordinator.endTxn("app", p.producerId() + 1, p.epoch(), false)))
                .isEqualTo(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
        assertThat(codeOf(() -> coordinator.addPartitions("app", p.producerId(), (short) (p.epoch() - 1), List.of(T0))))
                .isEqualTo(ErrorCode.PRODUCER_FENCED);
        assertThat(codeOf(() -> coordinator.commitOffsets("app", p.producerId(), p.epoch(), "g",
                Map.of(T0, new TxnOffset(1, -1, ""))))).as("offsets without a transaction").isEqualTo(ErrorCode.INVALID_TXN_STATE);
        assertThat(codeOf(() -> coordinator.initProducerId("app", 0, null))).isEqualTo(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
        assertThat(stateBytes("app")).isEqualTo(before);
        coordinator.addPartitions("app", p.producerId(), p.epoch(), List.of(T0));
        coordinator.endTxn("app", p.producerId(), p.epoch(), false);
        assertThat(codeOf(() -> coordinator.endTxn("app", p.producerId(), p.epoch(), true)))
                .as("commit after abort").isEqualTo(ErrorCode.INVALID_TXN_STATE);
    }

    @Test
    void aNewProducerAbortsTheOpenTransactionAtABumpedEpochAndFencesTheZombie() {
        var zombie = init(coordinator, "app");
        coordinator.addPartitions("app", zombie.producerId(), zombie.epoch(), List.of(T0, U0));
        TransactionCoordinator other = coordinator(engine("b"), "b", new EngineMarkers(engines.getLast(), clock));
        var successor = init(other, "app");
        assertThat(successor.producerId()).isEqualTo(zombie.producerId());
        assertThat(successor.epoch()).isEqualTo((short) (zombie.epoch() + 2));
        assertThat(markers(engine, T0, zombie.producerId())).containsExactly("ABORT@" + (zombie.epoch() + 1));
        assertThat(markers(engine, U0, zombie.producerId())).containsExactly("ABORT@" + (zombie.epoch() + 1));
        assertThat(codeOf(() -> coordinator.addPartitions("app", zombie.producerId(), zombie.epoch(), List.of(T1))))
                .isEqualTo(ErrorCode.PRODUCER_FENCED);
        assertThat(codeOf(() -> coordinator.endTxn("app", zombie.producerId(), zombie.epoch(), true)))
                .isEqualTo(ErrorCode.PRODUCER_FENCED);
        assertThat(codeOf(() -> coordinator.addOffsets("app", zombie.producerId(), zombie.epoch(), "g")))
                .isEqualTo(ErrorCode.PRODUCER_FENCED);
        assertThat(coordinator.describe("app").orElseThrow().state()).isEqualTo(TxnState.EMPTY);
    }

    @Test
    void aRetriedEpochBumpReturnsTheSameEpochAndAStaleOneIsFenced() {
        var p = init(coordinator, "app");
        var bumped = coordinator.initProducerId("app", 60_000, p);
        assertThat(bumped).isEqualTo(new TransactionCoordinator.ProducerIdAndEpoch(p.producerId(), (short) (p.epoch() + 1)));
        assertThat(coordinator.initProducerId("app", 60_000, p)).as("retry of the same bump").isEqualTo(bumped);
        assertThat(codeOf(() -> coordinator.initProducerId("app", 60_000,
                new TransactionCoordinator.ProducerIdAndEpoch(p.producerId(), (short) 40)))).isEqualTo(ErrorCode.PRODUCER_FENCED);
        assertThat(codeOf(() -> coordinator.initProducerId("app", 60_000,
                new TransactionCoordinator.ProducerIdAndEpoch(99_999, (short) 0)))).isEqualTo(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    }

    @Test
    void offsetsOfATransactionReachTheGroupWhenItCommitsAndNeverWhenItAborts() {
        var p = init(coordinator, "app");
        coordinator.addPartitions("app", p.producerId(), p.epoch(), List.of(T0));
        coordinator.addOffsets("app", p.producerId(), p.epoch(), "copier");
        coordinator.commitOffsets("app", p.producerId(), p.epoch(), "copier", Map.of(U0, new TxnOffset(7, -1, "m")));
        assertThat(groups).isEmpty();
        coordinator.endTxn("app", p.producerId(), p.epoch(), false);
        assertThat(groups).as("aborted").isEmpty();
        coordinator.addOffsets("app", p.producerId(), p.epoch(), "copier");
        coordinator.commitOffsets("app", p.producerId(), p.epoch(), "copier", Map.of(U0, new TxnOffset(9, -1, "m")));
        coordinator.commitOffsets("app", p.producerId(), p.epoch(), "copier", Map.of(U0, new TxnOffset(12, 3, "n")));
        assertThat(groups).isEmpty();
        coordinator.endTxn("app", p.producerId(), p.epoch(), true);
        assertThat(groups.get("copier")).containsExactly(Map.entry(U0, new TxnOffset(12, 3, "n")));
    }

    @Test
    void offsetsPendingInAnOpenTransactionAreReportedUnstableUntilItEnds() {
        var p = init(coordinator, "app");
        var q = init(coordinator, "other-app");
        assertThat(coordinator.pendingOffsets("copier", null)).isEmpty();
        coordinator.addOffsets("app", p.producerId(), p.epoch(), "copier");
        coordinator.commitOffsets("app", p.producerId(), p.epoch(), "copier", Map.of(T0, new TxnOffset(4, -1, "")));
        coordinator.addPartitions("other-app", q.producerId(), q.epoch(), List.of(U0));
        coordinator.commitOffsets("other-app", q.producerId(), q.epoch(), "copier", Map.of(T1, new TxnOffset(8, -1, "")));
        TransactionCoordinator other = coordinator(engine, "b", new EngineMarkers(engine, clock));
        assertThat(other.pendingOffsets("copier", null)).containsExactlyInAnyOrder(T0, T1);
        assertThat(other.pendingOffsets("copier", List.of(T1, U0))).containsExactly(T1);
        assertThat(other.pendingOffsets("elsewhere", null)).isEmpty();
        coordinator.endTxn("app", p.producerId(), p.epoch(), true);
        assertThat(other.pendingOffsets("copier", null)).containsExactly(T1);
        coordinator.endTxn("other-app", q.producerId(), q.epoch(), false);
        assertThat(other.pendingOffsets("copier", null)).isEmpty();
        assertThat(bucket.list(BucketLayout.TRANSACTION_OFFSETS, null, 10)).as("markers removed at completion").isEmpty();
    }

    @Test
    void aCrashBetweenMarkersAndCompletionIsFinishedByWhoeverTouchesTheTransactionNext() {
        MarkerWriter real = new EngineMarkers(engine, clock);
        AtomicReference<Boolean> crash = new AtomicReference<>(true);
        MarkerWriter crashing = (partitions, pid, epoch, commit) -> {
            real.write(partitions, pid, epoch, commit);
            if (crash.getAndSet(false)) {
                store.failNext(Operation.REPLACE_IF_MATCH, FaultInjectingObjectStore.FaultType.UNAVAILABLE_BEFORE);
            }
        };
        TransactionCoordinator dying = coordinator(engine, "a", crashing);
        var p = init(dying, "app");
        dying.addPartitions("app", p.producerId(), p.epoch(), List.of(T0));
        dying.commitOffsets("app", p.producerId(), p.epoch(), "copier", Map.of(U0, new TxnOffset(5, -1, "")));
        assertThat(codeOf(() -> dying.endTxn("app", p.producerId(), p.epoch(), true))).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
        assertThat(coordinator.describe("app").orElseThrow().state()).isEqualTo(TxnState.PREPARE_COMMIT);
        // Another instance: the producer restarts there and initialises again.
        LogEngine otherLog = engine("b");
        TransactionCoordinator other = coordinator(otherLog, "b", new EngineMarkers(otherLog, clock));
        var next = init(other, "app");
        assertThat(next.epoch()).isEqualTo((short) (p.epoch() + 1));
        assertThat(markers(otherLog, T0, p.producerId())).as("the decision stands: commit, not abort")
                .allMatch(m -> m.equals("COMMIT@" + p.epoch())).isNotEmpty();
        assertThat(groups.get("copier")).containsEntry(U0, new TxnOffset(5, -1, ""));
        assertThat(other.describe("app").orElseThrow().state()).isEqualTo(TxnState.EMPTY);
    }

    @Test
    void aCrashAfterTheDecisionBeforeAnyMarkerIsCommittedByTheNextInstance() {
        AtomicReference<Boolean> crash = new AtomicReference<>(true);
        MarkerWriter real = new EngineMarkers(engine, clock);
        MarkerWriter dyingMarkers = (partitions, pid, epoch, commit) -> {
            if (crash.getAndSet(false)) {
                throw new FloeException(ErrorCode.STORE_UNAVAILABLE, "instance stopped");
            }
            real.write(partitions, pid, epoch, commit);
        };
        TransactionCoordinator dying = coordinator(engine, "a", dyingMarkers);
        var p = init(dying, "app");
        dying.addPartitions("app", p.producerId(), p.epoch(), List.of(T0, U0));
        dying.commitOffsets("app", p.producerId(), p.epoch(), "copier", Map.of(U0, new TxnOffset(5, -1, "")));
        assertThat(codeOf(() -> dying.endTxn("app", p.producerId(), p.epoch(), true))).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
        assertThat(markers(engine, T0, p.producerId())).isEmpty();
        assertThat(groups).isEmpty();
        LogEngine otherLog = engine("b");
        TransactionCoordinator other = coordinator(otherLog, "b", new EngineMarkers(otherLog, clock));
        init(other, "app");
        assertThat(markers(otherLog, T0, p.producerId())).containsExactly("COMMIT@" + p.epoch());
        assertThat(markers(otherLog, U0, p.producerId())).containsExactly("COMMIT@" + p.epoch());
        assertThat(groups.get("copier")).containsEntry(U0, new TxnOffset(5, -1, ""));
    }

    @Test
    void aLostAnswerToTheDecisionIsSettledByTheClientsRetry() {
        var p = init(coordinator, "app");
        coordinator.addPartitions("app", p.producerId(), p.epoch(), List.of(T0, T1));
        store.failNext(Operation.REPLACE_IF_MATCH, FaultInjectingObjectStore.FaultType.LOST_RESPONSE);
        assertThat(codeOf(() -> coordinator.endTxn("app", p.producerId(), p.epoch(), false))).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
        assertThat(coordinator.describe("app").orElseThrow().state()).isEqualTo(TxnState.PREPARE_ABORT);
        assertThat(codeOf(() -> coordinator.endTxn("app", p.producerId(), p.epoch(), true)))
                .as("the other decision").isEqualTo(ErrorCode.INVALID_TXN_STATE);
        coordinator.endTxn("app", p.producerId(), p.epoch(), false);
        assertThat(markers(engine, T0, p.producerId())).containsExactly("ABORT@" + p.epoch());
        assertThat(markers(engine, T1, p.producerId())).containsExactly("ABORT@" + p.epoch());
        assertThat(coordinator.describe("app").orElseThrow().state()).isEqualTo(TxnState.COMPLETE_ABORT);
    }

    @Test
    void anExpiredTransactionIsAbortedByTheScanOfAnyInstanceAndItsProducerFenced() {
        var p = coordinator.initProducerId("app", 10_000, null);
        coordinator.addPartitions("app", p.producerId(), p.epoch(), List.of(T1));
        var q = init(coordinator, "young");
        coordinator.addPartitions("young", q.producerId(), q.epoch(), List.of(T1));
        clock.advance(5_000);
        LogEngine otherLog = engine("b");
        TransactionCoordinator other = coordinator(otherLog, "b", new EngineMarkers(otherLog, clock));
        assertThat(other.abortTimedOut()).isZero();
        clock.advance(5_001);
        assertThat(other.abortTimedOut()).isEqualTo(1);
        assertThat(markers(otherLog, T1, p.producerId())).containsExactly("ABORT@" + (p.epoch() + 1));
        assertThat(markers(otherLog, T1, q.producerId())).isEmpty();
        assertThat(codeOf(() -> coordinator.endTxn("app", p.producerId(), p.epoch(), true))).isEqualTo(ErrorCode.PRODUCER_FENCED);
        assertThat(other.describe("young").orElseThrow().state()).isEqualTo(TxnState.ONGOING);
    }

    @Test
    void anExpiredTransactionIsAbortedByTheNextRequestThatTouchesIt() {
        var p = coordinator.initProducerId("app", 10_000, null);
        coordinator.addPartitions("app", p.producerId(), p.epoch(), List.of(T0));
        clock.advance(10_001);
        assertThat(codeOf(() -> coordinator.addPartitions("app", p.producerId(), p.epoch(), List.of(T1))))
                .isEqualTo(ErrorCode.PRODUCER_FENCED);
        assertThat(markers(engine, T0, p.producerId())).containsExactly("ABORT@" + (p.epoch() + 1));
        assertThat(coordinator.describe("app").orElseThrow().partitions()).isEmpty();
    }

    @Test
    void anIdUnusedForSevenDaysIsForgottenAndAnOpenOneIsNot() {
        var idle = init(coordinator, "idle");
        var busy = init(coordinator, "busy");
        coordinator.addPartitions("busy", busy.producerId(), busy.epoch(), List.of(T0));
        coordinator.endTxn("busy", busy.producerId(), busy.epoch(), true);
        clock.advance(Duration.ofDays(7).toMillis() - 1000);
        coordinator.addPartitions("busy", busy.producerId(), busy.epoch(), List.of(T0)); // used again
        clock.advance(2000);
        coordinator.abortTimedOut();
        assertThat(coordinator.describe("idle")).isEmpty();
        assertThat(codeOf(() -> coordinator.addPartitions("idle", idle.producerId(), idle.epoch(), List.of(T0))))
                .isEqualTo(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
        assertThat(coordinator.describe("busy")).get().extracting(Transaction::state).isEqualTo(TxnState.ONGOING);
    }

    @Test
    void verificationNamesThePartitionsOutsideTheOpenTransaction() {
        var p = init(coordinator, "app");
        assertThat(coordinator.verify("app", p.producerId(), p.epoch(), List.of(T0))).containsExactly(T0);
        coordinator.addPartitions("app", p.producerId(), p.epoch(), List.of(T0));
        assertThat(coordinator.verify("app", p.producerId(), p.epoch(), List.of(T0, T1))).containsExactly(T1);
        assertThat(codeOf(() -> coordinator.verify("app", p.producerId(), (short) (p.epoch() + 1), List.of(T0))))
                .isEqualTo(ErrorCode.PRODUCER_FENCED);
    }

    @Test
    void twoInstancesRacingOnInitProducerIdUnderFaultsNeverHandOutOneEpochTwice() throws Exception {
        store.setFaults(new FaultInjectingObjectStore.Faults(0.05, 0.05, 0.1, Duration.ZERO));
        TransactionCoordinator other = coordinator(engine("b"), "b", new EngineMarkers(engines.getLast(), clock));
        Set<Short> epochs = ConcurrentHashMap.newKeySet();
        List<String> duplicates = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (TransactionCoordinator c : List.of(coordinator, other)) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 40; i++) {
                    try {
                        var p = init(c, "raced");
                        if (!epochs.add(p.epoch())) {
                            duplicates.add("epoch " + p.epoch() + " handed out twice");
                        }
                    } catch (FloeException e) {
                        // STORE_UNAVAILABLE or CONCURRENT_UPDATE: the client retries; the epoch, if bumped, is lost
                        assertThat(e.code()).isIn(ErrorCode.STORE_UNAVAILABLE, ErrorCode.CONCURRENT_UPDATE);
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        store.setFaults(FaultInjectingObjectStore.Faults.NONE);
        assertThat(duplicates).isEmpty();
        assertThat(epochs).hasSizeGreaterThan(40);
        short last = init(coordinator, "raced").epoch();
        assertThat(epochs).allMatch(e -> e < last);
    }

    @Test
    void aMalformedStateObjectIsReportedAsCorruptWithItsKey() {
        bucket.createIfAbsent(BucketLayout.transaction("broken"), "{\"version\":1,\"producerId\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> coordinator.describe("broken"))
                .isInstanceOfSatisfying(FloeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_OBJECT))
                .hasMessageContaining("transactions/broken");
        assertThat(codeOf(() -> init(coordinator, "broken"))).isEqualTo(ErrorCode.CORRUPT_OBJECT);
    }

    @Test
    void theStateObjectRoundTripsAndItsKeyNamesTheId() {
        var p = init(coordinator, "a/b c_ü");
        coordinator.addPartitions("a/b c_ü", p.producerId(), p.epoch(), List.of(T1, U0));
        coordinator.commitOffsets("a/b c_ü", p.producerId(), p.epoch(), "g", Map.of(T0, new TxnOffset(3, 2, "meta")));
        Transaction t = coordinator.describe("a/b c_ü").orElseThrow();
        String key = BucketLayout.transaction("a/b c_ü");
        assertThat(key).matches("transactions/[A-Za-z0-9._-]+");
        assertThat(BucketLayout.transactionalIdOf(key)).isEqualTo("a/b c_ü");
        assertThat(TxnFormat.decode(key, TxnFormat.encode(t))).isEqualTo(t);
        assertThat(coordinator.list(x -> true)).extracting(Transaction::transactionalId).containsExactly("a/b c_ü");
    }
}
