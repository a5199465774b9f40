package io.floe.janitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.format.BucketLayout;
import io.floe.log.LogEngine;
import io.floe.model.Message;
import io.floe.runtime.Defaults;
import io.floe.sim.SimClock;
import io.floe.store.CountingObjectStore;
import io.floe.store.MemoryObjectStore;
import io.floe.store.Operation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The janitor's quiet check (D48) must never miss a change that gives a run work: after each kind of
 * change, the next run is a full one (and does the work), and once everything is done runs are quiet
 * again: a few LISTs and one GET, no lease, no write.
 */
class QuietCheckTest {

    private final SimClock clock = new SimClock(1_800_000_000_000L);
    private final CountingObjectStore store = new CountingObjectStore(new MemoryObjectStore());
    private final JanitorSettings settings = Defaults.janitor();
    private LogEngine engine;
    private Janitor janitor;

    @BeforeEach
    void start() {
        engine = new LogEngine(store, clock, new SplittableRandom(1), Defaults.log("i1").withBackgroundThreads(false));
        janitor = new Janitor(engine.maintenance(), clock, new SplittableRandom(2), settings);
        engine.createTopic("kept", 1, Map.of("retention.ms", "9000000"));
        produce("kept");
        engine.createTopic("short", 1, Map.of("retention.ms", "3600000"));
        produce("short");
        settle();
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    private void produce(String topic) {
        var done = engine.produce(topic, List.of(new Message(0, null, "v".getBytes(), List.of(), clock.millis())));
        engine.flushNow();
        done.join();
    }

    /** Runs the janitor every 30 s until a run is quiet; returns the full runs' reports. */
    private List<Janitor.Report> settle() {
        List<Janitor.Report> full = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Janitor.Report r = janitor.runOnce();
            if (r.quiet()) {
                return full;
            }
            assertThat(r.leader()).as("a run that is not quiet takes the lease").isTrue();
            full.add(r);
            clock.advance(30_000);
        }
        throw new AssertionError("the janitor never became quiet");
    }

    private Janitor.Report next() {
        clock.advance(30_000);
        return janitor.runOnce();
    }

    @Test
    void aQuietRunListsAndReadsTheLedgerButTakesNoLeaseAndWritesNothing() {
        CountingObjectStore.Counts before = store.snapshot();
        Janitor.Report r = next();
        CountingObjectStore.Counts cost = store.snapshot().minus(before);
        assertThat(r.quiet()).isTrue();
        assertThat(r.leader()).isFalse();
        assertThat(cost.requests(Operation.GET)).isEqualTo(1);
        assertThat(cost.requests(Operation.LIST)).isEqualTo(4);
        assertThat(cost.totalRequests()).isEqualTo(5);
        assertThat(store.get(Lease.KEY).map(o -> Lease.State.decode(o.content()).expiresAtMs()).orElseThrow())
                .as("the lease is not renewed by quiet runs").isLessThan(clock.millis() + settings.lease().toMillis() - 30_000);
    }

    @Test
    void aNewCommitIsNoticed() {
        produce("kept");
        assertThat(next().quiet()).isFalse();
        settle();
        assertThat(next().quiet()).isTrue();
    }

    @Test
    void aNewTopicIsNoticed() {
        engine.createTopic("new", 1, Map.of());
        assertThat(next().quiet()).isFalse();
    }

    @Test
    void aConfigChangeOfTheSameSizeIsNoticedAndApplied() {
        // Same length as "9000000": the topic document keeps its size, only its ETag changes.
        engine.alterConfigs("kept", Map.of("retention.ms", "1000000"), Set.of());
        Janitor.Report r = next();
        assertThat(r.quiet()).isFalse();
        engine.alterConfigs("kept", Map.of("retention.ms", "1000001"), Set.of());
        clock.advance(1_000_002);
        List<Janitor.Report> runs = settle();
        assertThat(runs).anySatisfy(x -> assertThat(x.truncated()).isPositive());
    }

    @Test
    void aDeletedTopicIsNoticedAndItsDataDeletedAfterTheGrace() {
        engine.deleteTopic("kept");
        assertThat(next().quiet()).isFalse();
        settle();
        assertThat(store.list(BucketLayout.DELETED_TOPICS, null, 10)).hasSize(1);
        clock.advance(settings.grace().toMillis());
        List<Janitor.Report> runs = settle();
        assertThat(runs).anySatisfy(x -> assertThat(x.deleted()).isPositive());
        assertThat(store.list(BucketLayout.DELETED_TOPICS, null, 10)).isEmpty();
    }

    @Test
    void aRetentionDeadlinePassingIsNoticedWithoutAnyChange() {
        Janitor.Report quiet = next();
        assertThat(quiet.quiet()).isTrue();
        assertThat(quiet.nextDueMs()).isLessThanOrEqualTo(clock.millis() + 3_600_000);
        clock.set(quiet.nextDueMs() + 1);
        Janitor.Report due = janitor.runOnce();
        assertThat(due.quiet()).isFalse();
        assertThat(due.truncated()).isEqualTo(1);
    }

    @Test
    void aSegmentWithoutACommitIsNoticedAndCollectedAfterTheGrace() {
        String orphan = BucketLayout.segment(clock.millis(), "dead-writer", 1);
        store.put(orphan, new byte[] {1});
        assertThat(next().quiet()).isFalse();
        settle();
        // Old enough to be a candidate after one grace, deleted after it was one for another grace;
        // only the time rules recorded by the full runs bring the janitor back (nothing else changes).
        clock.advance(settings.grace().toMillis());
        settle();
        clock.advance(settings.grace().toMillis());
        List<Janitor.Report> runs = settle();
        assertThat(runs).anySatisfy(x -> assertThat(x.deleted()).isPositive());
        assertThat(store.get(orphan)).isEmpty();
    }

    @Test
    void aJanitorOnAnotherInstanceSeesTheSameQuietStateAsAStandBy() {
        LogEngine other = new LogEngine(store, clock, new SplittableRandom(3), Defaults.log("i2").withBackgroundThreads(false));
        try {
            Janitor second = new Janitor(other.maintenance(), clock, new SplittableRandom(4), settings);
            clock.advance(30_000);
            Janitor.Report r = second.runOnce();
            assertThat(r.quiet()).isTrue();
            assertThat(r.standby()).isTrue();
            assertThat(next().standby()).isFalse();
        } finally {
            other.close();
        }
    }
}
