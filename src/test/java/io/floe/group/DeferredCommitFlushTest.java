package io.floe.group;

import io.floe.runtime.Defaults;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.log.LogEngine;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.TopicPartition;
import io.floe.runtime.Defaults;
import io.floe.store.FaultInjectingObjectStore;
import io.floe.store.FaultInjectingObjectStore.Faults;
import io.floe.store.MemoryObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link GroupCoordinator#flush()} either writes the deferred commits or says it did not: a caller
 * that answered "committed" before the write (a Lambda invocation about to be frozen) must learn of
 * a failure, and the commits stay pending for the next flush.
 */
class DeferredCommitFlushTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);

    private final MemoryObjectStore memory = new MemoryObjectStore();
    private final FaultInjectingObjectStore bucket = new FaultInjectingObjectStore(memory);
    private final LogEngine log = new LogEngine(bucket, Clock.systemUTC(), new SplittableRandom(3),
            Defaults.log("l").withBackgroundThreads(false));
    private final GroupCoordinator groups = new GroupCoordinator(bucket, log, Clock.systemUTC(), new SplittableRandom(4),
            Defaults.group("a").withBackgroundThreads(false));

    @AfterEach
    void close() {
        bucket.setFaults(Faults.NONE);
        groups.close();
        log.close();
    }

    private void commitDeferred(long offset) {
        log.createTopic("t", 1, Map.of());
        groups.commit(new OffsetCommit("g", "", null, -1, Map.of(TP, CommittedOffset.of(offset)), OffsetCommit.Durability.DEFERRED));
    }

    private long committedInTheBucket() {
        try (GroupCoordinator other = new GroupCoordinator(memory, log, Clock.systemUTC(), new SplittableRandom(5),
                Defaults.group("b").withBackgroundThreads(false))) {
            CommittedOffset c = other.committed("g", null).get(TP);
            return c == null ? -1 : c.offset();
        }
    }

    @Test
    void aFlushThatLosesEveryRaceFailsAndKeepsTheCommitsPending() {
        commitDeferred(7);
        // Every conditional write answers 409: the group update gives up (CONCURRENT_UPDATE), which
        // the flush used to swallow, leaving the caller to think the commit was written.
        bucket.setFaults(new Faults(0, 0, 1.0, Duration.ZERO));
        assertThatThrownBy(groups::flush).isInstanceOfSatisfying(FloeException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
            assertThat(e.getMessage()).contains("[g]");
        });
        assertThat(committedInTheBucket()).isEqualTo(-1);

        bucket.setFaults(Faults.NONE);
        groups.flush();
        assertThat(committedInTheBucket()).isEqualTo(7);
    }

    @Test
    void aFlushAgainstAnUnreachableBucketFailsAndKeepsTheCommitsPending() {
        commitDeferred(9);
        bucket.setFaults(new Faults(1.0, 0, 0, Duration.ZERO));
        // The store's errors reach the group through the one retry policy (D41): after its budget, STORE_UNAVAILABLE.
        assertThatThrownBy(groups::flush).isInstanceOfSatisfying(FloeException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE));

        bucket.setFaults(Faults.NONE);
        groups.flush();
        assertThat(committedInTheBucket()).isEqualTo(9);
    }
}
