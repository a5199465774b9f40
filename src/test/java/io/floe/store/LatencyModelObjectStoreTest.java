package io.floe.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.store.FaultInjectingObjectStore.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;

/** The latency model, with a recording sleeper: nothing really sleeps, every run is the same. */
class LatencyModelObjectStoreTest {

    private static final int SAMPLES = 20_000;

    /** Remembers what it was asked to sleep, in milliseconds. */
    static final class RecordingSleeper implements Sleeper {
        final List<Double> millis = new ArrayList<>();

        @Override
        public synchronized void sleep(Duration duration) {
            millis.add(duration.toNanos() / 1e6);
        }

        double percentile(double p) {
            double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)];
        }
    }

    private static RandomGenerator seeded(long seed) {
        return RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
    }

    private static RecordingSleeper putMany(LatencyProfile profile, int size, long seed) {
        RecordingSleeper sleeper = new RecordingSleeper();
        LatencyModelObjectStore store = new LatencyModelObjectStore(new MemoryObjectStore(), profile, seeded(seed), sleeper);
        byte[] body = new byte[size];
        for (int i = 0; i < SAMPLES; i++) {
            store.put("k" + (i % 16), body);
        }
        return sleeper;
    }

    @Test
    void s3StandardSmallPutsHaveMedianNear30msAndLongTail() {
        RecordingSleeper s = putMany(LatencyProfile.S3_STANDARD, 1024, 7);
        assertThat(s.percentile(50)).isBetween(28.0, 32.0);
        assertThat(s.percentile(99)).isBetween(105.0, 135.0);
        assertThat(s.percentile(99.9)).isGreaterThan(s.percentile(99));
        assertThat(s.percentile(1)).isGreaterThan(5.0);
    }

    /** The profile alone, for sizes too large to push through a memory store 20,000 times. */
    private static RecordingSleeper drawMany(LatencyProfile profile, Operation op, long size, long seed) {
        RecordingSleeper sleeper = new RecordingSleeper();
        RandomGenerator random = seeded(seed);
        for (int i = 0; i < SAMPLES; i++) {
            sleeper.sleep(profile.latency(op, size, random));
        }
        return sleeper;
    }

    @Test
    void s3StandardMultiMiBPutsTake200To400ms() {
        RecordingSleeper s = drawMany(LatencyProfile.S3_STANDARD, Operation.PUT, 8 << 20, 7);
        assertThat(s.percentile(50)).isBetween(200.0, 280.0);
        assertThat(s.percentile(99)).isBetween(280.0, 400.0);
    }

    @Test
    void s3ExpressIsSingleDigitMilliseconds() {
        RecordingSleeper s = putMany(LatencyProfile.S3_EXPRESS, 1024, 11);
        assertThat(s.percentile(50)).isBetween(4.5, 5.5);
        assertThat(s.percentile(99)).isBetween(12.0, 18.0);
    }

    @Test
    void latencyGrowsWithObjectSize() {
        double previous = 0;
        for (int size : new int[] {1 << 10, 256 << 10, 1 << 20, 4 << 20, 16 << 20}) {
            double median = drawMany(LatencyProfile.S3_STANDARD, Operation.PUT, size, 3).percentile(50);
            assertThat(median).isGreaterThan(previous);
            previous = median;
        }
    }

    @Test
    void readsPayFirstByteThenTransferOfWhatCameBack() {
        MemoryObjectStore memory = new MemoryObjectStore();
        memory.put("big", new byte[9_000_000]);   // one MD5 of 9 MB, then only reads
        RecordingSleeper sleeper = new RecordingSleeper();
        LatencyModelObjectStore store = new LatencyModelObjectStore(memory, LatencyProfile.S3_STANDARD, seeded(5), sleeper);
        for (int i = 0; i < SAMPLES; i++) {
            store.getRange("big", 0, 100);
        }
        double firstByte = sleeper.percentile(50);
        assertThat(firstByte).isBetween(18.0, 22.0);
        sleeper.millis.clear();
        for (int i = 0; i < 500; i++) {
            store.get("big");
        }
        // 9 MB at 90 MB/s = 100 ms on top of the first byte.
        assertThat(sleeper.percentile(50)).isBetween(firstByte + 95, firstByte + 105);
    }

    @Test
    void sameSeedSameLatencies() {
        assertThat(putMany(LatencyProfile.S3_STANDARD, 4096, 42).millis)
                .isEqualTo(putMany(LatencyProfile.S3_STANDARD, 4096, 42).millis);
    }

    @Test
    void noneAddsNothingAndDrawsNothing() {
        RecordingSleeper sleeper = new RecordingSleeper();
        RandomGenerator random = seeded(1);
        LatencyModelObjectStore store = new LatencyModelObjectStore(new MemoryObjectStore(), LatencyProfile.NONE, random, sleeper);
        store.put("a", new byte[10]);
        store.get("a");
        store.list("", null, 10);
        store.delete("a");
        assertThat(sleeper.millis).isEmpty();
        assertThat(random.nextLong()).isEqualTo(seeded(1).nextLong());
    }

    @Test
    void requestsStillReachTheStore() {
        MemoryObjectStore memory = new MemoryObjectStore();
        LatencyModelObjectStore store = new LatencyModelObjectStore(memory, LatencyProfile.S3_EXPRESS, seeded(1), Sleeper.NONE);
        assertThat(store.createIfAbsent("a", new byte[] {1}).written()).isTrue();
        assertThat(store.createIfAbsent("a", new byte[] {2}).written()).isFalse();
        assertThat(store.get("a").orElseThrow().content()).isEqualTo(new byte[] {1});
        assertThat(store.list("", null, 10)).extracting(ObjectStore.ObjectInfo::key).containsExactly("a");
    }

    @Test
    void profilesAreNamedAsTheSettingSpellsThem() {
        assertThat(LatencyProfile.named("s3-standard")).isEqualTo(LatencyProfile.S3_STANDARD);
        assertThat(LatencyProfile.named(" S3-Express ")).isEqualTo(LatencyProfile.S3_EXPRESS);
        assertThat(LatencyProfile.named("none")).isEqualTo(LatencyProfile.NONE);
        assertThatThrownBy(() -> LatencyProfile.named("s3-glacier"))
                .hasMessageContaining("none, s3-standard, s3-express");
        assertThat(Arrays.stream(LatencyProfile.values()).map(LatencyProfile::settingName))
                .containsExactly("none", "s3-standard", "s3-express");
    }
}
