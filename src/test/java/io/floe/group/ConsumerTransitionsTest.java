package io.floe.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.TopicPartition;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ConsumerTransitionsTest {

    private static final long SESSION = 45_000;
    private final Function<String, Integer> counts = t -> t.equals("t") ? 4 : t.equals("u") ? 2 : null;
    private final GroupDoc d = GroupDoc.empty("g");
    private long now = 1_000;

    private static TopicPartition tp(int p) {
        return new TopicPartition("t", p);
    }

    private ConsumerHeartbeatResult beat(String member, int epoch, List<TopicPartition> owned) {
        return beat(member, epoch, owned, null, null);
    }

    private ConsumerHeartbeatResult beat(String member, int epoch, List<TopicPartition> owned, String assignor,
                                         String instance) {
        ConsumerHeartbeat r = new ConsumerHeartbeat("g", member, epoch, instance, null, epoch == 0 ? 30_000 : -1,
                epoch == 0 ? List.of("t") : null, assignor, owned, "c", "/h");
        ConsumerHeartbeatResult out = ConsumerTransitions.heartbeat(d, r, now, SESSION, counts);
        assertNoPartitionHeldTwice();
        return out;
    }

    private void assertNoPartitionHeldTwice() {
        Set<TopicPartition> seen = new HashSet<>();
        for (GroupDoc.Member m : d.members.values()) {
            for (TopicPartition tp : m.assignment.partitions()) {
                assertThat(seen.add(tp)).as("held twice: " + tp).isTrue();
            }
            for (TopicPartition tp : m.consumer.pendingRevocation) {
                assertThat(seen.add(tp)).as("held twice: " + tp).isTrue();
            }
        }
    }

    @Test
    void aSecondMemberGetsItsShareOnlyAfterTheFirstRevokedIt() {
        ConsumerHeartbeatResult a = beat("a", 0, List.of());
        assertThat(a.memberEpoch()).isEqualTo(1);
        assertThat(a.assignment()).containsExactly(tp(0), tp(1), tp(2), tp(3));
        assertThat(d.state).isEqualTo(GroupState.STABLE);

        ConsumerHeartbeatResult b = beat("b", 0, List.of());
        assertThat(d.generation).isEqualTo(2);
        assertThat(b.memberEpoch()).isEqualTo(2);
        assertThat(b.assignment()).isEmpty(); // its target is held by a
        assertThat(d.state).isEqualTo(GroupState.RECONCILING);

        ConsumerHeartbeatResult a2 = beat("a", 1, List.of(tp(0), tp(1), tp(2), tp(3)));
        assertThat(a2.memberEpoch()).isEqualTo(1); // must revoke first
        assertThat(a2.assignment()).hasSize(2);
        List<TopicPartition> kept = a2.assignment();

        assertThat(beat("b", 2, List.of()).assignment()).as("nothing released yet").isNull();

        ConsumerHeartbeatResult a3 = beat("a", 1, kept);
        assertThat(a3.memberEpoch()).isEqualTo(2);
        ConsumerHeartbeatResult b2 = beat("b", 2, List.of());
        assertThat(b2.assignment()).hasSize(2).doesNotContainAnyElementsOf(kept);
        assertThat(d.state).isEqualTo(GroupState.STABLE);
    }

    @Test
    void theGroupObjectKeepsEveryConsumerProtocolFieldThroughEncoding() {
        beat("a", 0, List.of());
        beat("b", 0, List.of(), "uniform", "i-b");
        beat("a", 1, List.of(tp(0), tp(1), tp(2), tp(3)));
        byte[] bytes = GroupFormat.encode(d);
        GroupDoc back = GroupFormat.decode("k", bytes);
        assertThat(GroupFormat.encode(back)).isEqualTo(bytes);
        assertThat(back.isConsumerGroup()).isTrue();
        assertThat(back.members.get("a").consumer.phase).isEqualTo(Reconciliation.Phase.UNREVOKED_PARTITIONS);
        assertThat(back.members.get("a").consumer.pendingRevocation).hasSize(2);
    }

    @Test
    void aLeavingMemberBumpsTheGroupEpochAndItsPartitionsGoToTheOthers() {
        beat("a", 0, List.of());
        beat("b", 0, List.of());
        ConsumerHeartbeatResult a = beat("a", 1, List.of(tp(0), tp(1), tp(2), tp(3)));
        beat("a", 1, a.assignment());
        beat("b", 2, List.of());
        ConsumerHeartbeatResult left = beat("b", ConsumerHeartbeat.LEAVE_EPOCH, null);
        assertThat(left.memberEpoch()).isEqualTo(-1);
        assertThat(d.generation).isEqualTo(3);
        ConsumerHeartbeatResult back = beat("a", 2, a.assignment());
        assertThat(back.memberEpoch()).isEqualTo(3);
        assertThat(back.assignment()).containsExactly(tp(0), tp(1), tp(2), tp(3));
    }

    @Test
    void epochsAheadOrTooFarBehindAreFenced() {
        beat("a", 0, List.of());
        beat("b", 0, List.of());
        assertThatThrownBy(() -> beat("a", 7, null)).extracting(e -> ((FloeException) e).code())
                .isEqualTo(ErrorCode.FENCED_MEMBER_EPOCH);
        ConsumerHeartbeatResult a = beat("a", 1, List.of(tp(0), tp(1), tp(2), tp(3)));
        beat("a", 1, a.assignment()); // now at epoch 2, previous 1
        // The answer that moved it to 2 was lost: epoch 1 with a subset of its partitions is accepted.
        assertThat(beat("a", 1, a.assignment()).memberEpoch()).isEqualTo(2);
        assertThatThrownBy(() -> beat("a", 0 + 1, List.of(tp(0), tp(1), tp(2), tp(3))))
                .extracting(e -> ((FloeException) e).code()).isEqualTo(ErrorCode.FENCED_MEMBER_EPOCH);
        assertThatThrownBy(() -> beat("nobody", 3, null)).extracting(e -> ((FloeException) e).code())
                .isEqualTo(ErrorCode.UNKNOWN_MEMBER);
    }

    @Test
    void aClassicGroupWithMembersIsNotAConsumerGroup() {
        GroupDoc.Member classic = new GroupDoc.Member();
        classic.memberId = "old";
        d.members.put("old", classic);
        d.protocolType = "consumer";
        assertThatThrownBy(() -> beat("a", 0, List.of())).isInstanceOf(FloeException.class)
                .hasMessageContaining("not a consumer group")
                .extracting(e -> ((FloeException) e).code()).isEqualTo(ErrorCode.UNKNOWN_GROUP);
    }

    @Test
    void anEmptyClassicGroupWithOffsetsBecomesAConsumerGroupKeepingThem() {
        d.putOffset(tp(0), new CommittedOffset(42, -1, "", 1));
        d.generation = 5;
        beat("a", 0, List.of());
        assertThat(d.isConsumerGroup()).isTrue();
        assertThat(d.committed(tp(0)).offset()).isEqualTo(42);
        assertThat(d.members.get("a").consumer.epoch).isEqualTo(6);
    }

    @Test
    void commitsNeedTheCurrentEpochOrAnEpochSinceWhichTheMemberHeldThePartition() {
        beat("a", 0, List.of());
        beat("b", 0, List.of());
        ConsumerHeartbeatResult a = beat("a", 1, List.of(tp(0), tp(1), tp(2), tp(3)));
        List<TopicPartition> kept = a.assignment();
        beat("a", 1, kept); // revoked: a is at epoch 2 and has held `kept` since epoch 1
        TopicPartition gone = new TreeSet<>(List.of(0, 1, 2, 3)).stream().map(ConsumerTransitionsTest::tp)
                .filter(tp -> !kept.contains(tp)).findFirst().orElseThrow();
        Map<TopicPartition, CommittedOffset> o = Map.of(kept.get(0), new CommittedOffset(1, -1, "", -1),
                gone, new CommittedOffset(1, -1, "", -1));
        assertThat(ConsumerTransitions.authorizeCommit(d, new OffsetCommit("g", "a", null, 2, o, null))).isEmpty();
        // KIP-1251: its epoch moved on while the commit was on the way; only the partition it no longer holds is refused.
        assertThat(ConsumerTransitions.authorizeCommit(d, new OffsetCommit("g", "a", null, 1, o, null)))
                .isEqualTo(Map.of(gone, ErrorCode.STALE_MEMBER_EPOCH));
        assertThat(ConsumerTransitions.authorizeCommit(d, new OffsetCommit("g", "a", null, 0, o, null)))
                .containsOnlyKeys(kept.get(0), gone);
        assertThatThrownBy(() -> ConsumerTransitions.authorizeCommit(d, new OffsetCommit("g", "a", null, 3, o, null)))
                .extracting(e -> ((FloeException) e).code()).isEqualTo(ErrorCode.STALE_MEMBER_EPOCH);
        assertThatThrownBy(() -> ConsumerTransitions.authorizeCommit(d, new OffsetCommit("g", "", null, -1, o, null)))
                .extracting(e -> ((FloeException) e).code()).isEqualTo(ErrorCode.UNKNOWN_MEMBER);
        beat("a", ConsumerHeartbeat.LEAVE_EPOCH, null);
        beat("b", ConsumerHeartbeat.LEAVE_EPOCH, null);
        assertThat(ConsumerTransitions.authorizeCommit(d, new OffsetCommit("g", "", null, -1, o, null))).isEmpty();
    }

    @Test
    void theAssignorMostMembersAskForIsUsed() {
        beat("a", 0, List.of(), "range", null);
        assertThat(d.protocolName).isEqualTo("range");
        assertThatThrownBy(() -> beat("b", 0, List.of(), "sticky", null))
                .extracting(e -> ((FloeException) e).code()).isEqualTo(ErrorCode.UNSUPPORTED_ASSIGNOR);
    }

    @Test
    void aStaticMemberThatLeavesForAWhileComesBackToItsPartitions() {
        ConsumerHeartbeatResult a = beat("a1", 0, List.of(), null, "i-a");
        int epoch = a.memberEpoch();
        assertThat(beat("a1", ConsumerHeartbeat.LEAVE_STATIC_EPOCH, null, null, "i-a").memberEpoch()).isEqualTo(-2);
        assertThat(d.members.get("a1").assignment.partitions()).hasSize(4);
        int groupEpoch = d.generation;
        beat("a3", 0, List.of(), null, "i-b");
        ConsumerHeartbeatResult back = beat("a2", 0, List.of(), null, "i-a");
        assertThat(d.members).doesNotContainKey("a1");
        assertThat(back.memberEpoch()).isGreaterThanOrEqualTo(epoch);
        assertThat(d.generation).isEqualTo(groupEpoch + 1); // only i-b's join bumped it
        assertThatThrownBy(() -> beat("a4", 0, List.of(), null, "i-a"))
                .extracting(e -> ((FloeException) e).code()).isEqualTo(ErrorCode.UNRELEASED_INSTANCE_ID);
    }
}
