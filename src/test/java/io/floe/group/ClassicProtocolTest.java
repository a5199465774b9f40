package io.floe.group;

import io.floe.runtime.Defaults;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.log.LogEngine;
import io.floe.log.LogSettings;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.TopicPartition;
import io.floe.store.MemoryObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The Kafka classic protocol on two engine instances sharing one bucket, driven by hand (no timers). */
class ClassicProtocolTest {

    final MemoryObjectStore bucket = new MemoryObjectStore();
    final long[] now = {1_700_000_000_000L};
    final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now[0]);
        }
    };
    final LogEngine log = new LogEngine(bucket, clock, new SplittableRandom(1), Defaults.log("l").withBackgroundThreads(false));
    final GroupCoordinator a = coordinator("a");
    final GroupCoordinator b = coordinator("b");

    GroupCoordinator coordinator(String id) {
        return new GroupCoordinator(bucket, log, clock, new SplittableRandom(id.hashCode()),
                Defaults.group(id).withBackgroundThreads(false));
    }

    static JoinRequest join(String memberId, String clientId) {
        return new JoinRequest("g", memberId, null, clientId, "/127.0.0.1", Duration.ofSeconds(10), Duration.ofSeconds(30),
                "consumer", List.of(new Protocol("range", new byte[]{1}), new Protocol("roundrobin", new byte[]{2})),
                Set.of("t"), null);
    }

    @Test
    void twoMembersOnTwoInstancesJoinSyncHeartbeatCommitAndFenceTheOldGeneration() {
        log.createTopic("t", 2, Map.of());
        JoinResult first = a.join(join("", "c1")).join();
        assertThat(first.generation()).isEqualTo(1);
        assertThat(first.isLeader()).isTrue();
        a.sync(new SyncRequest("g", 1, first.memberId(), null, "consumer", "range",
                Map.of(first.memberId(), new MemberAssignment(new byte[]{9}, List.of(new TopicPartition("t", 0), new TopicPartition("t", 1)))))).join();
        a.commit(new OffsetCommit("g", first.memberId(), null, 1, Map.of(new TopicPartition("t", 0), CommittedOffset.of(5)), null));

        // A second member joins through the other instance: the first learns it from its heartbeat.
        CompletableFuture<JoinResult> second = b.join(join("", "c2"));
        assertThat(second).isNotDone();
        now[0] += 1500;
        assertThatThrownBy(() -> a.heartbeat("g", first.memberId(), null, 1))
                .isInstanceOfSatisfying(FloeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.REBALANCE_IN_PROGRESS));
        JoinResult again = a.join(join(first.memberId(), "c1")).join();
        b.tick();
        JoinResult joined = second.join();
        assertThat(again.generation()).isEqualTo(2).isEqualTo(joined.generation());
        assertThat(again.isLeader()).isTrue();
        assertThat(again.members()).hasSize(2);
        assertThat(joined.members()).isEmpty();

        CompletableFuture<SyncResult> followerSync = b.sync(new SyncRequest("g", 2, joined.memberId(), null, null, null, Map.of()));
        assertThat(followerSync).isNotDone();
        a.sync(new SyncRequest("g", 2, again.memberId(), null, "consumer", "range", Map.of(
                again.memberId(), new MemberAssignment(new byte[]{1}, List.of(new TopicPartition("t", 0))),
                joined.memberId(), new MemberAssignment(new byte[]{2}, List.of(new TopicPartition("t", 1)))))).join();
        b.tick();
        assertThat(followerSync.join().assignment()).containsExactly(2);

        // Generation 1 is fenced; generation 2 commits only its own partitions.
        assertThatThrownBy(() -> a.commit(new OffsetCommit("g", first.memberId(), null, 1,
                Map.of(new TopicPartition("t", 0), CommittedOffset.of(7)), null)))
                .isInstanceOfSatisfying(FloeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ILLEGAL_GENERATION));
        assertThat(b.commit(new OffsetCommit("g", joined.memberId(), null, 2,
                Map.of(new TopicPartition("t", 0), CommittedOffset.of(7)), null))).containsEntry(new TopicPartition("t", 0), ErrorCode.NOT_ASSIGNED);
        assertThat(a.committed("g", null).get(new TopicPartition("t", 0)).offset()).isEqualTo(5);

        GroupDescription d = b.describe("g").orElseThrow();
        assertThat(d.state()).isEqualTo(GroupState.STABLE);
        assertThat(d.protocolName()).isEqualTo("range");
        assertThat(d.members()).hasSize(2);
        assertThat(b.listGroups()).extracting(GroupListing::groupId).containsExactly("g");

        // The follower stops heartbeating: after its session timeout the leader is told to rejoin.
        now[0] += 11_000;
        assertThatThrownBy(() -> a.heartbeat("g", again.memberId(), null, 2))
                .isInstanceOfSatisfying(FloeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.REBALANCE_IN_PROGRESS));
        JoinResult alone = a.join(join(again.memberId(), "c1")).join();
        assertThat(alone.generation()).isEqualTo(3);
        assertThat(alone.members()).hasSize(1);

        assertThat(a.leave("g", List.of(new MemberIdentity(again.memberId(), null)))).allMatch(o -> o.error() == null);
        assertThat(a.describe("g").orElseThrow().state()).isEqualTo(GroupState.EMPTY);
        assertThat(a.lag("g")).hasSize(2);
        a.deleteGroup("g");
        assertThat(a.describe("g")).isEmpty();
    }

    @Test
    void deferredCommitsAreWrittenOnceForManyAndVisibleAtOnce() {
        log.createTopic("t", 1, Map.of());
        long before = a.writes();
        for (int i = 1; i <= 10; i++) {
            a.commit(new OffsetCommit("h", "", null, -1, Map.of(new TopicPartition("t", 0), CommittedOffset.of(i)),
                    OffsetCommit.Durability.DEFERRED));
        }
        assertThat(a.committed("h", null).get(new TopicPartition("t", 0)).offset()).isEqualTo(10);
        assertThat(a.writes()).isEqualTo(before);
        now[0] += 5_000;
        a.tick();
        assertThat(b.committed("h", null).get(new TopicPartition("t", 0)).offset()).isEqualTo(10);
        assertThat(a.writes() - before).isEqualTo(1);
    }
}
