package io.floe.log;

import io.floe.sim.SimHarness;
import static org.assertj.core.api.Assertions.assertThat;

import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.sim.SimClock;
import io.floe.store.FaultInjectingObjectStore;
import io.floe.store.MemoryObjectStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The seeded simulation of the Kafka append path with idempotent producers (issue 12), a friend of
 * {@code io.floe.sim.SimulationTest} that lives in {@code io.floe.log} to reach the package-private
 * switches that take the fixes of faults 1, 2 and 4 out. Instances share one in-memory bucket behind
 * the fault injector (503s, writes whose answer is lost, spurious 409s); producers pipeline up to five
 * batches per partition and retry failed ones in sequence order, as Kafka clients do, reconnecting to
 * another instance when theirs crashes; zombies (an older epoch of a producer that was re-initialised)
 * keep sending; the clock jumps by up to minutes; optionally two instances run under one instance id and
 * one seed. After every step a fresh, fault-free reader checks:
 * <ol>
 * <li>per producer, epoch and partition, committed batches continue one another's sequences: no
 *     duplicate, no gap, no reordering (invariant 7);</li>
 * <li>per producer and partition, epochs never go back in offset order (a zombie never lands after its
 *     successor);</li>
 * <li>every acknowledged batch is in the bucket at the acknowledged offset, with its own values;</li>
 * <li>transactions (batches of a transactional producer, ended by COMMIT/ABORT markers written as the
 *     coordinator writes them, again after an unknown outcome): a read_committed reader never sees a record
 *     of an aborted or open transaction, the last stable offset never moves back, and at the end every
 *     committed transaction is visible.</li>
 * </ol>
 * Seeds: a fixed range plus {@link #COMMIT_SEEDS} derived from the commit ({@code git rev-parse HEAD},
 * or {@code -Dfloe.sim.commit=}). A failure names its seed and the command that replays it.
 * Commits are serialised by the engine's flush chain, so flushes run one after another here; a later flush
 * holding a producer's next batch is what overlaps with a failed one.
 */
class ProducerSimulationTest {

    private static final String TOPIC = "sim";
    private static final int PARTITIONS = 2;
    private static final int INSTANCES = 3;
    private static final int COMMIT_SEEDS = 8;
    /** {@code -Dfloe.sim.trace=true} prints every send and acknowledgement (for replaying a seed). */
    private static final boolean TRACE = Boolean.getBoolean("floe.sim.trace");

    @AfterEach
    void restoreFixes() {
        LogEngine.acceptRetriesAsNew(false);
    }

    @Test
    void producersNeverDuplicateOrReorderUnderFaultsCrashesAndZombies() {
        int steps = Integer.getInteger("floe.sim.steps", 200);
        SimHarness.runSeeds(ProducerSimulationTest.class, 30, seed -> new Run(seed, Fix.ALL).run(steps));
    }

    /** Which fix of issue 12 to take out, to show that the invariants catch its absence. */
    enum Fix {
        ALL, WITHOUT_SEQUENCE_FENCE, WITHOUT_CHAIN_DUPLICATE_CHECK, WITHOUT_CREATE_IF_ABSENT_SEGMENTS
    }

    @Test
    void withoutTheSequenceFenceAFailedFirstBatchIsOvertaken() {
        assertThat(firstFailingSeed(Fix.WITHOUT_SEQUENCE_FENCE)).as("fault 1 caught").isNotNull();
    }

    @Test
    void withoutTheChainDuplicateCheckARetryAfterAnUnknownOutcomeIsWrittenTwice() {
        LogEngine.acceptRetriesAsNew(true);
        assertThat(firstFailingSeed(Fix.WITHOUT_CHAIN_DUPLICATE_CHECK)).as("fault 2 caught").isNotNull();
    }

    @Test
    void withoutCreateIfAbsentSegmentsTwinInstancesLoseAcknowledgedData() {
        assertThat(firstFailingSeed(Fix.WITHOUT_CREATE_IF_ABSENT_SEGMENTS)).as("fault 4 caught").isNotNull();
    }

    private static Long firstFailingSeed(Fix without) {
        for (long seed = 1; seed <= 60; seed++) {
            try {
                new Run(seed, without).run(200);
            } catch (AssertionError | RuntimeException e) {
                return seed; // a violated invariant, or data that no longer decodes
            }
        }
        return null;
    }

    /** Seeds derived from the commit being tested, so that every commit explores new schedules. */

    /** A batch a producer sent, and what it was told. */
    private static final class Batch {
        final Producer producer;
        final int partition;
        final int firstSeq;
        final List<String> values;
        CompletableFuture<Long> answer;
        int instance;
        /** Whether, when last sent, an earlier batch of the partition was still unacknowledged. */
        boolean behindUnacked;
        /** Its connection died: the client knows at once (no response to wait for). */
        boolean connectionLost;

        Batch(Producer producer, int partition, int firstSeq, List<String> values) {
            this.producer = producer;
            this.partition = partition;
            this.firstSeq = firstSeq;
            this.values = values;
        }

        ByteBuffer bytes() {
            SimpleRecord[] records = values.stream().map(v -> new SimpleRecord(v.getBytes(StandardCharsets.UTF_8)))
                    .toArray(SimpleRecord[]::new);
            return MemoryRecords.withIdempotentRecords(Compression.NONE, producer.id, producer.epoch, firstSeq, records).buffer();
        }
    }

    /** An idempotent producer: per partition its next sequence and its in-flight batches, oldest first. */
    private static final class Producer {
        final long id;
        final short epoch;
        int instance;
        boolean zombie;
        final int[] nextSeq = new int[PARTITIONS];
        /** Per partition, the sequence after the last acknowledged batch. */
        final int[] ackedEnd = new int[PARTITIONS];
        final List<List<Batch>> inFlight = new ArrayList<>();

        Producer(long id, short epoch, int instance) {
            this.id = id;
            this.epoch = epoch;
            this.instance = instance;
            for (int p = 0; p < PARTITIONS; p++) {
                inFlight.add(new ArrayList<>());
            }
        }
    }

    private static final FaultInjectingObjectStore.Faults FAULTS =
            new FaultInjectingObjectStore.Faults(0.05, 0.05, 0.03, Duration.ZERO);

    private static final class Run {
        final long seed;
        final Fix without;
        final SplittableRandom random;
        final SimClock clock = new SimClock(1_700_000_000_000L);
        final MemoryObjectStore bucket = new MemoryObjectStore();
        final FaultInjectingObjectStore faulty;
        final LogEngine[] engines = new LogEngine[INSTANCES];
        final int[] generation = new int[INSTANCES];
        final boolean twins;
        final List<Producer> producers = new ArrayList<>();
        final Map<String, long[]> acked = new HashMap<>(); // value -> {partition, offset}
        long counter;
        long nextProducerId = 100;

        Run(long seed, Fix without) {
            this.seed = seed;
            this.without = without;
            this.random = new SplittableRandom(seed);
            this.twins = without == Fix.WITHOUT_CREATE_IF_ABSENT_SEGMENTS || random.nextInt(4) == 0;
            this.faulty = new FaultInjectingObjectStore(bucket, new SplittableRandom(seed ^ 0x5DEECE66DL),
                    FaultInjectingObjectStore.Faults.NONE, FaultInjectingObjectStore.Sleeper.NONE);
        }

        /** Instances 1 and 2 are twins (one instance id, all data in segments) when {@link #twins}. */
        LogEngine start(int i) {
            boolean twin = twins && i > 0;
            String id = twin ? "twin" : "i" + i + "g" + generation[i];
            long engineSeed = random.nextLong();
            LogSettings s = new LogSettings(id, Duration.ofMillis(5), 1 << 20, 10_000, twin ? 0 : (random.nextBoolean() ? 0 : 1 << 20),
                    64L << 20, 1L << 20, Duration.ofMillis(50), 4, Duration.ofSeconds(5), false, 3);
            LogEngine e = new LogEngine(faulty, clock, new SplittableRandom(engineSeed), s);
            if (without == Fix.WITHOUT_SEQUENCE_FENCE) {
                e.disableSequenceFence();
            }
            if (without == Fix.WITHOUT_CREATE_IF_ABSENT_SEGMENTS) {
                e.writeSegmentsUnconditionally();
            }
            return e;
        }

        void run(int steps) {
            for (int i = 0; i < INSTANCES; i++) {
                engines[i] = start(i);
            }
            engines[0].createTopic(TOPIC, PARTITIONS, Map.of());
            faulty.setFaults(FAULTS);
            for (int k = 0; k < 3; k++) {
                producers.add(new Producer(nextProducerId++, (short) 0, random.nextInt(INSTANCES)));
            }
            for (int step = 0; step < steps; step++) {
                int dice = random.nextInt(100);
                if (dice < 12) {
                    transact();
                } else if (dice < 40) {
                    send(producers.get(random.nextInt(producers.size())));
                } else if (dice < 64) {
                    engines[random.nextInt(INSTANCES)].flushNow();
                } else if (dice < 68) {
                    // An outage during a flush: its commit fails, or lands with every answer lost (unknown outcome).
                    faulty.setFaults(new FaultInjectingObjectStore.Faults(0.6, 0.4, 0.0, Duration.ZERO));
                    engines[random.nextInt(INSTANCES)].flushNow();
                    faulty.setFaults(FAULTS);
                } else if (dice < 70) {
                    // A new producer whose first flush meets the outage, and whose next batch is already on its way.
                    Producer p = new Producer(nextProducerId++, (short) 0, random.nextInt(INSTANCES));
                    producers.add(p);
                    send(p);
                    faulty.setFaults(new FaultInjectingObjectStore.Faults(0.6, 0.4, 0.0, Duration.ZERO));
                    engines[p.instance].flushNow();
                    faulty.setFaults(FAULTS);
                    send(p);
                } else if (dice < 85) {
                    producers.forEach(this::poll);
                } else if (dice < 90) {
                    crash(random.nextInt(INSTANCES));
                } else if (dice < 94) {
                    reinitialise(producers.get(random.nextInt(producers.size())));
                } else {
                    clock.advance(random.nextInt(4) == 0 ? random.nextInt(300_000) : random.nextInt(200));
                }
                checkInvariants();
            }
            faulty.setFaults(FaultInjectingObjectStore.Faults.NONE);
            for (int round = 0; round < 20; round++) {
                for (LogEngine e : engines) {
                    e.flushNow();
                }
                producers.forEach(this::poll);
            }
            while (txn != null) {
                txn.ending = true;
                transact();
            }
            checkInvariants();
            Map<Integer, List<String>> visible = readCommitted();
            List<String> all = visible.values().stream().flatMap(List::stream).toList();
            assertThat(all).as("every committed transaction is visible at read_committed").containsAll(committedTxn);
        }

        // ---- transactions: the log side (markers written as the coordinator writes them) -----------------

        /** One transaction of a transactional producer (a fresh producer id per transaction keeps sequences simple). */
        final class Txn {
            final long pid = nextProducerId++;
            int instance = random.nextInt(INSTANCES);
            final int[] seq = new int[PARTITIONS];
            final java.util.Set<Integer> partitions = new java.util.TreeSet<>();
            final List<String> values = new ArrayList<>();
            boolean failed;
            boolean ending;
            boolean commit;
        }

        Txn txn;
        final java.util.Set<String> committedTxn = new java.util.HashSet<>();
        final java.util.Set<String> abortedTxn = new java.util.HashSet<>();
        final long[] lastLso = new long[PARTITIONS];

        /** Sends a transactional batch (and flushes, as a client does before EndTxn), or ends the transaction. */
        void transact() {
            if (txn == null) {
                txn = new Txn();
            }
            Txn t = txn;
            if (!t.ending && (t.values.isEmpty() || random.nextInt(3) > 0)) {
                int p = random.nextInt(PARTITIONS);
                String v = "txn" + t.pid + "-" + (counter++);
                ByteBuffer b = MemoryRecords.withTransactionalRecords(Compression.NONE, t.pid, (short) 0, t.seq[p],
                        new SimpleRecord(v.getBytes(StandardCharsets.UTF_8))).buffer();
                t.partitions.add(p);
                t.values.add(v);
                CompletableFuture<Long> f = engines[t.instance].append(TOPIC, p, b);
                engines[t.instance].flushNow();
                if (f.isDone() && !f.isCompletedExceptionally()) {
                    t.seq[p]++;
                } else {
                    t.failed = true; // the client aborts a transaction whose send failed
                    t.ending = true;
                }
                return;
            }
            if (!t.ending) {
                t.ending = true;
                t.commit = !t.failed && random.nextInt(3) > 0;
            }
            Map<Integer, ByteBuffer> markers = new HashMap<>();
            for (int p : t.partitions) {
                markers.put(p, MemoryRecords.withEndTransactionMarker(clock.millis(), t.pid, (short) 0,
                        new org.apache.kafka.common.record.internal.EndTransactionMarker(t.commit
                                ? org.apache.kafka.common.record.internal.ControlRecordType.COMMIT
                                : org.apache.kafka.common.record.internal.ControlRecordType.ABORT, 0)).buffer());
            }
            CompletableFuture<Map<Integer, Long>> f = engines[t.instance].appendMarkers(TOPIC, markers);
            engines[t.instance].flushNow();
            if (f.isDone() && !f.isCompletedExceptionally()) {
                (t.commit ? committedTxn : abortedTxn).addAll(t.values);
                txn = null;
            } else {
                t.instance = random.nextInt(INSTANCES); // retry, maybe elsewhere: markers may be written twice
            }
        }

        /** Each partition read at read_committed, from its log start to its last stable offset. */
        Map<Integer, List<String>> readCommitted() {
            LogSettings s = new LogSettings("checker-rc", Duration.ofMillis(5), 1 << 20, 10_000, 1 << 20, 64L << 20,
                    1L << 20, Duration.ZERO, 0, Duration.ZERO, false, 1);
            LogEngine reader = new LogEngine(bucket, clock, new SplittableRandom(0), s);
            Map<Integer, List<String>> out = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                PartitionOffsets range = reader.offsets(TOPIC, p);
                assertThat(range.lastStableOffset()).as("partition %d: the LSO never moves back", p).isGreaterThanOrEqualTo(lastLso[p]);
                lastLso[p] = range.lastStableOffset();
                List<String> values = new ArrayList<>();
                long offset = range.logStartOffset();
                while (offset < range.lastStableOffset()) {
                    FetchResult r = reader.fetch(TOPIC, p, offset, 1 << 20, Duration.ZERO, IsolationLevel.READ_COMMITTED).join();
                    r.records().forEach(x -> values.add(new String(x.value(), StandardCharsets.UTF_8)));
                    long next = r.nextOffset();
                    assertThat(next).as("read_committed progresses below the LSO").isGreaterThan(offset);
                    offset = next;
                }
                out.put(p, values);
            }
            return out;
        }

        /** Sends a new batch on a random partition, if fewer than five are in flight there. */
        void send(Producer p) {
            int partition = random.nextInt(PARTITIONS);
            List<Batch> flying = p.inFlight.get(partition);
            if (flying.size() >= 5) {
                return;
            }
            if (flying.stream().anyMatch(b -> b.connectionLost)
                    || random.nextBoolean() && flying.stream().anyMatch(b -> b.answer.isCompletedExceptionally())) {
                // The client has read the failure: it resends failed batches before the next one. (Otherwise
                // the next batch was sent before the failure reached the client, as pipelining allows.)
                poll(p);
            }
            List<String> values = new ArrayList<>();
            int n = 1 + random.nextInt(3);
            for (int k = 0; k < n; k++) {
                values.add("p" + p.id + "e" + p.epoch + "-" + (counter++));
            }
            Batch b = new Batch(p, partition, p.nextSeq[partition], values);
            p.nextSeq[partition] += n;
            flying.add(b);
            submit(b);
        }

        void submit(Batch b) {
            b.instance = b.producer.instance;
            b.connectionLost = false;
            if (TRACE) {
                System.out.println("submit p" + b.producer.id + "e" + b.producer.epoch + " part" + b.partition + " seq " + b.firstSeq
                        + ".." + (b.firstSeq + b.values.size() - 1) + " to " + b.instance + " ackedEnd " + b.producer.ackedEnd[b.partition]);
            }
            b.behindUnacked = b.producer.ackedEnd[b.partition] != b.firstSeq;
            b.answer = engines[b.instance].append(TOPIC, b.partition, b.bytes());
        }

        /** Reads answers as a Kafka client does, oldest first per partition; resends failures in order. */
        void poll(Producer p) {
            for (int partition = 0; partition < PARTITIONS; partition++) {
                List<Batch> flying = p.inFlight.get(partition);
                boolean resend = false;
                for (Batch b : List.copyOf(flying)) {
                    if (!b.answer.isDone()) {
                        break;
                    }
                    if (!b.answer.isCompletedExceptionally()) {
                        long base = b.answer.join();
                        if (TRACE) {
                            System.out.println("ack p" + p.id + "e" + p.epoch + " part" + partition + " seq " + b.firstSeq + " at " + base);
                        }
                        p.ackedEnd[partition] = Math.max(p.ackedEnd[partition], b.firstSeq + b.values.size());
                        for (int k = 0; k < b.values.size(); k++) {
                            acked.put(b.values.get(k), new long[] {partition, base + k});
                        }
                        flying.remove(b);
                        continue;
                    }
                    Throwable t = b.answer.handle((v, e) -> e).join();
                    Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
                    ErrorCode code = c instanceof FloeException f ? f.code() : ErrorCode.INTERNAL;
                    if (code == ErrorCode.INVALID_PRODUCER_EPOCH) {
                        assertThat(p.zombie).as("only a zombie is fenced: " + c.getMessage()).isTrue();
                        flying.clear();
                        break;
                    }
                    assertThat(code).as("a client retries only these: " + c.getMessage())
                            .isIn(ErrorCode.STORE_UNAVAILABLE, ErrorCode.CONCURRENT_UPDATE, ErrorCode.OUT_OF_ORDER_SEQUENCE);
                    if (code == ErrorCode.OUT_OF_ORDER_SEQUENCE) {
                        // Kafka clients retry it only when an earlier batch was unanswered when it was sent.
                        assertThat(b.behindUnacked).as("OUT_OF_ORDER only for a batch sent behind an unacknowledged one: "
                                + c.getMessage()).isTrue();
                    }
                    resend = true;
                }
                if (resend) {
                    // Resend everything still unanswered-or-failed from the first failure, in sequence order.
                    for (Batch b : flying) {
                        if (b.answer.isCompletedExceptionally()) {
                            submit(b); // batches still in flight stay where they are
                        }
                    }
                }
            }
        }

        /** The instance dies: what it buffered is lost; its producers' requests time out and go elsewhere. */
        void crash(int i) {
            generation[i]++;
            engines[i] = start(i);
            for (Producer p : producers) {
                if (p.instance == i) {
                    p.instance = random.nextInt(INSTANCES);
                }
                for (List<Batch> flying : p.inFlight) {
                    for (Batch b : flying) {
                        if (b.instance == i) {
                            // Unanswered, or answered on a connection that died before the client read it.
                            b.answer = CompletableFuture.failedFuture(new FloeException(ErrorCode.STORE_UNAVAILABLE,
                                    "request timed out"));
                            b.connectionLost = true;
                        }
                    }
                }
            }
        }

        /** InitProducerId again: the same id with the next epoch; the old incarnation keeps running as a zombie. */
        void reinitialise(Producer old) {
            if (old.zombie || old.epoch >= 3) {
                return;
            }
            old.zombie = true;
            producers.add(new Producer(old.id, (short) (old.epoch + 1), random.nextInt(INSTANCES)));
        }

        void checkInvariants() {
            LogSettings s = new LogSettings("checker", Duration.ofMillis(5), 1 << 20, 10_000, 1 << 20, 64L << 20,
                    1L << 20, Duration.ZERO, 0, Duration.ZERO, false, 1);
            LogEngine reader = new LogEngine(bucket, clock, new SplittableRandom(0), s);
            Map<String, long[]> where = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                Map<Long, int[]> last = new HashMap<>(); // producer -> {epoch, lastSeq}
                PartitionOffsets range = reader.offsets(TOPIC, p);
                long offset = range.logStartOffset();
                while (offset < range.endOffset()) {
                    FetchResult r = reader.fetch(TOPIC, p, offset, 1 << 20, Duration.ZERO).join();
                    assertThat(r.batches()).as("a fetch below the end returns batches").isNotEmpty();
                    for (ByteBuffer run : r.batches()) {
                        for (RecordBatch b : MemoryRecords.readableRecords(run.duplicate()).batches()) {
                            offset = Math.max(offset, b.lastOffset() + 1);
                            if (b.isControlBatch()) {
                                continue; // markers: no sequence, and a marker written again is fine
                            }
                            checkSequence(p, b, last);
                            for (Record rec : b) {
                                String v = StandardCharsets.UTF_8.decode(rec.value()).toString();
                                long[] before = where.put(v, new long[] {p, rec.offset()});
                                assertThat(before).as("record %s is in the log once", v).isNull();
                            }
                            offset = Math.max(offset, b.lastOffset() + 1);
                        }
                    }
                }
            }
            acked.forEach((value, at) -> assertThat(where.get(value))
                    .as("acknowledged record %s is where its ack said", value).containsExactly(at[0], at[1]));
            for (List<String> values : readCommitted().values()) {
                for (String v : values) {
                    assertThat(abortedTxn).as("read_committed never sees an aborted record").doesNotContain(v);
                    boolean open = txn != null && txn.values.contains(v) && !(txn.ending && txn.commit);
                    assertThat(open).as("read_committed never sees a record of an open transaction: %s", v).isFalse();
                }
            }
        }

        private static void checkSequence(int partition, RecordBatch b, Map<Long, int[]> last) {
            int[] prev = last.get(b.producerId());
            if (prev != null) {
                assertThat((int) b.producerEpoch()).as("partition %d, producer %d: epochs never go back (offset %d)",
                        partition, b.producerId(), b.baseOffset()).isGreaterThanOrEqualTo(prev[0]);
                if (b.producerEpoch() == prev[0]) {
                    assertThat(b.baseSequence()).as("partition %d, producer %d epoch %d: sequence continues at offset %d",
                            partition, b.producerId(), b.producerEpoch(), b.baseOffset()).isEqualTo(prev[1] + 1);
                }
            }
            last.put(b.producerId(), new int[] {b.producerEpoch(), b.lastSequence()});
        }
    }
}
