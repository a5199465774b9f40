package io.floe.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.log.LogEngine;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.TopicPartition;
import io.floe.runtime.Defaults;
import io.floe.sim.SimClock;
import io.floe.store.CountingObjectStore;
import io.floe.store.MemoryObjectStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The consumer group protocol (KIP-848) through the coordinator, on two instances sharing one bucket. */
class ConsumerGroupCoordinatorTest {

    final MemoryObjectStore bucket = new MemoryObjectStore();
    final CountingObjectStore counted = new CountingObjectStore(bucket);
    final SimClock clock = new SimClock(1_700_000_000_000L);
    final LogEngine log = new LogEngine(counted, clock, new SplittableRandom(1), Defaults.log("l").withBackgroundThreads(false));
    final GroupCoordinator a = coordinator("a");
    final GroupCoordinator b = coordinator("b");

    ConsumerGroupCoordinatorTest() {
        log.createTopic("t", 4, Map.of());
    }

    GroupCoordinator coordinator(String id) {
        return new GroupCoordinator(counted, log, clock, new SplittableRandom(id.hashCode()),
                Defaults.group(id).withBackgroundThreads(false));
    }

    /** Time passes between heartbeats (more than the age of a copy of the group object an instance trusts). */
    void later() {
        clock.advance(1_100);
    }

    static ConsumerHeartbeat join(String member) {
        return new ConsumerHeartbeat("g", member, 0, null, null, 30_000, List.of("t"), null, List.of(), "c", "/h");
    }

    static ConsumerHeartbeat beat(String member, int epoch, List<TopicPartition> owned) {
        return new ConsumerHeartbeat("g", member, epoch, null, null, -1, null, null, owned, "c", "/h");
    }

    @Test
    void aClassicMemberCannotJoinAConsumerGroupNorAConsumerMemberAClassicGroup() {
        a.consumerHeartbeat(join("m1"));
        assertThatThrownBy(() -> b.join(ClassicProtocolTest.join("", "k")).join()).isInstanceOf(CompletionException.class)
                .cause().extracting(e -> ((FloeException) e).code()).isEqualTo(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
        a.consumerHeartbeat(beat("m1", -1, null));
        // Empty again: the classic protocol may take it; then a consumer-protocol join is GROUP_ID_NOT_FOUND.
        b.join(ClassicProtocolTest.join("", "k"));
        assertThatThrownBy(() -> a.consumerHeartbeat(join("m2"))).extracting(e -> ((FloeException) e).code())
                .isEqualTo(ErrorCode.UNKNOWN_GROUP);
        assertThat(a.describeConsumerGroup("g")).isEmpty();
        assertThat(a.listGroups()).singleElement().extracting(GroupListing::type).isEqualTo("classic");
    }

    @Test
    void membersOnTwoInstancesReconcileAndCommitThroughEitherInstance() {
        ConsumerHeartbeatResult m1 = a.consumerHeartbeat(join("m1"));
        assertThat(m1.assignment()).hasSize(4);
        assertThat(m1.heartbeatIntervalMs()).isEqualTo(5_000);
        ConsumerHeartbeatResult m2 = b.consumerHeartbeat(join("m2"));
        assertThat(m2.assignment()).isEmpty();
        later();
        ConsumerHeartbeatResult r = a.consumerHeartbeat(beat("m1", m1.memberEpoch(), m1.assignment()));
        List<TopicPartition> kept = r.assignment();
        assertThat(kept).hasSize(2);
        // Still at its old epoch until it reports the revocation; its commits are accepted at that epoch.
        assertThat(a.commit(new OffsetCommit("g", "m1", null, r.memberEpoch(),
                Map.of(m1.assignment().get(0), CommittedOffset.of(5)), null))).isEmpty();
        r = a.consumerHeartbeat(beat("m1", r.memberEpoch(), r.assignment()));
        assertThat(r.memberEpoch()).isEqualTo(m2.memberEpoch());
        later();
        m2 = b.consumerHeartbeat(beat("m2", m2.memberEpoch(), List.of()));
        assertThat(m2.assignment()).hasSize(2).doesNotContainAnyElementsOf(kept);
        ConsumerGroupDescription d = b.describeConsumerGroup("g").orElseThrow();
        assertThat(d.state()).isEqualTo(GroupState.STABLE);
        assertThat(d.assignor()).isEqualTo("uniform");
        assertThat(a.listGroups()).singleElement().extracting(GroupListing::type).isEqualTo("consumer");
    }

    @Test
    void aMemberThatStopsHeartbeatingIsRemovedAfterItsSessionAndItsPartitionsMove() {
        ConsumerHeartbeatResult m1 = a.consumerHeartbeat(join("m1"));
        ConsumerHeartbeatResult m2 = b.consumerHeartbeat(join("m2"));
        clock.advance(Duration.ofSeconds(25).toMillis());
        m2 = b.consumerHeartbeat(beat("m2", m2.memberEpoch(), List.of()));
        clock.advance(Duration.ofSeconds(21).toMillis()); // m1 has been silent for 46 s: past its 45 s session
        m2 = b.consumerHeartbeat(beat("m2", m2.memberEpoch(), List.of()));
        assertThat(m2.assignment()).hasSize(4);
        assertThatThrownBy(() -> a.consumerHeartbeat(beat("m1", 1, List.of()))).extracting(e -> ((FloeException) e).code())
                .isEqualTo(ErrorCode.UNKNOWN_MEMBER);
    }

    @Test
    void aMemberHearsOfANewTargetWithinTheAgeOfItsInstancesCopy() {
        ConsumerHeartbeatResult m1 = a.consumerHeartbeat(join("m1"));
        b.consumerHeartbeat(join("m2"));
        // a's copy is younger than a second: no news yet, and no request to the bucket for it
        assertThat(a.consumerHeartbeat(beat("m1", m1.memberEpoch(), m1.assignment())).assignment()).isNull();
        later();
        assertThat(a.consumerHeartbeat(beat("m1", m1.memberEpoch(), m1.assignment())).assignment()).hasSize(2);
    }

    @Test
    void aMemberThatKeepsRevokedPartitionsPastItsRebalanceTimeoutIsRemoved() {
        ConsumerHeartbeatResult m1 = a.consumerHeartbeat(join("m1"));
        b.consumerHeartbeat(join("m2"));
        later();
        a.consumerHeartbeat(beat("m1", m1.memberEpoch(), m1.assignment())); // told to revoke 2
        for (int i = 0; i < 6; i++) { // up to its 30 s rebalance timeout
            clock.advance(5_000);
            a.consumerHeartbeat(beat("m1", m1.memberEpoch(), null)); // heartbeats, never revokes
        }
        clock.advance(1_000);
        assertThatThrownBy(() -> a.consumerHeartbeat(beat("m1", m1.memberEpoch(), null)))
                .extracting(e -> ((FloeException) e).code()).isEqualTo(ErrorCode.UNKNOWN_MEMBER);
    }

    @Test
    void aStableGroupWritesOnlyToRenewLeases() {
        ConsumerHeartbeatResult m1 = a.consumerHeartbeat(join("m1"));
        ConsumerHeartbeatResult m2 = b.consumerHeartbeat(join("m2"));
        later();
        List<TopicPartition> kept = a.consumerHeartbeat(beat("m1", m1.memberEpoch(), m1.assignment())).assignment();
        m1 = a.consumerHeartbeat(beat("m1", m1.memberEpoch(), kept));
        later();
        m2 = b.consumerHeartbeat(beat("m2", m2.memberEpoch(), List.of()));
        assertThat(a.describeConsumerGroup("g").orElseThrow().state()).isEqualTo(GroupState.STABLE);
        long writes = a.writes() + b.writes();
        CountingObjectStore.Counts before = counted.snapshot();
        long hour = Duration.ofHours(1).toMillis();
        for (long t = 0; t < hour; t += 5_000) {
            clock.advance(5_000);
            m1 = a.consumerHeartbeat(beat("m1", m1.memberEpoch(), null));
            m2 = b.consumerHeartbeat(beat("m2", m2.memberEpoch(), null));
        }
        long perMemberHour = (a.writes() + b.writes() - writes) / 2;
        long requestsPerMemberHour = counted.snapshot().minus(before).totalRequests() / 2;
        System.out.printf("stable consumer group: %d writes, %d store requests per member-hour%n", perMemberHour,
                requestsPerMemberHour);
        // Measured 1,188: each heartbeat (720 an hour) reads the group object once its copy is older than a
        // second, each renewal is a read and a write (2 x 144), and the topic's metadata is read again when stale.
        assertThat(requestsPerMemberHour).as("store requests per member-hour").isLessThanOrEqualTo(1_200);
        // A lease is renewed once less than half of it is left: with 45 s sessions and 5 s heartbeats every
        // fifth heartbeat (25 s) writes, 144 writes per member-hour; the others are answered from the copy.
        assertThat(perMemberHour).as("writes per member-hour").isBetween(140L, 150L);
        assertThat(a.describeConsumerGroup("g").orElseThrow().groupEpoch()).isEqualTo(2);
    }
}
