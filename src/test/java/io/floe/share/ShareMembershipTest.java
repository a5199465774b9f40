package io.floe.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ShareMembershipTest {

    private static final long T0 = 1_000_000;
    private final Map<String, ShareMembership.TopicInfo> topics = new HashMap<>(Map.of(
            "orders", new ShareMembership.TopicInfo("id-orders", 3), "audit", new ShareMembership.TopicInfo("id-audit", 1)));
    private final ShareMembership.Topics view = new ShareMembership.Topics() {
        @Override
        public Optional<ShareMembership.TopicInfo> topic(String name) {
            return Optional.ofNullable(topics.get(name));
        }

        @Override
        public long initialStart(String topic, int partition, String reset) {
            return reset.equals(ShareGroupDoc.EARLIEST) ? 0 : 100 + partition;
        }
    };

    private ShareMembership.Step beat(ShareGroupDoc doc, String member, int epoch, List<String> subscribed, long now) {
        return ShareMembership.heartbeat(doc, new ShareHeartbeat("g", member, epoch, "c", "/h", null, subscribed),
                now, 45_000, 5_000, 0.5, view);
    }

    @Test
    void aJoiningMemberGetsEveryPartitionOfItsTopicsAndTheNextEpoch() {
        var s = beat(ShareGroupDoc.empty("g"), "m1", 0, List.of("orders"), T0);
        assertThat(s.result().memberEpoch()).isEqualTo(1);
        assertThat(s.result().assignment()).containsExactly(Map.entry("orders", List.of(0, 1, 2)));
        assertThat(s.next().groupEpoch()).isEqualTo(1);
        assertThat(s.next().starts().get("orders").startOffsets()).containsExactly(Map.entry(0, 100L), Map.entry(1, 101L),
                Map.entry(2, 102L));
    }

    @Test
    void everyMemberGetsAllPartitions() {
        var one = beat(ShareGroupDoc.empty("g"), "m1", 0, List.of("orders"), T0);
        var two = beat(one.next(), "m2", 0, List.of("orders", "audit"), T0);
        assertThat(two.result().assignment()).containsOnlyKeys("audit", "orders");
        assertThat(two.next().members().get("m1").assignment()).containsExactly(Map.entry("orders", List.of(0, 1, 2)));
        assertThat(two.next().groupEpoch()).isEqualTo(2);
    }

    @Test
    void aStableHeartbeatWritesNothingUntilTheLeaseIsDue() {
        var joined = beat(ShareGroupDoc.empty("g"), "m1", 0, List.of("orders"), T0).next();
        var quiet = beat(joined, "m1", 1, null, T0 + 5_000);
        assertThat(quiet.next()).isNull();
        assertThat(quiet.result().assignment()).isNull();
        var due = beat(joined, "m1", 1, null, T0 + 23_000);
        assertThat(due.next().members().get("m1").leaseExpiresAtMs()).isEqualTo(T0 + 23_000 + 45_000);
        assertThat(due.next().groupEpoch()).isEqualTo(1);
    }

    @Test
    void aStaleEpochIsFenced() {
        var joined = beat(ShareGroupDoc.empty("g"), "m1", 0, List.of("orders"), T0).next();
        assertThatThrownBy(() -> beat(joined, "m1", 7, null, T0)).isInstanceOfSatisfying(FloeException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.FENCED_MEMBER_EPOCH));
    }

    @Test
    void anUnknownMemberMustJoinAgain() {
        assertThatThrownBy(() -> beat(ShareGroupDoc.empty("g"), "m1", 3, null, T0)).isInstanceOfSatisfying(FloeException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_MEMBER));
    }

    @Test
    void aMemberWhoseLeasePassedIsRemovedByTheNextChange() {
        var joined = beat(ShareGroupDoc.empty("g"), "m1", 0, List.of("orders"), T0).next();
        var later = beat(joined, "m2", 0, List.of("orders"), T0 + 46_000);
        assertThat(later.next().members()).containsOnlyKeys("m2");
        assertThatThrownBy(() -> beat(later.next(), "m1", 1, null, T0 + 46_000)).isInstanceOf(FloeException.class);
    }

    @Test
    void aNewPartitionBumpsTheMembersEpochAndIsAssigned() {
        var joined = beat(ShareGroupDoc.empty("g"), "m1", 0, List.of("orders"), T0).next();
        topics.put("orders", new ShareMembership.TopicInfo("id-orders", 4));
        var s = beat(joined, "m1", 1, null, T0 + 1);
        assertThat(s.result().memberEpoch()).isEqualTo(2);
        assertThat(s.result().assignment().get("orders")).containsExactly(0, 1, 2, 3);
        assertThat(s.next().starts().get("orders").startOffsets()).containsEntry(0, 100L).containsEntry(3, 103L);
    }

    @Test
    void aTopicCreatedAfterSubscribingIsAssignedAtTheNextHeartbeat() {
        var joined = beat(ShareGroupDoc.empty("g"), "m1", 0, List.of("later"), T0);
        assertThat(joined.result().assignment()).isEmpty();
        topics.put("later", new ShareMembership.TopicInfo("id-later", 1));
        assertThat(beat(joined.next(), "m1", 1, null, T0 + 1).result().assignment()).containsOnlyKeys("later");
    }

    @Test
    void leavingRemovesTheMember() {
        var joined = beat(ShareGroupDoc.empty("g"), "m1", 0, List.of("orders"), T0).next();
        var left = beat(joined, "m1", -1, null, T0);
        assertThat(left.result().memberEpoch()).isEqualTo(-1);
        assertThat(left.next().members()).isEmpty();
        assertThat(left.next().state()).isEqualTo("Empty");
    }

    @Test
    void startOffsetsOnceFixedDoNotMove() {
        var one = beat(ShareGroupDoc.empty("g"), "m1", 0, List.of("orders"), T0).next();
        var two = beat(one.withAutoOffsetReset(ShareGroupDoc.EARLIEST), "m2", 0, List.of("orders"), T0).next();
        assertThat(two.starts().get("orders").startOffsets()).containsEntry(0, 100L);
        assertThat(ShareGroupFormat.decode("k", ShareGroupFormat.encode(two))).isEqualTo(two);
    }
}
