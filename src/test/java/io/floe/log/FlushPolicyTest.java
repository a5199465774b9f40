package io.floe.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FlushPolicyTest {

    private final FlushPolicy policy = new FlushPolicy(Duration.ofMillis(10), 1000, 50);

    @Test
    void anEmptyBufferIsNeverDue() {
        assertThat(policy.millisUntilFlush(0, 0, 0, 1_000_000)).isEqualTo(FlushPolicy.IDLE);
    }

    @Test
    void aBufferWaitsOutTheLingerCountedFromItsOldestRecord() {
        assertThat(policy.millisUntilFlush(10, 1, 100, 100)).isEqualTo(10);
        assertThat(policy.millisUntilFlush(10, 1, 100, 104)).isEqualTo(6);
        assertThat(policy.millisUntilFlush(10, 1, 100, 110)).isZero();
        assertThat(policy.millisUntilFlush(10, 1, 100, 500)).as("overdue is now, not negative").isZero();
    }

    @Test
    void enoughBytesOrRecordsFlushAtOnce() {
        assertThat(policy.millisUntilFlush(999, 49, 100, 100)).isEqualTo(10);
        assertThat(policy.millisUntilFlush(1000, 1, 100, 100)).isZero();
        assertThat(policy.millisUntilFlush(5, 50, 100, 100)).isZero();
    }

    @Test
    void aZeroLingerFlushesEveryRecordAtOnce() {
        FlushPolicy eager = new FlushPolicy(Duration.ZERO, 1000, 50);
        assertThat(eager.millisUntilFlush(1, 1, 100, 100)).isZero();
    }
}
