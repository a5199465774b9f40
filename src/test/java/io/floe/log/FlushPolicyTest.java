package io.floe.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FlushPolicyTest {

    private final FlushPolicy policy = new FlushPolicy(Duration.ofMillis(10), 1000, 50, 3);

    @Test
    void anEmptyBufferIsNeverDue() {
        assertThat(policy.millisUntilFlush(0, 0, 0, 1_000_000, 0)).isEqualTo(FlushPolicy.IDLE);
    }

    @Test
    void aBufferWaitsOutTheLingerCountedFromItsOldestRecord() {
        assertThat(policy.millisUntilFlush(10, 1, 100, 100, 0)).isEqualTo(10);
        assertThat(policy.millisUntilFlush(10, 1, 100, 104, 0)).isEqualTo(6);
        assertThat(policy.millisUntilFlush(10, 1, 100, 110, 0)).isZero();
        assertThat(policy.millisUntilFlush(10, 1, 100, 500, 0)).as("overdue is now, not negative").isZero();
    }

    @Test
    void enoughBytesOrRecordsFlushAtOnce() {
        assertThat(policy.millisUntilFlush(999, 49, 100, 100, 0)).isEqualTo(10);
        assertThat(policy.millisUntilFlush(1000, 1, 100, 100, 0)).isZero();
        assertThat(policy.millisUntilFlush(5, 50, 100, 100, 0)).isZero();
    }

    @Test
    void whileAFlushIsInFlightOnlyAFullBufferStartsAnother() {
        assertThat(policy.millisUntilFlush(10, 1, 100, 5000, 1)).as("linger long past, but a flush is in flight")
                .isEqualTo(FlushPolicy.IDLE);
        assertThat(policy.millisUntilFlush(1000, 1, 100, 100, 1)).isZero();
        assertThat(policy.millisUntilFlush(1000, 1, 100, 100, 2)).isZero();
    }

    @Test
    void noMoreThanMaxInFlightFlushesOverlap() {
        assertThat(policy.millisUntilFlush(1_000_000, 1000, 100, 5000, 3)).isEqualTo(FlushPolicy.IDLE);
    }

    @Test
    void aZeroLingerFlushesEveryRecordAtOnce() {
        FlushPolicy eager = new FlushPolicy(Duration.ZERO, 1000, 50, 1);
        assertThat(eager.millisUntilFlush(1, 1, 100, 100, 0)).isZero();
    }
}
