package io.floe.log;

import io.floe.runtime.Defaults;
import static org.assertj.core.api.Assertions.assertThat;

import io.floe.model.FetchedRecord;
import io.floe.model.Message;
import io.floe.sim.SimClock;
import io.floe.store.CountingObjectStore;
import io.floe.store.MemoryObjectStore;
import io.floe.store.ObjectStore;
import io.floe.store.Operation;
import io.floe.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The produce-to-consume path at the end of the log: what it costs in store requests, and that a
 * writer recognises its own commit however its state got there.
 */
class TailPathTest {

    private final List<LogEngine> engines = new ArrayList<>();

    @AfterEach
    void closeEngines() {
        engines.forEach(LogEngine::close);
    }

    private LogEngine engine(ObjectStore store, Clock clock, boolean background) {
        LogEngine e = new LogEngine(store, clock, new SplittableRandom(7),
                Defaults.log("a").withBackgroundThreads(background));
        engines.add(e);
        return e;
    }

    private static Message value(String v) {
        return new Message(0, null, v.getBytes(StandardCharsets.UTF_8), List.of(), 1000L);
    }

    @Test
    void aLostCommitAnswerIsRecognisedEvenWhenAConcurrentCatchUpAppliedTheCommitFirst() {
        SimClock clock = new SimClock(1_000_000);
        AtomicBoolean armed = new AtomicBoolean();
        AtomicReference<LogEngine> engine = new AtomicReference<>();
        ObjectStore store = new DelegatingStore(new MemoryObjectStore()) {
            @Override
            public WriteResult createIfAbsent(String key, byte[] content) {
                WriteResult r = super.createIfAbsent(key, content);
                if (r.written() && key.contains("/commits/") && armed.compareAndSet(true, false)) {
                    // Another request on this instance reads the chain and applies the new commit
                    // before its writer hears back; then the writer's answer is lost.
                    clock.advance(1);
                    engine.get().offsets("t", 0);
                    throw new StoreException(StoreException.Kind.UNAVAILABLE, "answer lost");
                }
                return r;
            }
        };
        LogEngine e = engine(store, clock, false);
        engine.set(e);
        e.createTopic("t", 1, Map.of());
        e.produce("t", List.of(value("a")));
        e.flushNow();
        armed.set(true);
        CompletableFuture<List<RecordPosition>> second = e.produce("t", List.of(value("b")));
        e.flushNow();

        assertThat(second.join()).extracting(RecordPosition::offset).containsExactly(1L);
        assertThat(e.offsets("t", 0).endOffset()).as("the record is committed once, not twice").isEqualTo(2);
        assertThat(e.fetch("t", 0, 0, 1 << 20, Duration.ZERO).join().records())
                .extracting(r -> new String(r.value(), StandardCharsets.UTF_8)).containsExactly("a", "b");
    }

    @Test
    void aConsumerWaitingAtTheTailOfThisInstancesWritesCostsNoReads() throws Exception {
        CountingObjectStore store = new CountingObjectStore(new MemoryObjectStore());
        LogEngine e = engine(store, Clock.systemUTC(), true);
        e.createTopic("t", 1, Map.of("max.message.bytes", "4194304"));
        e.produce("t", List.of(value("first"))).join();
        long offset = 1;
        CountingObjectStore.Counts before = store.snapshot();
        List<String> seen = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            // The Kafka fetch path: a first look, then a wait when nothing is there.
            assertThat(e.fetchAvailable("t", 0, offset, 1 << 20).get(5, TimeUnit.SECONDS).records()).isEmpty();
            CompletableFuture<FetchResult> waiting = e.fetch("t", 0, offset, 1 << 20, Duration.ofSeconds(5));
            int inline = Defaults.log("a").inlineBytes();
            String v = "v" + i + "-" + "x".repeat(i % 10 == 5 ? inline + 1 : 100); // inline commits and segments alike
            e.produce("t", List.of(value(v))).join();
            List<FetchedRecord> got = waiting.get(5, TimeUnit.SECONDS).records();
            assertThat(got).hasSize(1);
            seen.add(new String(got.get(0).value(), StandardCharsets.UTF_8).substring(0, 3));
            offset++;
        }
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        CountingObjectStore.Counts spent = store.snapshot().minus(before);
        assertThat(seen).hasSize(100).first().isEqualTo("v0-");
        assertThat(spent.requests(Operation.RANGE_GET)).as("records written here are read from memory: " + spent).isZero();
        // Only the poll timer reads the chain head (for other instances' commits), at most once per
        // poll interval, not once per fetch.
        long pollMs = Defaults.log("a").pollInterval().toMillis();
        assertThat(spent.requests(Operation.GET)).as("chain-head reads in " + elapsedMs + " ms: " + spent)
                .isLessThanOrEqualTo(elapsedMs / pollMs + 1);
    }
}
