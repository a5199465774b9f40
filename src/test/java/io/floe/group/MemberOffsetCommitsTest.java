package io.floe.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.format.BucketLayout;
import io.floe.log.LogEngine;
import io.floe.model.FloeException;
import io.floe.model.TopicPartition;
import io.floe.runtime.Defaults;
import io.floe.sim.SimClock;
import io.floe.store.CountingObjectStore;
import io.floe.store.FaultInjectingObjectStore;
import io.floe.store.FaultInjectingObjectStore.FaultType;
import io.floe.store.MemoryObjectStore;
import io.floe.store.Operation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Members' offset commits in their own objects (D87 to D90): a commit is one conditional PUT of
 * the member's object and no write of the group object; every reader sees the merge of both; a zombie's
 * late commit never overrides the new generation's, a transaction's offsets and an OffsetDelete win
 * over older member commits, and folding changes no answer.
 */
class MemberOffsetCommitsTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    final MemoryObjectStore memory = new MemoryObjectStore();
    final CountingObjectStore counting = new CountingObjectStore(memory);
    final FaultInjectingObjectStore bucket = new FaultInjectingObjectStore(counting);
    final SimClock clock = new SimClock(1_700_000_000_000L);
    final LogEngine log = new LogEngine(bucket, clock, new SplittableRandom(1), Defaults.log("l").withBackgroundThreads(false));
    final GroupCoordinator a = coordinator("a");
    final GroupCoordinator b = coordinator("b");

    MemberOffsetCommitsTest() {
        log.createTopic("t", 2, Map.of());
    }

    GroupCoordinator coordinator(String id) {
        return new GroupCoordinator(bucket, log, clock, new SplittableRandom(id.hashCode()),
                Defaults.group(id).withBackgroundThreads(false));
    }

    static JoinRequest join(String memberId, String clientId) {
        return new JoinRequest("g", memberId, null, clientId, "/127.0.0.1", Duration.ofSeconds(10), Duration.ofSeconds(30),
                "consumer", List.of(new Protocol("range", new byte[]{1})), Set.of("t"), null);
    }

    static OffsetCommit commit(String memberId, int generation, TopicPartition tp, long offset) {
        return new OffsetCommit("g", memberId, null, generation, Map.of(tp, CommittedOffset.of(offset)), null);
    }

    /** One member in generation 1 holding both partitions, joined through {@code via}. */
    String soleMember(GroupCoordinator via) {
        JoinResult r = via.join(join("", "c1")).join();
        via.sync(new SyncRequest("g", r.generation(), r.memberId(), null, "consumer", "range",
                Map.of(r.memberId(), new MemberAssignment(new byte[]{1}, List.of(P0, P1))))).join();
        return r.memberId();
    }

    /** Committed offsets as a fresh instance reads them from the bucket. */
    long inTheBucket(TopicPartition tp) {
        try (GroupCoordinator fresh = new GroupCoordinator(memory, log, clock, new SplittableRandom(9),
                Defaults.group("fresh").withBackgroundThreads(false))) {
            CommittedOffset c = fresh.committed("g", null).get(tp);
            return c == null ? -1 : c.offset();
        }
    }

    @Test
    void aMembersCommitIsOneConditionalPutOfItsOwnObjectAndNoWriteOfTheGroup() {
        String m = soleMember(a);
        a.commit(commit(m, 1, P0, 1));
        long groupWrites = a.writes();
        var before = counting.snapshot();
        for (int i = 2; i <= 11; i++) {
            a.commit(commit(m, 1, P0, i));
        }
        var spent = counting.snapshot().minus(before);
        assertThat(a.writes()).isEqualTo(groupWrites);
        assertThat(spent.requests(Operation.REPLACE_IF_MATCH)).isEqualTo(10);
        assertThat(spent.requests(Operation.CREATE_IF_ABSENT) + spent.requests(Operation.PUT)).isZero();
        assertThat(spent.requests(Operation.GET)).isZero();
        assertThat(memory.get(BucketLayout.groupMemberOffsets("g", m))).isPresent();
        assertThat(inTheBucket(P0)).isEqualTo(11);
        assertThat(b.committed("g", List.of(P0)).get(P0).offset()).isEqualTo(11);
    }

    @Test
    void aCommitWhoseAnswerWasLostIsInTheBucketAndTheNextOneOvertakesIt() {
        String m = soleMember(a);
        a.commit(commit(m, 1, P0, 1));
        bucket.failNext(Operation.REPLACE_IF_MATCH, FaultType.LOST_RESPONSE);
        a.commit(commit(m, 1, P0, 2));
        assertThat(inTheBucket(P0)).isEqualTo(2);
        a.commit(commit(m, 1, P0, 3));
        assertThat(inTheBucket(P0)).isEqualTo(3);
    }

    @Test
    void aMemberThatMovesBetweenInstancesHasItsLaterCommitWin() {
        String m = soleMember(a);
        a.commit(commit(m, 1, P0, 5));
        b.commit(commit(m, 1, P0, 6));   // b's copy of the group may be older than a's: the object orders them
        a.commit(commit(m, 1, P0, 7));
        assertThat(inTheBucket(P0)).isEqualTo(7);
    }

    @Test
    void aZombiesLateCommitNeverOverridesTheNextGenerationsCommit() {
        String c1 = soleMember(a);
        a.commit(commit(c1, 1, P0, 5));
        b.leave("g", List.of(new MemberIdentity(c1, null)));   // a's copy still shows c1 in generation 1
        JoinResult c2 = b.join(join("", "c2")).join();
        int gen = c2.generation();
        assertThat(gen).isGreaterThan(1);
        b.sync(new SyncRequest("g", gen, c2.memberId(), null, "consumer", "range",
                Map.of(c2.memberId(), new MemberAssignment(new byte[]{1}, List.of(P0, P1))))).join();
        b.commit(commit(c2.memberId(), gen, P0, 20));
        // a's copy is younger than state-max-age and vouches for c1: the zombie's commit is taken...
        assertThat(a.commit(commit(c1, 1, P0, 7))).isEmpty();
        // ...and ranks below the commit of the generation that followed.
        assertThat(inTheBucket(P0)).isEqualTo(20);
        clock.advance(2_000);                   // a's copy is too old now: a fresh read refuses the zombie
        assertThatThrownBy(() -> a.commit(commit(c1, 1, P0, 8))).isInstanceOf(FloeException.class);
        b.commit(commit(c2.memberId(), gen, P1, 30));
        a.tick();
        b.tick();                               // folds (c1 left): the answer does not change
        assertThat(memory.get(BucketLayout.groupMemberOffsets("g", c1))).isEmpty();
        assertThat(inTheBucket(P0)).isEqualTo(20);
        assertThat(inTheBucket(P1)).isEqualTo(30);
    }

    @Test
    void aMemberWhoseLeaseRanOutInTheCopyIsCheckedAgainstAFreshRead() {
        String c1 = soleMember(a);
        a.commit(commit(c1, 1, P0, 5));
        clock.advance(10_500);                  // past c1's 10 s session, nobody removed it yet
        a.committed("g", null);                 // a's copy is fresh, but shows c1's lease run out
        long reads = counting.snapshot().requests(Operation.GET);
        a.commit(commit(c1, 1, P0, 6));
        assertThat(counting.snapshot().requests(Operation.GET)).isGreaterThan(reads);
        assertThat(inTheBucket(P0)).isEqualTo(6);
    }

    @Test
    void foldingKeepsEveryAnswerAndDeletesTheObjectOfAMemberThatLeft() {
        String m = soleMember(a);
        a.commit(commit(m, 1, P0, 5));
        a.commit(commit(m, 1, P1, 6));
        a.leave("g", List.of(new MemberIdentity(m, null)));
        assertThat(inTheBucket(P0)).isEqualTo(5);
        a.tick();
        assertThat(memory.get(BucketLayout.groupMemberOffsets("g", m))).isEmpty();
        assertThat(inTheBucket(P0)).isEqualTo(5);
        assertThat(inTheBucket(P1)).isEqualTo(6);
    }

    @Test
    void offsetDeleteHidesOlderMemberCommitsBeforeAndAfterTheFold() {
        String m = soleMember(a);
        a.commit(commit(m, 1, P0, 5));
        a.leave("g", List.of(new MemberIdentity(m, null)));
        assertThat(b.deleteOffsets("g", List.of(P0))).isEmpty();
        assertThat(inTheBucket(P0)).isEqualTo(-1);
        a.tick();
        assertThat(inTheBucket(P0)).isEqualTo(-1);
    }

    @Test
    void aCommittedTransactionsOffsetsWinOverOlderMemberCommits() {
        String m = soleMember(a);
        a.commit(commit(m, 1, P0, 5));
        b.commitTransactional("g", Map.of(P0, CommittedOffset.of(9)));
        assertThat(inTheBucket(P0)).isEqualTo(9);
        assertThat(a.committed("g", List.of(P0)).get(P0).offset()).isEqualTo(9);
    }

    @Test
    void deletingTheGroupLeavesNoMemberCommitToANewGroupOfTheSameName() {
        String m = soleMember(a);
        a.commit(commit(m, 1, P0, 5));
        a.leave("g", List.of(new MemberIdentity(m, null)));
        b.deleteGroup("g");
        assertThat(inTheBucket(P0)).isEqualTo(-1);
        String again = soleMember(b);
        assertThat(inTheBucket(P0)).isEqualTo(-1);
        b.commit(commit(again, 1, P1, 3));
        assertThat(inTheBucket(P1)).isEqualTo(3);
        assertThat(inTheBucket(P0)).isEqualTo(-1);
    }
}
