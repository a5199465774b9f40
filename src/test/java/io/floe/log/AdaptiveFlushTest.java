package io.floe.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The adaptive hold of {@link FlushPolicy} (D91) with the {@link WriteRate} that feeds it, driven by a
 * hand-moved clock: flush objects grow with a sustained write rate, and at low rates, or when the
 * senders stop to wait for their acknowledgements, a flush still goes out after the linger.
 */
class AdaptiveFlushTest {

    private static final long MIB = 1 << 20;
    /** Floe's defaults: linger 10 ms, hold up to 500 ms, 16 MiB objects, 3 flushes in flight. */
    private final FlushPolicy policy = new FlushPolicy(Duration.ofMillis(10), Duration.ofMillis(500), 16 * MIB, 1_000_000, 3);

    @Test
    void atALowRateTheHoldIsTheLinger() {
        assertThat(policy.holdMillis(0)).isEqualTo(10);
        assertThat(policy.holdMillis(5_000_000)).as("5 MB/s is below a quarter of 32 MiB/s").isEqualTo(10);
    }

    @Test
    void theHoldGrowsLinearlyWithTheRateUpToMaxLinger() {
        long full = 32 * MIB;   // bytes per second that fill max-bytes (16 MiB) in max-linger (500 ms)
        assertThat(policy.holdMillis(full / 4)).isEqualTo(10);
        assertThat(policy.holdMillis(full / 4 + (full - full / 4) / 2)).isEqualTo(255);
        assertThat(policy.holdMillis(full)).isEqualTo(500);
        assertThat(policy.holdMillis(10 * full)).isEqualTo(500);
    }

    @Test
    void whileRecordsKeepArrivingFastAFlushWaitsForTheHold() {
        var b = new FlushPolicy.Buffered(4 * MIB, 4096, 1000, 1100, 40 * MIB);
        assertThat(policy.millisUntilFlush(b, 1100, 0)).as("due if no append comes within the linger").isEqualTo(10);
        var still = new FlushPolicy.Buffered(8 * MIB, 8192, 1000, 1400, 40 * MIB);
        assertThat(policy.millisUntilFlush(still, 1400, 0)).isEqualTo(10);
        var last = new FlushPolicy.Buffered(15 * MIB, 15000, 1000, 1495, 40 * MIB);
        assertThat(policy.millisUntilFlush(last, 1495, 0)).as("the hold ends 500 ms after the oldest record").isEqualTo(5);
    }

    @Test
    void whenTheAppendsStopTheFlushGoesOutAfterTheLingerWhateverTheRate() {
        // A window-bound producer (Kafka's default: 5 requests in flight) sends its window and waits:
        // holding the flush longer would only delay it.
        var b = new FlushPolicy.Buffered(640 * 1024, 640, 1000, 1003, 40 * MIB);
        assertThat(policy.millisUntilFlush(b, 1005, 0)).as("the linger first").isEqualTo(5);
        assertThat(policy.millisUntilFlush(b, 1013, 0)).isZero();
    }

    @Test
    void aFullBufferFlushesAtOnceWhateverTheHold() {
        var b = new FlushPolicy.Buffered(16 * MIB, 16384, 1000, 1000, 64 * MIB);
        assertThat(policy.millisUntilFlush(b, 1000, 0)).isZero();
        assertThat(policy.millisUntilFlush(b, 1000, 2)).as("overlapping segment PUTs, as before").isZero();
        assertThat(policy.millisUntilFlush(b, 1000, 3)).isEqualTo(FlushPolicy.IDLE);
    }

    @Test
    void theRateIsWhatArrivedInTheLastSecond() {
        WriteRate rate = new WriteRate();
        for (long t = 0; t < 1000; t += 10) {
            rate.add(50_000, t);             // 5 MB/s for one second
        }
        assertThat(rate.bytesPerSecond(999)).isEqualTo(5_000_000);
        assertThat(rate.bytesPerSecond(1499)).as("half of it is older than a second").isEqualTo(2_500_000);
        assertThat(rate.bytesPerSecond(2100)).isZero();
        rate.add(1_000, 2100);
        assertThat(rate.bytesPerSecond(2100)).isEqualTo(1_000);
    }

    /**
     * A steady producer appending every millisecond, a flush loop asking the policy, flushes that take
     * {@code putMs} to commit, and the buffer draining at most one object: what size do flushes reach,
     * and how long does the oldest record wait for its flush to start?
     */
    private record Outcome(long meanFlushBytes, long maxFlushBytes, long maxWaitMs) {
    }

    private Outcome steady(long bytesPerSecond, long putMs, long seconds) {
        WriteRate rate = new WriteRate();
        List<long[]> buffered = new ArrayList<>();   // {bytes, arrivalMs}
        long bytes = 0;
        long newest = 0;
        List<Long> flushes = new ArrayList<>();
        List<Long> inFlightUntil = new ArrayList<>();
        long maxWait = 0;
        for (long now = 0; now < seconds * 1000; now++) {
            long now0 = now;
            inFlightUntil.removeIf(t -> t <= now0);
            long append = bytesPerSecond / 1000;
            buffered.add(new long[] {append, now});
            bytes += append;
            newest = now;
            rate.add(append, now);
            while (!buffered.isEmpty()) {
                var b = new FlushPolicy.Buffered(bytes, buffered.size(), buffered.get(0)[1], newest, rate.bytesPerSecond(now));
                if (policy.millisUntilFlush(b, now, inFlightUntil.size()) != 0) {
                    break;
                }
                maxWait = Math.max(maxWait, now - buffered.get(0)[1]);
                long taken = 0;
                while (!buffered.isEmpty() && (taken == 0 || taken + buffered.get(0)[0] <= policy.maxBytes())) {
                    taken += buffered.remove(0)[0];
                }
                bytes -= taken;
                flushes.add(taken);
                inFlightUntil.add(now + putMs);
            }
        }
        List<Long> settled = flushes.subList(flushes.size() / 2, flushes.size());   // after the rate is known
        return new Outcome(settled.stream().mapToLong(Long::longValue).sum() / settled.size(),
                flushes.stream().mapToLong(Long::longValue).max().orElse(0), maxWait);
    }

    @Test
    void flushObjectsGrowWithASustainedRateAndLowRatesKeepTheLinger() {
        Outcome slow = steady(1_000_000, 30, 4);
        Outcome probe = steady(5_000_000, 30, 4);
        Outcome busy = steady(20_000_000, 100, 4);
        Outcome fast = steady(50_000_000, 200, 6);
        assertThat(slow.maxWaitMs()).as("1 MB/s: a flush waits the linger, or for the one in flight").isLessThanOrEqualTo(30);
        assertThat(probe.maxWaitMs()).as("5 MB/s: likewise").isLessThanOrEqualTo(30);
        assertThat(probe.meanFlushBytes()).isLessThan(200_000);
        assertThat(busy.meanFlushBytes()).isGreaterThan(probe.meanFlushBytes() * 4);
        assertThat(fast.meanFlushBytes()).as("50 MB/s: objects near the cap").isGreaterThan(14 * MIB);
        assertThat(fast.maxFlushBytes()).isLessThanOrEqualTo(16 * MIB);
        assertThat(fast.maxWaitMs()).isLessThanOrEqualTo(500);
    }
}
