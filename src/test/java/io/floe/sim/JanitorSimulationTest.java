package io.floe.sim;

import io.floe.format.BucketLayout;
import static org.assertj.core.api.Assertions.assertThat;

import io.floe.format.IndexEntry;
import io.floe.janitor.Janitor;
import io.floe.janitor.JanitorSettings;
import io.floe.log.FetchResult;
import io.floe.log.LogEngine;
import io.floe.log.LogSettings;
import io.floe.log.Maintenance;
import io.floe.log.PartitionOffsets;
import io.floe.log.RecordPosition;
import io.floe.model.FetchedRecord;
import io.floe.model.FloeException;
import io.floe.model.Message;
import io.floe.model.OffsetOutOfRangeException;
import io.floe.model.Topic;
import io.floe.store.FaultInjectingObjectStore;
import io.floe.store.MemoryObjectStore;
import io.floe.store.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * The seeded simulation with the janitor: several instances produce, flush, fetch, crash and run
 * the janitor (retention, compaction, merging, deletion with grace) over one bucket behind the fault
 * injector, while a {@link SimClock} moves by up to a few grace periods. After every step a fresh,
 * fault-free reader checks:
 * <ol>
 * <li>offsets only grow and never change: a record seen once at an offset is, while it is
 *     present, the same record (invariants 1, 2, 5);</li>
 * <li>no retained record is lost: topic {@code keep} (no retention) holds every record ever seen;
 *     topic {@code short} (time retention) every record at or after its log start, and only records
 *     older than {@code retention.ms} are below it; the log start never moves back;</li>
 * <li>compacted topic {@code table} holds the latest record of every key (a tombstone may go once
 *     older than {@code delete.retention.ms});</li>
 * <li>deletion respects the grace period: every object named by the index within the last grace
 *     period still exists; no fetch fails because an object it was told about is gone;</li>
 * <li>at the end, with faults off and time moved on, the janitor leaves no unreferenced segment or
 *     merged object behind.</li>
 * </ol>
 * A failure names its seed; replay it with
 * {@code ./mvnw test -Dtest=JanitorSimulationTest -Dfloe.sim.seed=SEED -Dfloe.sim.seeds=1}.
 */
class JanitorSimulationTest {

    private static final int INSTANCES = 3;
    private static final int PARTITIONS = 2;
    private static final long GRACE_MS = 2_000;
    private static final long RETENTION_MS = 6_000;
    private static final long DELETE_RETENTION_MS = 3_000;
    private static final List<String> TOPICS = List.of("keep", "short", "table");

    @Test
    void janitorKeepsRetainedRecordsAndRespectsGraceUnderRandomStepsAndFaults() {
        long first = Long.getLong("floe.sim.seed", 1);
        int seeds = Integer.getInteger("floe.sim.seeds", 12);
        int steps = Integer.getInteger("floe.sim.steps", 300);
        long deletions = 0;
        long merges = 0;
        long compactions = 0;
        long truncations = 0;
        for (long seed = first; seed < first + seeds; seed++) {
            Run run = new Run(seed);
            try {
                run.run(steps);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("Janitor simulation failed for seed " + seed + " at step " + run.step + ": " + e.getMessage()
                        + "\nReplay: ./mvnw test -Dtest=JanitorSimulationTest -Dfloe.sim.seed=" + seed + " -Dfloe.sim.seeds=1", e);
            }
            deletions += run.deleted;
            merges += run.merged;
            compactions += run.compacted;
            truncations += run.truncated;
        }
        // The simulation must exercise what it claims to check.
        assertThat(deletions).as("objects deleted").isPositive();
        assertThat(merges).as("merges").isPositive();
        assertThat(compactions).as("compactions").isPositive();
        assertThat(truncations).as("truncations").isPositive();
    }

    /** A record as the checker first saw it in the bucket. */
    private record Seen(String key, String value, long timestamp) {
    }

    private static final class Run {
        final SplittableRandom random;
        final SimClock clock = new SimClock(1_700_000_000_000L);
        final MemoryObjectStore bucket = new MemoryObjectStore();
        final FaultInjectingObjectStore faulty;
        final LogEngine[] engines = new LogEngine[INSTANCES];
        final Janitor[] janitors = new Janitor[INSTANCES];
        final int[] generation = new int[INSTANCES];
        final Map<String, Seen> seen = new HashMap<>();           // topic/partition/offset -> record
        final Map<String, Long> logStart = new HashMap<>();       // topic/partition -> highest log start seen
        final Map<String, Long> lastReferenced = new HashMap<>(); // object key -> last time the index named it
        final List<Object[]> acks = new ArrayList<>();            // {topic, value, future, index}
        long counter;
        int step;
        long deleted;
        long merged;
        long compacted;
        long truncated;

        Run(long seed) {
            this.random = new SplittableRandom(seed);
            this.faulty = new FaultInjectingObjectStore(bucket, new SplittableRandom(seed ^ 0x5DEECE66DL),
                    FaultInjectingObjectStore.Faults.NONE, FaultInjectingObjectStore.Sleeper.NONE);
        }

        void start(int i) {
            LogSettings s = new LogSettings("i" + i + "g" + generation[i], Duration.ofMillis(5), 1 << 20, 10_000,
                    random.nextBoolean() ? 0 : 512, 64L << 20, 1L << 20, Duration.ofMillis(50), 3,
                    Duration.ofMillis(500), false, 3);
            engines[i] = new LogEngine(faulty, clock, new SplittableRandom(random.nextLong()), s);
            // A merge buffer of one to four merged objects: small ones cut merges into batches (MergeSchedule).
            JanitorSettings js = new JanitorSettings(Duration.ofMillis(4_000), Duration.ofMillis(GRACE_MS),
                    Duration.ofMillis(1_000), 600, 2_000, 700, 3, Duration.ZERO, 0.5, 0, 2_000L * (1 + random.nextInt(4)));
            janitors[i] = new Janitor(engines[i].maintenance(), clock, new SplittableRandom(random.nextLong()), js);
        }

        void run(int steps) {
            for (int i = 0; i < INSTANCES; i++) {
                start(i);
            }
            engines[0].createTopic("keep", PARTITIONS, Map.of("retention.ms", "-1"));
            engines[0].createTopic("short", PARTITIONS, Map.of("retention.ms", Long.toString(RETENTION_MS)));
            engines[0].createTopic("table", PARTITIONS, Map.of("cleanup.policy", "compact",
                    "delete.retention.ms", Long.toString(DELETE_RETENTION_MS)));
            faulty.setFaults(new FaultInjectingObjectStore.Faults(0.03, 0.03, 0.03, Duration.ZERO));
            for (step = 0; step < steps; step++) {
                int i = random.nextInt(INSTANCES);
                int dice = random.nextInt(100);
                if (dice < 35) {
                    produce(i);
                } else if (dice < 60) {
                    engines[i].flushNow();
                } else if (dice < 75) {
                    fetch(i);
                } else if (dice < 87) {
                    janitor(i);
                } else if (dice < 90) {
                    generation[i]++;
                    start(i);
                } else {
                    clock.advance(random.nextInt(1_200));
                }
                check();
            }
            // Quiesce: no faults, everything flushed, time moves past every grace period.
            faulty.setFaults(FaultInjectingObjectStore.Faults.NONE);
            for (int i = 0; i < INSTANCES; i++) {
                engines[i].flushNow();
            }
            check();
            for (int round = 0; round < 4; round++) {
                clock.advance(5_000);
                for (int i = 0; i < INSTANCES; i++) {
                    janitor(i);
                }
                check();
            }
            checkNothingUnreferencedLeft();
        }

        void produce(int i) {
            String topic = TOPICS.get(random.nextInt(TOPICS.size()));
            int n = 1 + random.nextInt(4);
            List<Message> ms = new ArrayList<>();
            List<String> values = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                String value = "v" + (counter++) + "-" + "x".repeat(random.nextInt(120));
                String key = "key" + random.nextInt(5);
                boolean tombstone = topic.equals("table") && random.nextInt(8) == 0;
                ms.add(new Message(null, bytes(key), tombstone ? null : bytes(value), List.of(), clock.millis()));
                values.add(tombstone ? null : value);
            }
            CompletableFuture<List<RecordPosition>> ack = engines[i].produce(topic, ms);
            for (int k = 0; k < n; k++) {
                acks.add(new Object[] {topic, values.get(k), ack, k});
            }
        }

        void janitor(int i) {
            try {
                Janitor.Report r = janitors[i].runOnce();
                deleted += r.deleted();
                merged += r.merged();
                compacted += r.compacted();
                truncated += r.truncated();
            } catch (FloeException e) {
                if (e.code().kind() != io.floe.model.ErrorCode.Kind.UNAVAILABLE) {
                    throw e;
                }
            }
        }

        void fetch(int i) {
            String topic = TOPICS.get(random.nextInt(TOPICS.size()));
            int p = random.nextInt(PARTITIONS);
            long offset = random.nextInt(60) - 2;
            try {
                FetchResult r = engines[i].fetch(topic, p, offset, 1 + random.nextInt(4096), Duration.ZERO).join();
                for (FetchedRecord rec : r.records()) {
                    Seen s = seen.get(topic + "/" + p + "/" + rec.offset());
                    assertThat(s).as("fetched %s-%d@%d was committed", topic, p, rec.offset()).isNotNull();
                    assertThat(str(rec.value())).as("fetched %s-%d@%d is the record committed there", topic, p, rec.offset())
                            .isEqualTo(s.value());
                }
            } catch (CompletionException e) {
                allowedFetchFailure(e.getCause(), offset);
            } catch (FloeException e) {
                allowedFetchFailure(e, offset);
            }
        }

        void allowedFetchFailure(Throwable c, long offset) {
            if (c instanceof OffsetOutOfRangeException oor) {
                assertThat(offset < oor.logStartOffset() || offset > oor.endOffset())
                        .as("out of range only outside the range: " + oor.getMessage()).isTrue();
                return;
            }
            assertThat(c).as("a fetch never fails because an object it was told about is gone")
                    .isInstanceOf(FloeException.class);
            assertThat(c.getMessage()).as("a fetch never fails because an object it was told about is gone")
                    .doesNotContain("is gone");
            assertThat(((FloeException) c).code().kind()).isEqualTo(io.floe.model.ErrorCode.Kind.UNAVAILABLE);
        }

        LogEngine freshReader() {
            LogSettings s = new LogSettings("checker", Duration.ofMillis(5), 1 << 20, 10_000, 1 << 20, 64L << 20,
                    1L << 20, Duration.ZERO, 0, Duration.ZERO, false, 3);
            return new LogEngine(bucket, clock, new SplittableRandom(0), s);
        }

        void check() {
            LogEngine reader = freshReader();
            long now = clock.millis();
            for (String topic : TOPICS) {
                Topic t = reader.topic(topic);
                Maintenance.TopicView view = reader.maintenance().view(t);
                for (Maintenance.PartitionView pv : view.partitions().values()) {
                    for (IndexEntry e : pv.entries()) {
                        lastReferenced.put(e.objectKey(), now);
                    }
                }
                for (int p = 0; p < PARTITIONS; p++) {
                    checkPartition(reader, topic, p, now);
                }
            }
            // Grace: whatever the index named within the grace period is still there.
            for (var e : lastReferenced.entrySet()) {
                if (now - e.getValue() < GRACE_MS) {
                    assertThat(bucket.get(e.getKey())).as("object %s, named by the index %d ms ago, still exists",
                            e.getKey(), now - e.getValue()).isPresent();
                }
            }
            // Acknowledged records are where their acks said (while retained).
            for (Object[] a : acks) {
                @SuppressWarnings("unchecked")
                CompletableFuture<List<RecordPosition>> f = (CompletableFuture<List<RecordPosition>>) a[2];
                if (f.isDone() && !f.isCompletedExceptionally()) {
                    RecordPosition pos = f.join().get((Integer) a[3]);
                    Seen s = seen.get(a[0] + "/" + pos.partition() + "/" + pos.offset());
                    assertThat(s).as("acknowledged record %s of %s is in the bucket", a[1], a[0]).isNotNull();
                    assertThat(s.value()).as("acknowledged record of %s is at its offset", a[0]).isEqualTo(a[1]);
                }
            }
        }

        void checkPartition(LogEngine reader, String topic, int p, long now) {
            String tp = topic + "/" + p;
            PartitionOffsets range = reader.offsets(topic, p);
            Long before = logStart.put(tp, range.logStartOffset());
            assertThat(range.logStartOffset()).as("log start of %s never moves back", tp).isGreaterThanOrEqualTo(before == null ? 0 : before);
            Map<Long, FetchedRecord> present = new HashMap<>();
            long offset = range.logStartOffset();
            while (offset < range.endOffset()) {
                FetchResult r = reader.fetch(topic, p, offset, 1 << 20, Duration.ZERO).join();
                long last = offset - 1;
                for (FetchedRecord rec : r.records()) {
                    assertThat(rec.offset()).as("offsets of %s increase", tp).isGreaterThan(last);
                    last = rec.offset();
                    present.put(rec.offset(), rec);
                    Seen now2 = new Seen(str(rec.key()), str(rec.value()), rec.timestamp());
                    Seen was = seen.putIfAbsent(tp + "/" + rec.offset(), now2);
                    if (was != null) {
                        assertThat(now2).as("record at %s@%d never changes", tp, rec.offset()).isEqualTo(was);
                    }
                }
                assertThat(r.nextOffset()).as("a fetch of %s below its end makes progress", tp).isGreaterThan(offset);
                offset = r.nextOffset();
            }
            Map<String, Long> latestOfKey = new HashMap<>();
            for (var e : seen.entrySet()) {
                String[] parts = e.getKey().split("/");
                if (!(parts[0] + "/" + parts[1]).equals(tp)) {
                    continue;
                }
                long o = Long.parseLong(parts[2]);
                Seen s = e.getValue();
                switch (topic) {
                    case "keep" -> assertThat(present).as("keep: record %s@%d is retained", tp, o).containsKey(o);
                    case "short" -> {
                        if (o >= range.logStartOffset()) {
                            assertThat(present).as("short: record %s@%d after the log start is retained", tp, o).containsKey(o);
                        } else {
                            assertThat(s.timestamp()).as("short: only records older than retention.ms are dropped (%s@%d)", tp, o)
                                    .isLessThan(now - RETENTION_MS);
                        }
                    }
                    default -> latestOfKey.merge(s.key(), o, Math::max);
                }
            }
            for (var e : latestOfKey.entrySet()) {
                Seen s = seen.get(tp + "/" + e.getValue());
                boolean expiredTombstone = s.value() == null && s.timestamp() < now - DELETE_RETENTION_MS;
                if (!expiredTombstone) {
                    assertThat(present).as("table: latest record of key %s (%s@%d) is kept", e.getKey(), tp, e.getValue())
                            .containsKey(e.getValue());
                }
            }
        }

        void checkNothingUnreferencedLeft() {
            LogEngine reader = freshReader();
            java.util.Set<String> referenced = new java.util.HashSet<>();
            for (String topic : TOPICS) {
                reader.maintenance().view(reader.topic(topic)).partitions().values()
                        .forEach(pv -> pv.entries().forEach(e -> referenced.add(e.objectKey())));
            }
            for (String prefix : List.of(BucketLayout.SEGMENTS, BucketLayout.MERGED)) {
                for (ObjectStore.ObjectInfo o : bucket.list(prefix, null, 100_000)) {
                    assertThat(referenced).as("after quiescing, %s is referenced or deleted", o.key()).contains(o.key());
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

    static {
        Objects.requireNonNull(JanitorSimulationTest.class);
    }
}
