package io.floe.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.runtime.Defaults;
import io.floe.store.FaultInjectingObjectStore;
import io.floe.store.FaultInjectingObjectStore.FaultType;
import io.floe.store.MemoryObjectStore;
import io.floe.store.Operation;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Idempotent-producer state in the log engine (DESIGN.md §9): a batch is accepted or refused when its
 * commit is written, against the chain as it stands there, so faults of the store cannot reorder or
 * duplicate a producer's batches.
 */
class ProducerStateTest {

    private static final long PID = 42;
    private final MemoryObjectStore memory = new MemoryObjectStore();
    private final FaultInjectingObjectStore store = new FaultInjectingObjectStore(memory);
    private final LogEngine engine = engine("p", 64);

    ProducerStateTest() {
        engine.createTopic("t", 1, Map.of());
    }

    private LogEngine engine(String id, int checkpointEvery) {
        LogSettings d = Defaults.log(id).withBackgroundThreads(false);
        return new LogEngine(store, Clock.systemUTC(), new SplittableRandom(id.hashCode()), new LogSettings(id, d.linger(),
                d.flushBytes(), d.flushRecords(), d.inlineBytes(), d.maxBufferedBytes(), d.cacheBytes(), d.pollInterval(),
                checkpointEvery, d.metadataMaxAge(), false, d.flushMaxInFlight()));
    }

    @AfterEach
    void close() {
        engine.close();
    }

    static ByteBuffer batch(long pid, short epoch, int seq, String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(values[i].getBytes());
        }
        return MemoryRecords.withIdempotentRecords(Compression.NONE, pid, epoch, seq, records).buffer();
    }

    private CompletableFuture<Long> send(int seq, String... values) {
        return send(engine, (short) 0, seq, values);
    }

    private static CompletableFuture<Long> send(LogEngine e, short epoch, int seq, String... values) {
        CompletableFuture<Long> f = e.append("t", 0, batch(PID, epoch, seq, values));
        e.flushNow();
        return f;
    }

    private static ErrorCode failure(CompletableFuture<Long> f) {
        assertThat(f).isCompletedExceptionally();
        Throwable t = f.handle((v, e) -> e).join();
        return ((FloeException) (t instanceof CompletionException ? t.getCause() : t)).code();
    }

    private void failNextCommit(FaultType first) {
        store.failNext(Operation.CREATE_IF_ABSENT, first);
        for (int i = 1; i < Retry.ATTEMPTS; i++) {
            store.failNext(Operation.CREATE_IF_ABSENT, FaultType.UNAVAILABLE_BEFORE);
        }
    }

    @Test
    void aRetryOfACommittedBatchIsAnsweredWithItsOffsetAndNotWrittenAgain() {
        assertThat(send(0, "a", "b").join()).isZero();
        assertThat(send(2, "c").join()).isEqualTo(2);
        assertThat(send(0, "a", "b").join()).as("retry of the first batch").isZero();
        assertThat(engine.offsets("t", 0).endOffset()).isEqualTo(3);
        assertThat(failure(send(7, "x"))).isEqualTo(ErrorCode.OUT_OF_ORDER_SEQUENCE);
        assertThat(failure(send(1, "b"))).as("inside a batch already written").isEqualTo(ErrorCode.DUPLICATE_SEQUENCE);
        assertThat(engine.offsets("t", 0).endOffset()).isEqualTo(3);
    }

    @Test
    void aRetryFoundDuplicateIsNotCountedAsProducedAgain() {
        java.util.List<Long> produced = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        engine.listen(new LogEvents() {
            @Override
            public void produced(String topic, long records, long bytes) {
                produced.add(records);
            }
        });
        assertThat(send(0, "a", "b").join()).isZero();
        assertThat(send(0, "a", "b").join()).as("retry of the first batch").isZero();
        assertThat(send(2, "c").join()).isEqualTo(2);
        // A flush holding the retry and a new batch counts only the new one.
        CompletableFuture<Long> retry = engine.append("t", 0, batch(PID, (short) 0, 2, "c"));
        CompletableFuture<Long> next = engine.append("t", 0, batch(PID, (short) 0, 3, "d"));
        engine.flushNow();
        assertThat(retry.join()).isEqualTo(2);
        assertThat(next.join()).isEqualTo(3);
        assertThat(produced).as("records counted per written batch").containsExactly(2L, 1L, 1L);
        assertThat(engine.offsets("t", 0).endOffset()).isEqualTo(4);
    }

    @Test
    void aNewEpochStartsAtSequenceZeroAndFencesTheOldOne() {
        assertThat(send(0, "a").join()).isZero();
        assertThat(failure(send(engine, (short) 1, 5, "x"))).isEqualTo(ErrorCode.OUT_OF_ORDER_SEQUENCE);
        assertThat(send(engine, (short) 1, 0, "b").join()).isEqualTo(1);
        assertThat(failure(send(engine, (short) 0, 1, "zombie"))).isEqualTo(ErrorCode.INVALID_PRODUCER_EPOCH);
        assertThat(engine.offsets("t", 0).endOffset()).isEqualTo(2);
    }

    @Test
    void aFailedCommitFencesTheProducersLaterBatchesUntilItIsResent() {
        failNextCommit(FaultType.UNAVAILABLE_BEFORE);
        CompletableFuture<Long> first = send(0, "a");
        assertThat(failure(first)).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
        // The client had already sent sequence 1; it must not land ahead of the failed sequence 0.
        assertThat(failure(send(1, "b"))).isEqualTo(ErrorCode.OUT_OF_ORDER_SEQUENCE);
        assertThat(engine.offsets("t", 0).endOffset()).isZero();
        // The client resends in order, as Kafka clients do.
        assertThat(send(0, "a").join()).isZero();
        assertThat(send(1, "b").join()).isEqualTo(1);
        assertThat(send(2, "c").join()).isEqualTo(2);
    }

    @Test
    void aRetryAfterACommitWithAnUnknownOutcomeIsRecognisedFromTheChain() {
        // The commit lands but every answer is lost: the engine gives up with the outcome unknown.
        failNextCommit(FaultType.LOST_RESPONSE);
        assertThat(failure(send(0, "a"))).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
        assertThat(send(0, "a").join()).as("the retry is the committed batch").isZero();
        assertThat(send(1, "b").join()).isEqualTo(1);
        assertThat(engine.offsets("t", 0).endOffset()).as("nothing written twice").isEqualTo(2);
    }

    @Test
    void anotherInstanceKnowsTheProducerFromTheChain() {
        assertThat(send(0, "a").join()).isZero();
        try (LogEngine other = engine("q", 64)) {
            assertThat(send(other, (short) 0, 0, "a").join()).as("a retry through another instance").isZero();
            assertThat(send(other, (short) 0, 1, "b").join()).isEqualTo(1);
        }
        assertThat(send(1, "b").join()).as("and back: this instance reads the other's commit").isEqualTo(1);
    }

    @Test
    void aNewInstanceKnowsTheProducerFromACheckpoint() {
        try (LogEngine writer = engine("w", 1)) { // a checkpoint after every commit
            assertThat(send(writer, (short) 3, 0, "a", "b").join()).isZero();
            assertThat(send(writer, (short) 3, 2, "c").join()).isEqualTo(2);
        }
        assertThat(memory.list("data/", null, 1000)).anyMatch(o -> o.key().contains("/checkpoints/"));
        try (LogEngine reader = engine("r", 64)) {
            assertThat(send(reader, (short) 3, 2, "c").join()).isEqualTo(2);
            assertThat(failure(send(reader, (short) 2, 3, "zombie"))).isEqualTo(ErrorCode.INVALID_PRODUCER_EPOCH);
            assertThat(send(reader, (short) 3, 3, "d").join()).isEqualTo(3);
        }
    }

    static ByteBuffer txnBatch(long pid, short epoch, int seq, String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(values[i].getBytes());
        }
        return MemoryRecords.withTransactionalRecords(Compression.NONE, pid, epoch, seq, records).buffer();
    }

    static ByteBuffer marker(long pid, short epoch, boolean commit) {
        return MemoryRecords.withEndTransactionMarker(1L, pid, epoch, new EndTransactionMarker(
                commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT, 0)).buffer();
    }

    @Test
    void markersEndTransactionsAndMoveTheLastStableOffset() {
        long txn = 50;
        CompletableFuture<Long> data = engine.append("t", 0, txnBatch(txn, (short) 1, 0, "t1", "t2"));
        engine.flushNow();
        assertThat(data.join()).isZero();
        assertThat(send(0, "plain").join()).isEqualTo(2);
        PartitionOffsets open = engine.offsets("t", 0);
        assertThat(open.endOffset()).isEqualTo(3);
        assertThat(open.lastStableOffset()).as("the open transaction holds the LSO at its first offset").isZero();
        assertThat(engine.producers("t", 0)).anySatisfy(p -> {
            assertThat(p.producerId()).isEqualTo(txn);
            assertThat(p.txnFirstOffset()).as("DescribeProducers: the open transaction's first offset").isZero();
        });

        CompletableFuture<Map<Integer, Long>> zombie = engine.appendMarkers("t", Map.of(0, marker(txn, (short) 0, false)));
        engine.flushNow();
        assertThat(zombie).isCompletedExceptionally();
        assertThat(engine.offsets("t", 0).lastStableOffset()).isZero();

        CompletableFuture<Map<Integer, Long>> abort = engine.appendMarkers("t", Map.of(0, marker(txn, (short) 1, false)));
        engine.flushNow();
        assertThat(abort.join()).isEqualTo(Map.of(0, 3L));
        assertThat(engine.offsets("t", 0).lastStableOffset()).isEqualTo(4).isEqualTo(engine.offsets("t", 0).endOffset());

        // A new transaction of the same producer, committed.
        CompletableFuture<Long> next = engine.append("t", 0, txnBatch(txn, (short) 1, 2, "t3"));
        engine.flushNow();
        assertThat(next.join()).isEqualTo(4);
        assertThat(engine.offsets("t", 0).lastStableOffset()).isEqualTo(4);
        engine.appendMarkers("t", Map.of(0, marker(txn, (short) 1, true)));
        engine.flushNow();
        assertThat(engine.offsets("t", 0).lastStableOffset()).isEqualTo(6);
    }

    @Test
    void appendMarkersRefusesDataBatches() {
        CompletableFuture<Map<Integer, Long>> f = engine.appendMarkers("t", Map.of(0, batch(PID, (short) 0, 0, "x")));
        assertThat(f).isCompletedExceptionally();
    }

    private List<String> read(IsolationLevel isolation) {
        FetchResponse r = engine.fetch(new FetchRequest(List.of(new FetchRequest.Partition("t", 0, 0, 1 << 20)), 1 << 20, 1,
                java.time.Duration.ZERO, isolation)).join();
        return r.partitions().getFirst().result().records().stream().map(x -> new String(x.value())).toList();
    }

    @Test
    void readCommittedStopsAtTheLastStableOffsetAndSkipsAbortedTransactions() {
        engine.append("t", 0, txnBatch(50, (short) 0, 0, "aborted-1", "aborted-2"));
        engine.append("t", 0, txnBatch(60, (short) 0, 0, "committed"));
        engine.flushNow();
        assertThat(send(0, "plain").join()).isEqualTo(3);
        assertThat(read(IsolationLevel.READ_UNCOMMITTED)).containsExactly("aborted-1", "aborted-2", "committed", "plain");
        assertThat(read(IsolationLevel.READ_COMMITTED)).as("nothing before the open transactions end").isEmpty();

        engine.appendMarkers("t", Map.of(0, marker(50, (short) 0, false)));
        engine.flushNow();
        assertThat(engine.offsets("t", 0).lastStableOffset()).as("60's transaction still open").isEqualTo(2);
        assertThat(read(IsolationLevel.READ_COMMITTED)).isEmpty();

        engine.appendMarkers("t", Map.of(0, marker(60, (short) 0, true)));
        engine.flushNow();
        assertThat(engine.offsets("t", 0).lastStableOffset()).isEqualTo(6).isEqualTo(engine.offsets("t", 0).endOffset());
        assertThat(read(IsolationLevel.READ_COMMITTED)).containsExactly("committed", "plain");
        FetchResult r = engine.fetch(new FetchRequest(List.of(new FetchRequest.Partition("t", 0, 0, 1 << 20)), 1 << 20, 1,
                java.time.Duration.ZERO, IsolationLevel.READ_COMMITTED)).join().partitions().getFirst().result();
        assertThat(r.abortedTransactions()).containsExactly(new FetchResult.AbortedTransaction(50, 0, 4));
        assertThat(r.lastStableOffset()).isEqualTo(6);
    }
}
