package io.floe.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.format.BucketLayout;
import io.floe.log.DelegatingStore;
import io.floe.log.LogEngine;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.TopicPartition;
import io.floe.runtime.Defaults;
import io.floe.store.CountingObjectStore;
import io.floe.store.FaultInjectingObjectStore;
import io.floe.store.FaultInjectingObjectStore.FaultType;
import io.floe.store.MemoryObjectStore;
import io.floe.store.ObjectStore;
import io.floe.store.Operation;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a synchronous offset commit costs and what its answer guarantees: from the instance that wrote
 * the group last it is one conditional PUT (no GET); after another instance wrote, or after a lost
 * answer, it re-reads and nothing is lost; concurrent commits of a group on one instance share writes,
 * each answered only once the write holding it is in the bucket, and a refused one holds nobody back.
 */
class SyncCommitWritesTest {

    private static final String GROUP = "g";
    private static final int PARTITIONS = 8;

    private final MemoryObjectStore memory = new MemoryObjectStore();
    private final Gate gate = new Gate(memory);
    private final CountingObjectStore counting = new CountingObjectStore(gate);
    private final FaultInjectingObjectStore bucket = new FaultInjectingObjectStore(counting);
    private final LogEngine log = new LogEngine(bucket, Clock.systemUTC(), new SplittableRandom(3),
            Defaults.log("l").withBackgroundThreads(false));
    private final GroupCoordinator a = coordinator("a");
    private final GroupCoordinator b = coordinator("b");

    SyncCommitWritesTest() {
        log.createTopic("t", PARTITIONS, Map.of());
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
        log.close();
    }

    private GroupCoordinator coordinator(String instance) {
        return new GroupCoordinator(bucket, log, Clock.systemUTC(), new SplittableRandom(instance.hashCode()),
                Defaults.group(instance).withBackgroundThreads(false));
    }

    private static TopicPartition tp(int p) {
        return new TopicPartition("t", p);
    }

    private static OffsetCommit commit(String memberId, int generation, int partition, long offset) {
        return new OffsetCommit(GROUP, memberId, null, generation, Map.of(tp(partition), CommittedOffset.of(offset)),
                OffsetCommit.Durability.SYNC);
    }

    /** Committed offsets as a fresh instance reads them from the bucket. */
    private Map<TopicPartition, CommittedOffset> inTheBucket() {
        try (GroupCoordinator fresh = new GroupCoordinator(memory, log, Clock.systemUTC(), new SplittableRandom(9),
                Defaults.group("fresh").withBackgroundThreads(false))) {
            return fresh.committed(GROUP, null);
        }
    }

    private long offsetInTheBucket(int partition) {
        CommittedOffset c = inTheBucket().get(tp(partition));
        return c == null ? -1 : c.offset();
    }

    @Test
    void aCommitFromTheInstanceThatWroteTheGroupLastIsOneConditionalPut() {
        a.commit(commit("", -1, 0, 1));
        var before = counting.snapshot();
        for (int i = 2; i <= 11; i++) {
            a.commit(commit("", -1, 0, i));
        }
        var spent = counting.snapshot().minus(before);
        assertThat(spent.requests(Operation.REPLACE_IF_MATCH)).isEqualTo(10);
        assertThat(spent.requests(Operation.GET)).isZero();
        assertThat(offsetInTheBucket(0)).isEqualTo(11);
    }

    @Test
    void aCommitAfterAnotherInstanceWroteRereadsAndKeepsBothInstancesCommits() {
        a.commit(commit("", -1, 0, 5));
        b.commit(commit("", -1, 1, 7));   // a's copy is stale now
        a.commit(commit("", -1, 0, 6));
        assertThat(offsetInTheBucket(0)).isEqualTo(6);
        assertThat(offsetInTheBucket(1)).isEqualTo(7);
        b.commit(commit("", -1, 1, 8));
        assertThat(offsetInTheBucket(0)).isEqualTo(6);
        assertThat(offsetInTheBucket(1)).isEqualTo(8);
    }

    @Test
    void aCommitWhoseWriteAnswerWasLostIsInTheBucketOnceAcknowledged() {
        a.commit(commit("", -1, 0, 5));
        bucket.failNext(Operation.REPLACE_IF_MATCH, FaultType.LOST_RESPONSE);   // written, answer lost
        a.commit(commit("", -1, 0, 6));
        assertThat(offsetInTheBucket(0)).isEqualTo(6);
        b.commit(commit("", -1, 1, 7));
        bucket.failNext(Operation.REPLACE_IF_MATCH, FaultType.UNAVAILABLE_BEFORE);  // not written
        a.commit(commit("", -1, 0, 8));
        assertThat(offsetInTheBucket(0)).isEqualTo(8);
        assertThat(offsetInTheBucket(1)).isEqualTo(7);
    }

    @Test
    void concurrentCommitsOfAGroupShareOneWriteAndAreEachInTheBucketWhenAnswered() throws Exception {
        a.commit(commit("", -1, 0, 1));
        var before = counting.snapshot();
        List<Thread> waiting = new ArrayList<>();
        Map<Integer, Object> answers = new ConcurrentHashMap<>();
        Thread first = commitInThread(0, 2, answers);
        assertThat(gate.entered.await(10, TimeUnit.SECONDS)).isTrue();   // its write is held in the store
        for (int p = 1; p < PARTITIONS; p++) {
            waiting.add(commitInThread(p, 10 + p, answers));
        }
        releaseWhenQueued(first, waiting);
        assertThat(answers).hasSize(PARTITIONS).allSatisfy((p, answer) -> assertThat(answer).isEqualTo(Map.of()));
        var spent = counting.snapshot().minus(before);
        // The first commit's write, then one write for the seven that queued behind it.
        assertThat(spent.requests(Operation.REPLACE_IF_MATCH) + spent.requests(Operation.CREATE_IF_ABSENT)).isEqualTo(2);
        assertThat(offsetInTheBucket(0)).isEqualTo(2);
        for (int p = 1; p < PARTITIONS; p++) {
            assertThat(offsetInTheBucket(p)).isEqualTo(10 + p);
        }
    }

    @Test
    void aRefusedCommitInASharedWriteHoldsNoOtherCommitBack() throws Exception {
        a.commit(commit("", -1, 0, 1));
        Map<Integer, Object> answers = new ConcurrentHashMap<>();
        Thread first = commitInThread(0, 2, answers);
        assertThat(gate.entered.await(10, TimeUnit.SECONDS)).isTrue();
        List<Thread> waiting = new ArrayList<>();
        waiting.add(commitInThread(1, 11, answers));
        Thread ghost = new Thread(() -> {
            try {
                answers.put(2, a.commit(commit("ghost-member", -1, 2, 12)));   // a REST-style commit: through the group object
            } catch (FloeException e) {
                answers.put(2, e.code());
            }
        });
        ghost.start();
        waiting.add(ghost);
        waiting.add(commitInThread(3, 13, answers));
        releaseWhenQueued(first, waiting);
        assertThat(answers.get(2)).isEqualTo(ErrorCode.UNKNOWN_MEMBER);
        assertThat(answers.get(1)).isEqualTo(Map.of());
        assertThat(answers.get(3)).isEqualTo(Map.of());
        assertThat(offsetInTheBucket(1)).isEqualTo(11);
        assertThat(offsetInTheBucket(2)).isEqualTo(-1);
        assertThat(offsetInTheBucket(3)).isEqualTo(13);
    }

    @Test
    void aSharedWriteThatFailsFailsEveryCommitInItAndTheNextCommitsSucceed() throws Exception {
        a.commit(commit("", -1, 0, 1));
        Map<Integer, Object> answers = new ConcurrentHashMap<>();
        Thread first = commitInThread(0, 2, answers);
        assertThat(gate.entered.await(10, TimeUnit.SECONDS)).isTrue();
        List<Thread> waiting = List.of(commitInThread(1, 11, answers), commitInThread(2, 12, answers));
        // The shared write: every attempt of the one retry policy fails before reaching the store.
        releaseWhenQueued(first, waiting,
                () -> bucket.setFaults(new FaultInjectingObjectStore.Faults(1.0, 0, 0, java.time.Duration.ZERO)));
        bucket.setFaults(FaultInjectingObjectStore.Faults.NONE);
        assertThat(answers.get(0)).isEqualTo(Map.of());       // written before the faults began
        assertThat(answers.get(1)).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
        assertThat(answers.get(2)).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
        assertThat(offsetInTheBucket(1)).isEqualTo(-1);
        a.commit(commit("", -1, 1, 21));
        assertThat(offsetInTheBucket(1)).isEqualTo(21);
    }

    private Thread commitInThread(int partition, long offset, Map<Integer, Object> answers) {
        Thread t = new Thread(() -> {
            try {
                answers.put(partition, a.commit(commit("", -1, partition, offset)));
            } catch (FloeException e) {
                answers.put(partition, e.code());
            }
        }, "commit-" + partition);
        t.start();
        return t;
    }

    private void releaseWhenQueued(Thread first, List<Thread> waiting) throws InterruptedException {
        releaseWhenQueued(first, waiting, () -> { });
    }

    /**
     * Waits until every thread of {@code waiting} is parked (queued behind the group's write, which
     * {@code first} holds in the store), runs {@code then}, releases the write and waits for all.
     */
    private void releaseWhenQueued(Thread first, List<Thread> waiting, Runnable then) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!waiting.stream().allMatch(t -> t.getState() == Thread.State.WAITING)) {
            assertThat(System.nanoTime()).as("threads queued behind the write").isLessThan(deadline);
            Thread.sleep(5);
        }
        then.run();
        gate.release.countDown();
        first.join(10_000);
        for (Thread t : waiting) {
            t.join(10_000);
        }
    }

    /** Holds the first conditional write of a group object by thread commit-0 until released (one-shot). */
    private static final class Gate extends DelegatingStore {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        Gate(ObjectStore delegate) {
            super(delegate);
        }

        private void hold(String key) {
            if (key.startsWith(BucketLayout.GROUPS) && entered.getCount() > 0 && Thread.currentThread().getName().equals("commit-0")) {
                entered.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public WriteResult createIfAbsent(String key, byte[] content) {
            hold(key);
            return super.createIfAbsent(key, content);
        }

        @Override
        public WriteResult replaceIfMatch(String key, byte[] content, String expectedEtag) {
            hold(key);
            return super.replaceIfMatch(key, content, expectedEtag);
        }
    }
}
