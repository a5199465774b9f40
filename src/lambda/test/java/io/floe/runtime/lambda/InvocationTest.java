package io.floe.runtime.lambda;

import io.floe.runtime.Defaults;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.group.CommittedOffset;
import io.floe.group.GroupCoordinator;
import io.floe.group.OffsetCommit;
import io.floe.log.LogEngine;
import io.floe.model.TopicPartition;
import io.floe.runtime.Defaults;
import io.floe.store.FaultInjectingObjectStore;
import io.floe.store.FaultInjectingObjectStore.Faults;
import io.floe.store.MemoryObjectStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An invocation hands its answer over only once what it promised is durable: a deferred offset
 * commit that cannot be written fails the invocation (the caller retries) instead of answering 200.
 * The real engine and group coordinator on a bucket that refuses writes on demand; the handler
 * stands in for Quarkus's HTTP handler, committing as the REST API would and answering 200.
 */
class InvocationTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final byte[] OK = "{\"statusCode\":200,\"body\":\"{}\"}".getBytes(StandardCharsets.UTF_8);

    private final MemoryObjectStore memory = new MemoryObjectStore();
    private final FaultInjectingObjectStore bucket = new FaultInjectingObjectStore(memory);
    private final LogEngine engine = new LogEngine(bucket, Clock.systemUTC(), new SplittableRandom(1),
            Defaults.log("fn").withBackgroundThreads(false));
    private final GroupCoordinator groups = new GroupCoordinator(bucket, engine, Clock.systemUTC(), new SplittableRandom(2),
            Defaults.group("fn").withBackgroundThreads(false));
    private final Quiesce quiesce = new Quiesce(groups, engine, Duration.ofSeconds(5));

    @AfterEach
    void close() {
        bucket.setFaults(Faults.NONE);
        groups.close();
        engine.close();
    }

    /** Commits offset {@code offset} the deferred way and answers 200, as a REST call would. */
    private Invocation.Handler commitsAndAnswers200(long offset) {
        return (event, answer) -> {
            groups.commit(new OffsetCommit("g", "", null, -1, Map.of(TP, CommittedOffset.of(offset)),
                    OffsetCommit.Durability.DEFERRED));
            answer.write(OK);
        };
    }

    private long committedInTheBucket() {
        try (GroupCoordinator fresh = new GroupCoordinator(memory, engine, Clock.systemUTC(), new SplittableRandom(3),
                Defaults.group("other").withBackgroundThreads(false))) {
            CommittedOffset c = fresh.committed("g", null).get(TP);
            return c == null ? -1 : c.offset();
        }
    }

    @Test
    void anAnswerLeavesOnlyAfterTheDeferredCommitIsInTheBucket() throws Exception {
        engine.createTopic("t", 1, Map.of());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Invocation.run(new byte[0], out, commitsAndAnswers200(4), quiesce);
        assertThat(out.toByteArray()).isEqualTo(OK);
        assertThat(committedInTheBucket()).isEqualTo(4);
    }

    @Test
    void aDeferredCommitThatCannotBeWrittenFailsTheInvocationInsteadOfAnswering200() throws Exception {
        engine.createTopic("t", 1, Map.of());
        // From now on every conditional write of the bucket answers 409: the group write gives up.
        bucket.setFaults(new Faults(0, 0, 1.0, Duration.ZERO));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThatThrownBy(() -> Invocation.run(new byte[0], out, commitsAndAnswers200(4), quiesce))
                .isInstanceOf(Quiesce.NotDurable.class).hasMessageContaining("retries");
        assertThat(out.size()).as("no answer leaves").isZero();
        assertThat(committedInTheBucket()).isEqualTo(-1);

        // The commit stayed pending: the next invocation writes it.
        bucket.setFaults(Faults.NONE);
        ByteArrayOutputStream next = new ByteArrayOutputStream();
        Invocation.run(new byte[0], next, (event, answer) -> answer.write(OK), quiesce);
        assertThat(next.toByteArray()).isEqualTo(OK);
        assertThat(committedInTheBucket()).isEqualTo(4);
    }

    @Test
    void aFailingHandlerStillQuiescesAndItsErrorIsTheOneThrown() {
        engine.createTopic("t", 1, Map.of());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThatThrownBy(() -> Invocation.run(new byte[0], out, (event, answer) -> {
            commitsAndAnswers200(2).handle(event, answer);
            throw new IllegalStateException("boom");
        }, quiesce)).hasMessage("boom");
        assertThat(committedInTheBucket()).isEqualTo(2);
    }
}
