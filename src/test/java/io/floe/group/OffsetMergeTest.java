package io.floe.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.model.TopicPartition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The merge rule of committed offsets (D88), on decoded objects: pure, no store. */
class OffsetMergeTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    private static GroupDoc group(long version) {
        GroupDoc d = GroupDoc.empty("g");
        d.incarnation = "inc";
        d.version = version;
        return d;
    }

    private static MemberOffsets member(String id, String incarnation, TopicPartition tp, long offset, long version, long seq) {
        String key = MemberOffsetObjects.key("g", id);
        return new MemberOffsets("g", id, incarnation, "w", Map.of(tp, new MemberOffsets.Entry(CommittedOffset.of(offset),
                new OffsetStamp(version, OffsetStamp.MEMBER, 1000, key, seq))));
    }

    /** Encodes and decodes, as every reader sees the objects. */
    private static GroupDoc stored(GroupDoc d) {
        return GroupFormat.decode("k", GroupFormat.encode(d));
    }

    private static MemberOffsets stored(MemberOffsets m) {
        return MemberOffsets.decode("k", m.encode());
    }

    @Test
    void aNewerGenerationsMemberCommitOutranksAnOlderOnesWhateverTheOrderRead() {
        GroupDoc d = stored(group(20));
        MemberOffsets older = stored(member("c1", "inc", P0, 50, 10, 9));
        MemberOffsets newer = stored(member("c2", "inc", P0, 40, 15, 1));
        assertThat(OffsetMerge.merged(d, List.of(older, newer)).get(P0).offset()).isEqualTo(40);
        assertThat(OffsetMerge.merged(d, List.of(newer, older)).get(P0).offset()).isEqualTo(40);
    }

    @Test
    void aGroupWriteOutranksMemberCommitsAcceptedBeforeItAndIsOutrankedByThoseAcceptedAfter() {
        GroupDoc d = group(29);
        d.putOffset(P0, CommittedOffset.of(9));          // a transaction's offsets, written at version 30
        d.putOffset(P1, CommittedOffset.of(9));
        d.version = 30;
        d = stored(d);
        MemberOffsets before = stored(member("c1", "inc", P0, 5, 29, 1));
        MemberOffsets after = stored(member("c2", "inc", P1, 11, 30, 1));
        var merged = OffsetMerge.merged(d, List.of(before, after));
        assertThat(merged.get(P0).offset()).isEqualTo(9);
        assertThat(merged.get(P1).offset()).isEqualTo(11);
    }

    @Test
    void anOffsetDeleteHidesOlderMemberCommitsButNotNewerOnes() {
        GroupDoc d = group(40);
        d.removeOffset(P0);                               // OffsetDelete at version 41
        d.version = 41;
        d = stored(d);
        assertThat(OffsetMerge.merged(d, List.of(stored(member("c1", "inc", P0, 5, 40, 7))))).doesNotContainKey(P0);
        assertThat(OffsetMerge.merged(d, List.of(stored(member("c2", "inc", P0, 6, 41, 1)))).get(P0).offset()).isEqualTo(6);
    }

    @Test
    void memberObjectsOfAnotherIncarnationCountForNothing() {
        GroupDoc d = stored(group(3));
        assertThat(OffsetMerge.merged(d, List.of(stored(member("c1", "old", P0, 5, 99, 1))))).isEmpty();
    }

    @Test
    void foldingChangesNoAnswerAndKeepsTheStamps() {
        GroupDoc d = group(20);
        d.putOffset(P1, CommittedOffset.of(3));
        d.version = 21;
        d = stored(d);
        List<MemberOffsets> members = List.of(stored(member("c1", "inc", P0, 5, 12, 4)), stored(member("c2", "inc", P1, 8, 25, 2)),
                stored(member("c3", "inc", P1, 1, 19, 9)));
        var answer = OffsetMerge.merged(d, members);
        assertThat(OffsetMerge.fold(d, members)).isTrue();
        GroupDoc folded = stored(d);
        assertThat(OffsetMerge.merged(folded, List.of())).isEqualTo(answer);
        assertThat(OffsetMerge.merged(folded, members)).isEqualTo(answer);
        assertThat(OffsetMerge.fold(folded, members)).isFalse();
        assertThat(folded.stamp(P1)).isEqualTo(members.get(1).offsets().get(P1).stamp());
    }
}
