package io.floe.share;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharePartitionStateTest {

    private static final ShareLimits LIMITS = new ShareLimits(3, Duration.ofSeconds(30), 100);
    private static final long T0 = 1_000_000;

    private static SharePartitionState.Acquisition acquire(SharePartitionState s, String member, long from, long to, int max, long now) {
        return s.acquire(member, from, to, o -> true, max, now, LIMITS);
    }

    @Test
    void acquiresNewRecordsFromTheEndOffsetWithDeliveryCountOne() {
        var a = acquire(SharePartitionState.initial(10), "m1", 10, 15, 100, T0);
        assertThat(a.acquired()).containsExactly(new AcquiredRecords(10, 14, 1));
        assertThat(a.state().startOffset()).isEqualTo(10);
        assertThat(a.state().endOffset()).isEqualTo(15);
        assertThat(a.state().inFlight()).containsExactly(new InFlight(10, 14, RecordState.ACQUIRED, 1, "m1", T0 + 30_000));
        a.state().check(3);
    }

    @Test
    void aSecondMemberGetsOnlyRecordsNobodyHolds() {
        var first = acquire(SharePartitionState.initial(0), "m1", 0, 5, 3, T0);
        assertThat(first.acquired()).containsExactly(new AcquiredRecords(0, 2, 1));
        var second = acquire(first.state(), "m2", 0, 5, 100, T0);
        assertThat(second.acquired()).containsExactly(new AcquiredRecords(3, 4, 1));
        assertThat(acquire(second.state(), "m3", 0, 5, 100, T0).acquired()).isEmpty();
    }

    @Test
    void acceptingTheFirstRecordsMovesTheStartOffset() {
        var a = acquire(SharePartitionState.initial(0), "m1", 0, 5, 100, T0);
        var ack = a.state().acknowledge("m1", List.of(new Acknowledgement(0, 2, AckType.ACCEPT)), T0 + 1, LIMITS);
        assertThat(ack.applied()).isTrue();
        assertThat(ack.state().startOffset()).isEqualTo(3);
        assertThat(ack.state().endOffset()).isEqualTo(5);
        ack.state().check(3);
    }

    @Test
    void acknowledgingARecordHeldByAnotherMemberIsRefusedAndChangesNothing() {
        var a = acquire(SharePartitionState.initial(0), "m1", 0, 5, 100, T0);
        var ack = a.state().acknowledge("m2", List.of(new Acknowledgement(0, 0, AckType.ACCEPT)), T0 + 1, LIMITS);
        assertThat(ack.applied()).isFalse();
        assertThat(ack.refusal().reason()).contains("another member");
    }

    @Test
    void acknowledgementsOfAPartitionAreAllOrNone() {
        var a = acquire(SharePartitionState.initial(0), "m1", 0, 3, 100, T0);
        var ack = a.state().acknowledge("m1", List.of(new Acknowledgement(0, 1, AckType.ACCEPT),
                new Acknowledgement(2, 5, AckType.ACCEPT)), T0 + 1, LIMITS);
        assertThat(ack.applied()).isFalse();
        assertThat(ack.refusal().offset()).isEqualTo(3);
        // the first batch was valid, but nothing was applied: the member still holds 0..2
        assertThat(a.state().acknowledge("m1", List.of(new Acknowledgement(0, 2, AckType.ACCEPT)), T0 + 1, LIMITS).applied()).isTrue();
    }

    @Test
    void acknowledgingTwiceIsRefusedTheSecondTime() {
        var a = acquire(SharePartitionState.initial(0), "m1", 0, 3, 100, T0);
        var once = a.state().acknowledge("m1", List.of(new Acknowledgement(1, 1, AckType.ACCEPT)), T0 + 1, LIMITS);
        var twice = once.state().acknowledge("m1", List.of(new Acknowledgement(1, 1, AckType.ACCEPT)), T0 + 2, LIMITS);
        assertThat(twice.applied()).isFalse();
        assertThat(twice.refusal().reason()).contains("ACKNOWLEDGED");
    }

    @Test
    void anExpiredLockMakesTheRecordAvailableAgainAndItsAcknowledgementIsRefused() {
        var a = acquire(SharePartitionState.initial(0), "m1", 0, 2, 100, T0);
        long after = T0 + 30_000;
        var late = a.state().acknowledge("m1", List.of(new Acknowledgement(0, 1, AckType.ACCEPT)), after, LIMITS);
        assertThat(late.applied()).isFalse();
        assertThat(late.refusal().reason()).contains("AVAILABLE");
        var again = acquire(a.state(), "m2", 0, 2, 100, after);
        assertThat(again.acquired()).containsExactly(new AcquiredRecords(0, 1, 2));
    }

    @Test
    void aLockStillValidOneMillisecondBeforeItsDeadlineCanBeAcknowledged() {
        var a = acquire(SharePartitionState.initial(0), "m1", 0, 1, 100, T0);
        assertThat(a.state().acknowledge("m1", List.of(new Acknowledgement(0, 0, AckType.ACCEPT)), T0 + 29_999, LIMITS).applied())
                .isTrue();
    }

    @Test
    void releasedRecordsAreRedeliveredUntilTheDeliveryLimitThenArchived() {
        SharePartitionState s = SharePartitionState.initial(0);
        for (int delivery = 1; delivery <= 3; delivery++) {
            var a = acquire(s, "m1", 0, 1, 100, T0);
            assertThat(a.acquired()).containsExactly(new AcquiredRecords(0, 0, delivery));
            var r = a.state().acknowledge("m1", List.of(new Acknowledgement(0, 0, AckType.RELEASE)), T0, LIMITS);
            assertThat(r.applied()).isTrue();
            s = r.state();
        }
        // the third release reached the limit (3): archived, so the start offset moved past it
        assertThat(s.startOffset()).isEqualTo(1);
        assertThat(acquire(s, "m1", 0, 1, 100, T0).acquired()).isEmpty();
    }

    @Test
    void lockExpiryAtTheDeliveryLimitArchives() {
        SharePartitionState s = SharePartitionState.initial(0);
        long now = T0;
        for (int delivery = 1; delivery <= 3; delivery++) {
            var a = acquire(s, "m" + delivery, 0, 1, 100, now);
            assertThat(a.acquired()).hasSize(1);
            s = a.state();
            now += 30_000;
        }
        assertThat(s.at(now, LIMITS).startOffset()).isEqualTo(1);
        assertThat(acquire(s, "m9", 0, 1, 100, now).acquired()).isEmpty();
    }

    @Test
    void rejectAndGapArchiveAtOnce() {
        var a = acquire(SharePartitionState.initial(0), "m1", 0, 2, 100, T0);
        var r = a.state().acknowledge("m1", List.of(new Acknowledgement(0, 1, List.of(AckType.REJECT, AckType.GAP))), T0, LIMITS);
        assertThat(r.state().startOffset()).isEqualTo(2);
        assertThat(r.state().inFlight()).isEmpty();
    }

    @Test
    void offsetsTheLogDoesNotHoldAreArchivedNotDelivered() {
        var a = SharePartitionState.initial(0).acquire("m1", 0, 6, o -> o % 2 == 0, 100, T0, LIMITS);
        assertThat(a.acquired()).containsExactly(new AcquiredRecords(0, 0, 1), new AcquiredRecords(2, 2, 1), new AcquiredRecords(4, 4, 1));
        assertThat(a.state().endOffset()).isEqualTo(6);
    }

    @Test
    void theInFlightLimitCapsNewAcquisitionsButNotRedeliveries() {
        ShareLimits small = new ShareLimits(5, Duration.ofSeconds(30), 4);
        var a = SharePartitionState.initial(0).acquire("m1", 0, 10, o -> true, 100, T0, small);
        assertThat(a.acquired()).containsExactly(new AcquiredRecords(0, 3, 1));
        assertThat(a.state().nextDeliverable(T0, small)).isEqualTo(-1);
        var rel = a.state().acknowledge("m1", List.of(new Acknowledgement(2, 2, AckType.RELEASE)), T0, small);
        assertThat(rel.state().nextDeliverable(T0, small)).isEqualTo(2);
        assertThat(rel.state().acquire("m2", 2, 10, o -> true, 100, T0, small).acquired()).containsExactly(new AcquiredRecords(2, 2, 2));
    }

    @Test
    void maxRecordsBoundsOneAcquisition() {
        var a = acquire(SharePartitionState.initial(0), "m1", 0, 50, 7, T0);
        assertThat(a.count()).isEqualTo(7);
    }

    @Test
    void releasingAMemberGivesBackOnlyItsRecords() {
        var a = acquire(SharePartitionState.initial(0), "m1", 0, 2, 100, T0);
        var b = acquire(a.state(), "m2", 0, 4, 100, T0);
        SharePartitionState released = b.state().releaseMember("m1", T0, LIMITS);
        assertThat(released.runOf(0).state()).isEqualTo(RecordState.AVAILABLE);
        assertThat(released.runOf(0).deliveryCount()).isEqualTo(1);
        assertThat(released.runOf(2).memberId()).isEqualTo("m2");
        assertThat(b.state().releaseMember("m7", T0, LIMITS)).isEqualTo(b.state());
    }

    @Test
    void advancingTheStartArchivesEverythingBeforeIt() {
        var a = acquire(SharePartitionState.initial(0), "m1", 0, 5, 100, T0);
        SharePartitionState s = a.state().advanceStartTo(3);
        assertThat(s.startOffset()).isEqualTo(3);
        assertThat(s.acknowledge("m1", List.of(new Acknowledgement(1, 1, AckType.ACCEPT)), T0, LIMITS).refusal().reason())
                .contains("before the share-partition start offset");
        assertThat(SharePartitionState.initial(0).advanceStartTo(10).startOffset()).isEqualTo(10);
        assertThat(s.advanceStartTo(1)).isEqualTo(s);
    }

    @Test
    void dataThatDoesNotContinueTheWindowIsNotAcquired() {
        var a = acquire(SharePartitionState.initial(0), "m1", 5, 10, 100, T0);
        assertThat(a.acquired()).isEmpty();
        assertThat(a.state().endOffset()).isZero();
    }

    @Test
    void theStateSurvivesItsJsonForm() {
        var a = acquire(SharePartitionState.initial(7), "m1", 7, 12, 2, T0);
        var b = a.state().acknowledge("m1", List.of(new Acknowledgement(7, 7, AckType.RELEASE)), T0, LIMITS).state();
        var c = acquire(b, "m2", 7, 12, 100, T0);
        byte[] bytes = SharePartitionFormat.encode("g", "t1", 0, c.state(), "w:1", T0);
        assertThat(SharePartitionFormat.decode("k", bytes)).isEqualTo(c.state());
    }
}
