package io.floe.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.model.ErrorCode;
import io.floe.model.FetchedRecord;
import io.floe.model.FloeException;
import io.floe.model.Message;
import io.floe.runtime.Defaults;
import io.floe.sim.SimClock;
import io.floe.store.MemoryObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fault 4 of issue 12: two processes given the same {@code floe.instance-id}. Segments are created only
 * if absent, so a key collision fails the second flush safely instead of overwriting acknowledged data;
 * and the instance-id claim tells both processes that another one uses their id.
 */
class DuplicateInstanceTest {

    private final MemoryObjectStore store = new MemoryObjectStore();
    private final SimClock clock = new SimClock(1_700_000_000_000L);
    private final List<LogEngine> engines = new ArrayList<>();

    @AfterEach
    void close() {
        engines.forEach(LogEngine::close);
    }

    /** An engine without background threads that writes every flush as a segment. */
    private LogEngine engine(String id, long seed) {
        LogSettings d = Defaults.log(id);
        LogEngine e = new LogEngine(store, clock, new SplittableRandom(seed), new LogSettings(id, d.linger(), d.flushBytes(),
                d.flushRecords(), 0, d.maxBufferedBytes(), d.cacheBytes(), d.pollInterval(), d.checkpointEvery(),
                d.metadataMaxAge(), false, d.flushMaxInFlight()));
        engines.add(e);
        return e;
    }

    private static CompletableFuture<Long> produce(LogEngine e, String value) {
        CompletableFuture<Long> f = e.produce("t", List.of(new Message(0, null, value.getBytes(StandardCharsets.UTF_8),
                List.of(), null))).thenApply(p -> p.getFirst().offset());
        e.flushNow();
        return f;
    }

    private static List<String> values(LogEngine e) {
        List<String> out = new ArrayList<>();
        for (FetchedRecord r : e.fetch("t", 0, 0, 1 << 20, Duration.ZERO).join().records()) {
            out.add(new String(r.value(), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void aSegmentKeyCollisionFailsTheSecondFlushAndNeverOverwritesAcknowledgedData() {
        checkCollisionIsSafe(false);
    }

    @Test
    void withUnconditionalSegmentWritesTheSameCollisionLosesAcknowledgedData() {
        // The fix taken out (as before issue 12): the second writer overwrites the first one's segment.
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> checkCollisionIsSafe(true)))
                .as("the check must catch the overwrite").isInstanceOf(AssertionError.class);
    }

    private void checkCollisionIsSafe(boolean unconditional) {
        // Same id, same seed (so the same per-process nonce), same millisecond: the same segment key.
        LogEngine a = engine("dup", 7);
        a.createTopic("t", 1, Map.of());
        LogEngine b = engine("dup", 7);
        if (unconditional) {
            a.writeSegmentsUnconditionally();
            b.writeSegmentsUnconditionally();
        }
        assertThat(produce(a, "from-a").join()).isZero();
        CompletableFuture<Long> second = produce(b, "from-b");
        if (second.isCompletedExceptionally()) {
            Throwable t = second.handle((v, x) -> x).join();
            Throwable c = t instanceof CompletionException ? t.getCause() : t;
            assertThat(((FloeException) c).code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
            assertThat(produce(b, "from-b").join()).as("the retry takes the next key").isEqualTo(1);
        }
        LogEngine reader = engine("reader", 99);
        assertThat(values(reader)).as("every acknowledged record reads back as written").containsExactly("from-a", "from-b");
    }

    @Test
    void aSecondLiveProcessWithTheSameInstanceIdIsDetectedByBoth() {
        LogEngine a = engine("same", 1);
        LogEngine b = engine("same", 2);
        a.renewInstanceClaim();
        assertThat(a.duplicateInstanceDetected()).isFalse();
        b.renewInstanceClaim();
        assertThat(b.duplicateInstanceDetected()).isTrue();
        clock.advance(InstanceClaim.RENEW_MS);
        a.renewInstanceClaim();
        assertThat(a.duplicateInstanceDetected()).isTrue();
    }

    @Test
    void aRestartUnderTheSameIdIsNotADuplicate() {
        LogEngine before = engine("restarted", 1);
        before.renewInstanceClaim();
        before.close();
        engines.remove(before);
        clock.advance(InstanceClaim.LIVE_MS + 1);
        LogEngine after = engine("restarted", 2);
        after.renewInstanceClaim();
        assertThat(after.duplicateInstanceDetected()).isFalse();
    }
}
