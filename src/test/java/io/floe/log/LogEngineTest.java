package io.floe.log;

import io.floe.runtime.Defaults;
import io.floe.format.BucketLayout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.model.ErrorCode;
import io.floe.model.FetchedRecord;
import io.floe.model.FloeException;
import io.floe.model.Header;
import io.floe.model.Message;
import io.floe.model.OffsetOutOfRangeException;
import io.floe.model.Topic;
import io.floe.store.FaultInjectingObjectStore;
import io.floe.store.FaultInjectingObjectStore.FaultType;
import io.floe.store.CountingObjectStore;
import io.floe.store.MemoryObjectStore;
import io.floe.store.ObjectStore;
import io.floe.store.Operation;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogEngineTest {

    private final List<LogEngine> engines = new ArrayList<>();

    @AfterEach
    void closeEngines() {
        engines.forEach(LogEngine::close);
    }

    private LogEngine engine(ObjectStore store, String id, boolean background) {
        LogSettings s = Defaults.log(id).withBackgroundThreads(background);
        LogEngine e = new LogEngine(store, Clock.systemUTC(), new SplittableRandom(id.hashCode()), s);
        engines.add(e);
        return e;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private static List<FetchedRecord> readAll(LogEngine e, String topic, int partition) {
        List<FetchedRecord> out = new ArrayList<>();
        long offset = e.offsets(topic, partition).logStartOffset();
        while (true) {
            FetchResult r = e.fetch(topic, partition, offset, 1 << 20, Duration.ZERO).join();
            List<FetchedRecord> got = r.records();
            if (got.isEmpty()) {
                return out;
            }
            out.addAll(got);
            offset = got.get(got.size() - 1).offset() + 1;
        }
    }

    @Test
    void producedRecordsReadBackAtContiguousOffsetsWithKeysValuesAndHeaders() {
        LogEngine e = engine(new MemoryObjectStore(), "a", true);
        e.createTopic("orders", 1, Map.of());
        List<Message> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(new Message(0, b("k" + i), b("v" + i), List.of(new Header("h", b("x" + i))), 1000L + i));
        }
        List<RecordPosition> first = e.produce("orders", batch).join();
        List<RecordPosition> second = e.produce("orders", batch.subList(0, 3)).join();
        assertThat(first).extracting(RecordPosition::offset).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(second).extracting(RecordPosition::offset).containsExactly(10L, 11L, 12L);

        List<FetchedRecord> all = readAll(e, "orders", 0);
        assertThat(all).hasSize(13);
        for (int n = 0; n < 13; n++) {
            int i = n;
            FetchedRecord r = all.get(i);
            assertThat(r.offset()).isEqualTo(i);
            assertThat(s(r.value())).isEqualTo("v" + (i % 10));
            assertThat(s(r.key())).isEqualTo("k" + (i % 10));
            assertThat(r.timestamp()).isEqualTo(1000L + (i % 10));
            assertThat(r.headers()).singleElement().satisfies(h -> assertThat(s(h.value())).isEqualTo("x" + (i % 10)));
        }
        assertThat(e.offsets("orders", 0)).isEqualTo(new PartitionOffsets(0, 0, 13));
    }

    @Test
    void keyedRecordsGoToTheKafkaPartitionAndKeepTheirOrder() {
        LogEngine e = engine(new MemoryObjectStore(), "a", true);
        e.createTopic("keyed", 6, Map.of());
        List<CompletableFuture<List<RecordPosition>>> acks = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            acks.add(e.produce("keyed", List.of(Message.of(b("user-" + (i % 5)), b(Integer.toString(i))))));
        }
        acks.forEach(CompletableFuture::join);
        for (int p = 0; p < 6; p++) {
            for (FetchedRecord r : readAll(e, "keyed", p)) {
                assertThat(Partitioner.partition(r.key(), 6)).isEqualTo(p);
            }
        }
        for (int n = 0; n < 5; n++) {
            int k = n;
            byte[] key = b("user-" + k);
            List<Integer> values = readAll(e, "keyed", Partitioner.partition(key, 6)).stream()
                    .filter(r -> s(r.key()).equals("user-" + k)).map(r -> Integer.parseInt(s(r.value()))).toList();
            assertThat(values).hasSize(10).isSorted();
        }
    }

    @Test
    void keylessRecordsAreSpreadOverPartitions() {
        LogEngine e = engine(new MemoryObjectStore(), "a", true);
        e.createTopic("spread", 3, Map.of());
        List<Message> ms = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ms.add(Message.of(null, b("v" + i)));
        }
        List<RecordPosition> pos = e.produce("spread", ms).join();
        assertThat(pos).extracting(RecordPosition::partition).containsOnly(0, 1, 2);
        for (int p = 0; p < 3; p++) {
            assertThat(e.offsets("spread", p).endOffset()).isEqualTo(10);
        }
    }

    @Test
    void aNewInstanceReadsTheSameRecordsFromCheckpointAndChain() {
        MemoryObjectStore store = new MemoryObjectStore();
        LogSettings small = new LogSettings("a", Duration.ofMillis(1), 1 << 20, 1000, 256, 64 << 20, 1 << 20,
                Duration.ofMillis(10), 3, Duration.ofSeconds(10), true, 3);
        LogEngine a = new LogEngine(store, Clock.systemUTC(), new SplittableRandom(1), small);
        engines.add(a);
        a.createTopic("t", 2, Map.of());
        for (int i = 0; i < 20; i++) {
            a.produce("t", List.of(new Message(i % 2, null, b("value-" + i + "-" + "x".repeat(i * 20)), List.of(), null))).join();
        }
        assertThat(store.list("data/", null, 1000)).anySatisfy(o -> assertThat(o.key()).contains("/checkpoints/"));
        LogEngine b = engine(store, "b", true);
        for (int p = 0; p < 2; p++) {
            assertThat(readAll(b, "t", p)).extracting(r -> s(r.value()))
                    .isEqualTo(readAll(a, "t", p).stream().map(r -> s(r.value())).toList());
        }
        assertThat(readAll(b, "t", 0)).hasSize(10);
    }

    @Test
    void flushNowWritesEverythingBufferedInObjectsOfAtMostTheFlushSize() {
        CountingObjectStore store = new CountingObjectStore(new MemoryObjectStore());
        // No background flusher; flush objects of at most 64 KiB; nothing inline.
        LogSettings s = new LogSettings("cap", Duration.ofMillis(1), 64 << 10, 100_000, 0, 64L << 20, 1L << 20,
                Duration.ofMillis(10), 1_000, Duration.ofSeconds(10), false, 3);
        LogEngine e = new LogEngine(store, Clock.systemUTC(), new SplittableRandom(7), s);
        engines.add(e);
        e.createTopic("capped", 2, Map.of());
        List<java.util.concurrent.CompletableFuture<?>> acks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            acks.add(e.produce("capped", List.of(new Message(i % 2, null, new byte[20_000], List.of(), null))));
        }
        long segmentsBefore = store.snapshot().requests(io.floe.store.Operation.CREATE_IF_ABSENT);
        e.flushNow();
        assertThat(acks).allMatch(java.util.concurrent.CompletableFuture::isDone);
        assertThat(readAll(e, "capped", 0)).hasSize(5);
        assertThat(readAll(e, "capped", 1)).hasSize(5);
        // 200 KB in appends of 20 KB: four objects of three appends (60 KB <= 64 KiB), not one of 200 KB,
        // each a segment and a commit.
        assertThat(store.snapshot().requests(io.floe.store.Operation.CREATE_IF_ABSENT) - segmentsBefore).isEqualTo(8);
    }

    @Test
    void twoInstancesAppendingToOnePartitionGetDisjointContiguousOffsets() {
        MemoryObjectStore store = new MemoryObjectStore();
        LogEngine a = engine(store, "a", true);
        LogEngine b = engine(store, "b", true);
        a.createTopic("shared", 1, Map.of());
        List<CompletableFuture<List<RecordPosition>>> acks = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            LogEngine e = i % 2 == 0 ? a : b;
            acks.add(e.produce("shared", List.of(Message.of(null, b("r" + i)))));
        }
        List<Long> offsets = acks.stream().map(f -> f.join().get(0).offset()).sorted().toList();
        assertThat(offsets).hasSize(100).doesNotHaveDuplicates();
        assertThat(offsets.get(99)).isEqualTo(99);
        List<FetchedRecord> all = readAll(b, "shared", 0);
        assertThat(all).extracting(r -> s(r.value())).hasSize(100).doesNotHaveDuplicates();
    }

    @Test
    void commitLosesRaceAndRetriesAtNextSequence() {
        MemoryObjectStore store = new MemoryObjectStore();
        LogEngine a = engine(store, "a", false);
        LogEngine b = engine(store, "b", false);
        a.createTopic("race", 1, Map.of());
        // Both load the (empty) chain, so both believe sequence 0 is next.
        assertThat(a.offsets("race", 0).endOffset()).isZero();
        assertThat(b.offsets("race", 0).endOffset()).isZero();
        CompletableFuture<List<RecordPosition>> fromA = a.produce("race", List.of(Message.of(null, b("a"))));
        CompletableFuture<List<RecordPosition>> fromB = b.produce("race", List.of(Message.of(null, b("b1")), Message.of(null, b("b2"))));
        a.flushNow();
        b.flushNow();
        assertThat(fromA.join()).extracting(RecordPosition::offset).containsExactly(0L);
        assertThat(fromB.join()).extracting(RecordPosition::offset).containsExactly(1L, 2L);
        assertThat(store.get(BucketLayout.commit(a.topic("race").id(), 1))).isPresent();
    }

    @Test
    void aCommitWhoseAnswerWasLostIsRecognisedAndNotWrittenTwice() {
        FaultInjectingObjectStore store = new FaultInjectingObjectStore(new MemoryObjectStore());
        LogEngine a = engine(store, "a", false);
        a.createTopic("lost", 1, Map.of());
        a.offsets("lost", 0);
        store.failNext(Operation.CREATE_IF_ABSENT, FaultType.LOST_RESPONSE);
        CompletableFuture<List<RecordPosition>> ack = a.produce("lost", List.of(Message.of(null, b("once"))));
        a.flushNow();
        assertThat(ack.join()).extracting(RecordPosition::offset).containsExactly(0L);
        LogEngine fresh = engine(store, "fresh", false);
        assertThat(readAll(fresh, "lost", 0)).extracting(r -> s(r.value())).containsExactly("once");
        assertThat(store.get(BucketLayout.commit(a.topic("lost").id(), 1))).isEmpty();
    }

    @Test
    void fetchOutsideTheLogNamesTheValidRange() {
        LogEngine e = engine(new MemoryObjectStore(), "a", true);
        e.createTopic("r", 1, Map.of());
        e.produce("r", List.of(Message.of(null, b("x")))).join();
        assertThatThrownBy(() -> e.fetch("r", 0, 5, 1000, Duration.ZERO).join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(OffsetOutOfRangeException.class)
                .hasMessageContaining("valid offsets are 0").hasMessageContaining("to 1");
        assertThatThrownBy(() -> e.fetch("r", 0, -1, 1000, Duration.ZERO).join())
                .cause().isInstanceOf(OffsetOutOfRangeException.class);
        assertThatThrownBy(() -> e.fetch("r", 3, 0, 1000, Duration.ZERO).join())
                .cause().isInstanceOf(FloeException.class).hasMessageContaining("Partition 3");
        assertThatThrownBy(() -> e.fetch("nope", 0, 0, 1000, Duration.ZERO).join())
                .cause().satisfies(c -> assertThat(((FloeException) c).code()).isEqualTo(ErrorCode.UNKNOWN_TOPIC));
    }

    @Test
    void longPollIsWokenByAnotherInstancesCommit() throws Exception {
        MemoryObjectStore store = new MemoryObjectStore();
        LogEngine reader = engine(store, "reader", true);
        LogEngine writer = engine(store, "writer", true);
        reader.createTopic("poll", 1, Map.of());
        CompletableFuture<FetchResult> waiting = reader.fetch("poll", 0, 0, 1000, Duration.ofSeconds(10));
        Thread.sleep(50);
        assertThat(waiting).isNotDone();
        writer.produce("poll", List.of(Message.of(null, b("wake")))).join();
        FetchResult r = waiting.get(5, TimeUnit.SECONDS);
        assertThat(r.records()).extracting(x -> s(x.value())).containsExactly("wake");
    }

    @Test
    void longPollAnswersEmptyAfterMaxWait() {
        LogEngine e = engine(new MemoryObjectStore(), "a", true);
        e.createTopic("idle", 1, Map.of());
        long start = System.nanoTime();
        FetchResult r = e.fetch("idle", 0, 0, 1000, Duration.ofMillis(200)).join();
        assertThat(r.batches()).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(190));
    }

    @Test
    void oversizedRecordIsRefusedAndNothingIsWritten() {
        LogEngine e = engine(new MemoryObjectStore(), "a", true);
        e.createTopic("small", 1, Map.of("max.message.bytes", "1000"));
        assertThatThrownBy(() -> e.produce("small", List.of(Message.of(null, b("ok")), Message.of(null, new byte[2000]))).join())
                .cause().satisfies(c -> assertThat(((FloeException) c).code()).isEqualTo(ErrorCode.RECORD_TOO_LARGE));
        assertThat(e.offsets("small", 0).endOffset()).isZero();
    }

    @Test
    void topicAdminRoundTrip() {
        LogEngine e = engine(new MemoryObjectStore(), "a", true);
        Topic t = e.createTopic("admin", 3, Map.of("retention.ms", "1000"));
        assertThatThrownBy(() -> e.createTopic("admin", 1, Map.of()))
                .satisfies(c -> assertThat(((FloeException) c).code()).isEqualTo(ErrorCode.TOPIC_EXISTS));
        assertThat(e.createPartitions("admin", 5).partitions()).isEqualTo(5);
        assertThatThrownBy(() -> e.createPartitions("admin", 2))
                .satisfies(c -> assertThat(((FloeException) c).code()).isEqualTo(ErrorCode.INVALID_PARTITIONS));
        Topic altered = e.alterConfigs("admin", Map.of("cleanup.policy", "compact"), java.util.Set.of("retention.ms"));
        assertThat(altered.config().overrides()).containsExactly(Map.entry("cleanup.policy", "compact"));
        assertThat(e.listTopics()).extracting(Topic::name).containsExactly("admin");
        e.produce("admin", List.of(new Message(4, null, b("p4"), List.of(), null))).join();
        e.deleteTopic("admin");
        assertThatThrownBy(() -> e.topic("admin"))
                .satisfies(c -> assertThat(((FloeException) c).code()).isEqualTo(ErrorCode.UNKNOWN_TOPIC));
        Topic again = e.createTopic("admin", 1, Map.of());
        assertThat(again.id()).isNotEqualTo(t.id());
        assertThat(e.offsets("admin", 0).endOffset()).isZero();
        assertThat(e.clusterId()).isEqualTo(e.clusterId()).hasSize(22);
    }

    @Test
    void fetchReturnsWholeBatchesUpToMaxBytesButAlwaysAtLeastOne() {
        LogEngine e = engine(new MemoryObjectStore(), "a", false);
        e.createTopic("sized", 1, Map.of());
        for (int i = 0; i < 10; i++) {
            e.produce("sized", List.of(Message.of(null, new byte[1000]))); // one ~1 KB batch each
        }
        e.flushNow(); // one flush: a single index entry holding ten batches
        assertThat(e.fetch("sized", 0, 0, 1 << 20, Duration.ZERO).join().records()).hasSize(10);
        assertThat(e.fetch("sized", 0, 0, 3500, Duration.ZERO).join().records()).hasSize(3);
        assertThat(e.fetch("sized", 0, 4, 10, Duration.ZERO).join().records())
                .singleElement().satisfies(r -> assertThat(r.offset()).isEqualTo(4));
    }

    @Test
    void logAppendTimeTopicsStampRecordsWithTheAppendTime() {
        LogEngine e = engine(new MemoryObjectStore(), "a", true);
        e.createTopic("stamped", 1, Map.of("message.timestamp.type", "LogAppendTime"));
        long before = System.currentTimeMillis();
        e.produce("stamped", List.of(new Message(0, null, b("old"), List.of(), 1000L))).join();
        byte[] clientBatch = io.floe.format.RecordBatches.build(List.of(new Message(0, null, b("kafka"), List.of(), 2000L)), 2000L);
        java.nio.ByteBuffer sent = java.nio.ByteBuffer.wrap(clientBatch);
        e.append("stamped", 0, sent).join();
        assertThat(sent.array()).as("the caller's buffer is not changed").isEqualTo(clientBatch);
        List<FetchedRecord> all = readAll(e, "stamped", 0);
        assertThat(all).hasSize(2).allSatisfy(r -> assertThat(r.timestamp()).isGreaterThanOrEqualTo(before));
        assertThat(e.offsetForTimestamp("stamped", 0, before)).isZero();
    }

    @Test
    void overlappingFlushesOnASlowStoreKeepEveryKeysOrder() {
        FaultInjectingObjectStore slow = new FaultInjectingObjectStore(new MemoryObjectStore(), new SplittableRandom(7),
                new FaultInjectingObjectStore.Faults(0, 0, 0, Duration.ofMillis(25)), FaultInjectingObjectStore.Sleeper.REAL);
        // Tiny flushes, no inline data: every flush writes a segment, and up to three overlap.
        LogSettings s = new LogSettings("slow", Duration.ofMillis(1), 4096, 100_000, 0, 64L << 20, 1L << 20,
                Duration.ofMillis(10), 64, Duration.ofSeconds(10), true, 3);
        LogEngine e = new LogEngine(slow, Clock.systemUTC(), new SplittableRandom(3), s);
        engines.add(e);
        e.createTopic("ordered", 2, Map.of());
        List<CompletableFuture<List<RecordPosition>>> acks = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            acks.add(e.produce("ordered", List.of(Message.of(b("k" + (i % 3)), b(i + ":" + "x".repeat(1000))))));
        }
        acks.forEach(CompletableFuture::join);
        for (int p = 0; p < 2; p++) {
            java.util.Map<String, Integer> last = new java.util.HashMap<>();
            for (FetchedRecord r : readAll(e, "ordered", p)) {
                int n = Integer.parseInt(s(r.value()).substring(0, s(r.value()).indexOf(':')));
                Integer before = last.put(s(r.key()), n);
                assertThat(before == null ? -1 : before).as("key %s keeps its order", s(r.key())).isLessThan(n);
            }
        }
        assertThat(e.offsets("ordered").stream().mapToLong(PartitionOffsets::endOffset).sum()).isEqualTo(300);
    }
}
