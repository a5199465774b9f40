package io.floe.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.log.FetchResult;
import io.floe.log.LogEngine;
import io.floe.log.LogSettings;
import io.floe.log.PartitionOffsets;
import io.floe.log.RecordPosition;
import io.floe.model.FetchedRecord;
import io.floe.model.FloeException;
import io.floe.model.Message;
import io.floe.model.OffsetOutOfRangeException;
import io.floe.store.FaultInjectingObjectStore;
import io.floe.store.MemoryObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * The seeded deterministic simulation (STYLE.md rule 11): several engine instances over one
 * in-memory bucket behind the fault injector (503s, lost responses after successful writes,
 * spurious 409s), driven through random produce / flush / fetch / crash-and-restart / clock steps
 * on one thread. After every step the bucket is read by a fresh, fault-free instance and the
 * invariants of DESIGN.md §3 are checked:
 * <ol>
 * <li>offsets of a partition are contiguous from its log start offset;</li>
 * <li>every acknowledged record is in the bucket, exactly once, at the offset it was acknowledged with
 *     (and no record at all appears twice);</li>
 * <li>a fetch never returns a record that is not committed (what an instance returns matches the
 *     bucket);</li>
 * <li>records of one key acknowledged by one producer keep their produce order.</li>
 * </ol>
 * A failure names its seed; replay it with
 * {@code ./mvnw test -Dtest=SimulationTest -Dfloe.sim.seed=SEED -Dfloe.sim.seeds=1}.
 */
class SimulationTest {

    private static final String TOPIC = "sim";
    private static final int PARTITIONS = 3;
    private static final int INSTANCES = 3;

    @Test
    void invariantsHoldUnderRandomStepsAndFaults() {
        long first = Long.getLong("floe.sim.seed", 1);
        int seeds = Integer.getInteger("floe.sim.seeds", 60);
        int steps = Integer.getInteger("floe.sim.steps", 250);
        for (long seed = first; seed < first + seeds; seed++) {
            try {
                new Run(seed).run(steps);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("Simulation failed for seed " + seed + ": " + e.getMessage()
                        + "\nReplay: ./mvnw test -Dtest=SimulationTest -Dfloe.sim.seed=" + seed + " -Dfloe.sim.seeds=1", e);
            }
        }
    }

    /** What a producer was told about one record. */
    private record Sent(String value, String key, int instance, long order, CompletableFuture<List<RecordPosition>> ack,
                        int index) {
    }

    private static final class Run {
        final long seed;
        final SplittableRandom random;
        final SimClock clock = new SimClock(1_700_000_000_000L);
        final MemoryObjectStore bucket = new MemoryObjectStore();
        final FaultInjectingObjectStore faulty;
        final LogEngine[] engines = new LogEngine[INSTANCES];
        final int[] generation = new int[INSTANCES];
        final List<Sent> sent = new ArrayList<>();
        long counter;
        int step;

        Run(long seed) {
            this.seed = seed;
            this.random = new SplittableRandom(seed);
            this.faulty = new FaultInjectingObjectStore(bucket, new SplittableRandom(seed ^ 0x5DEECE66DL),
                    new FaultInjectingObjectStore.Faults(0.04, 0.04, 0.04, Duration.ZERO), FaultInjectingObjectStore.Sleeper.NONE);
        }

        LogEngine start(int i) {
            LogSettings s = new LogSettings("i" + i + "g" + generation[i], Duration.ofMillis(5), 1 << 20, 10_000,
                    random.nextBoolean() ? 0 : 1 << 20, 64L << 20, 1L << 20, Duration.ofMillis(50), 4,
                    Duration.ofSeconds(5), false, 3);
            return new LogEngine(faulty, clock, new SplittableRandom(random.nextLong()), s);
        }

        void run(int steps) {
            faulty.setFaults(FaultInjectingObjectStore.Faults.NONE);
            for (int i = 0; i < INSTANCES; i++) {
                engines[i] = start(i);
            }
            engines[0].createTopic(TOPIC, PARTITIONS, Map.of());
            faulty.setFaults(new FaultInjectingObjectStore.Faults(0.04, 0.04, 0.04, Duration.ZERO));
            for (step = 0; step < steps; step++) {
                int i = random.nextInt(INSTANCES);
                int dice = random.nextInt(100);
                if (dice < 45) {
                    produce(i);
                } else if (dice < 75) {
                    flush(i);
                } else if (dice < 90) {
                    fetch(i);
                } else if (dice < 95) {
                    crash(i);
                } else {
                    clock.advance(random.nextInt(200));
                }
                checkInvariants();
            }
            faulty.setFaults(FaultInjectingObjectStore.Faults.NONE);
            for (int i = 0; i < INSTANCES; i++) {
                flush(i);
            }
            checkInvariants();
            for (Sent s : sent) {
                boolean instanceAlive = s.instance() % 1000 == generation[s.instance() / 1000];
                if (instanceAlive) {
                    assertThat(s.ack()).as("every produce to a live instance is answered after its flush: " + s.value()).isDone();
                }
            }
        }

        void produce(int i) {
            int n = 1 + random.nextInt(5);
            List<Message> ms = new ArrayList<>();
            List<String[]> meta = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                String value = "v" + (counter++);
                String key = random.nextInt(4) == 0 ? null : "key" + random.nextInt(6);
                Integer partition = key == null && random.nextBoolean() ? random.nextInt(PARTITIONS) : null;
                ms.add(new Message(partition, key == null ? null : bytes(key), bytes(value), List.of(), clock.millis()));
                meta.add(new String[] {value, key});
            }
            CompletableFuture<List<RecordPosition>> ack = engines[i].produce(TOPIC, ms);
            for (int k = 0; k < n; k++) {
                sent.add(new Sent(meta.get(k)[0], meta.get(k)[1], i * 1000 + generation[i], counter, ack, k));
            }
        }

        void flush(int i) {
            engines[i].flushNow();
        }

        void fetch(int i) {
            int p = random.nextInt(PARTITIONS);
            long offset = random.nextInt(40) - 2;
            try {
                FetchResult r = engines[i].fetch(TOPIC, p, offset, 1 + random.nextInt(4096), Duration.ZERO).join();
                List<FetchedRecord> truth = readPartition(freshReader(), p);
                for (FetchedRecord rec : r.records()) {
                    assertThat(rec.offset()).as("fetch from %d returns offsets at or after it", offset).isGreaterThanOrEqualTo(offset);
                    assertThat(rec.offset()).as("invariant 3: fetched offset is committed").isLessThan(truth.size());
                    assertThat(str(rec.value())).as("invariant 3: fetched record matches the bucket at offset %d", rec.offset())
                            .isEqualTo(str(truth.get((int) rec.offset()).value()));
                }
            } catch (CompletionException e) {
                Throwable c = e.getCause();
                if (c instanceof OffsetOutOfRangeException oor) {
                    assertThat(offset < oor.logStartOffset() || offset > oor.endOffset())
                            .as("out-of-range error only outside the range: " + oor.getMessage()).isTrue();
                } else if (!(c instanceof FloeException fe && fe.code().kind() == io.floe.model.ErrorCode.Kind.UNAVAILABLE)) {
                    throw e;
                }
            } catch (FloeException e) {
                if (e.code().kind() != io.floe.model.ErrorCode.Kind.UNAVAILABLE) {
                    throw e;
                }
            }
        }

        /** The instance dies: buffered, unflushed records are lost (never acknowledged). */
        void crash(int i) {
            generation[i]++;
            engines[i] = start(i);
        }

        LogEngine freshReader() {
            LogSettings s = new LogSettings("checker", Duration.ofMillis(5), 1 << 20, 10_000, 1 << 20, 64L << 20,
                    1L << 20, Duration.ZERO, 0, Duration.ZERO, false, 3);
            return new LogEngine(bucket, clock, new SplittableRandom(0), s);
        }

        static List<FetchedRecord> readPartition(LogEngine e, int p) {
            PartitionOffsets range = e.offsets(TOPIC, p);
            List<FetchedRecord> out = new ArrayList<>();
            long offset = range.logStartOffset();
            while (offset < range.endOffset()) {
                List<FetchedRecord> got = e.fetch(TOPIC, p, offset, 1 << 20, Duration.ZERO).join().records();
                assertThat(got).as("a fetch below the end offset returns records").isNotEmpty();
                for (FetchedRecord r : got) {
                    assertThat(r.offset()).as("invariant 1: offsets are contiguous").isEqualTo(offset);
                    out.add(r);
                    offset++;
                }
            }
            return out;
        }

        void checkInvariants() {
            LogEngine reader = freshReader();
            Map<String, long[]> where = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                for (FetchedRecord r : readPartition(reader, p)) {
                    long[] previous = where.put(str(r.value()), new long[] {p, r.offset()});
                    assertThat(previous).as("invariant 2: record %s is in the log once, not also at %s-%s",
                            str(r.value()), p, r.offset()).isNull();
                }
            }
            Map<String, Long> lastOffsetOfKeyByProducer = new HashMap<>();
            for (Sent s : sent) {
                if (!s.ack().isDone() || s.ack().isCompletedExceptionally()) {
                    continue;
                }
                RecordPosition acked = s.ack().join().get(s.index());
                long[] at = where.get(s.value());
                assertThat(at).as("invariant 2: acknowledged record %s is in the bucket", s.value()).isNotNull();
                assertThat(at).as("invariant 2: acknowledged record %s is where the ack said", s.value())
                        .containsExactly(acked.partition(), acked.offset());
                if (s.key() != null) {
                    String k = s.key() + "@" + s.instance();
                    Long before = lastOffsetOfKeyByProducer.put(k, acked.offset());
                    if (before != null) {
                        assertThat(acked.offset()).as("invariant 4: key %s keeps its produce order", k).isGreaterThan(before);
                    }
                }
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String str(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
