package io.floe.log;

import io.floe.runtime.Defaults;
import static org.assertj.core.api.Assertions.assertThat;

import io.floe.model.FetchedRecord;
import io.floe.model.Message;
import io.floe.store.S3ObjectStore;
import io.floe.testkit.RadosGw;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine against a real S3 server (Ceph radosgw): instances sharing one bucket. */
class RadosGwEngineTest {

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private LogEngine engine(S3ObjectStore store, String id) {
        LogEngine e = new LogEngine(store, Clock.systemUTC(), new SplittableRandom(id.hashCode()), Defaults.log(id));
        open.add(e);
        return e;
    }

    @Test
    void twoInstancesProducingToOnePartitionGiveContiguousOffsetsEveryRecordOnceKeysInOrder() throws Exception {
        S3ObjectStore bucket = RadosGw.newBucketStore("engine-race");
        open.add(bucket);
        LogEngine a = engine(bucket, "a");
        LogEngine b = engine(bucket, "b");
        a.createTopic("race", 1, Map.of());

        int perProducer = 300;
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        Map<String, Long> ackedOffset = new java.util.concurrent.ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(2);
        for (LogEngine e : List.of(a, b)) {
            String who = e == a ? "a" : "b";
            Thread.ofVirtual().start(() -> {
                try {
                    List<CompletableFuture<Void>> acks = new ArrayList<>();
                    for (int i = 0; i < perProducer; i++) {
                        String value = who + "-" + i;
                        // One key per producer: its records must keep their order.
                        acks.add(e.produce("race", List.of(Message.of(("key-" + who).getBytes(StandardCharsets.UTF_8),
                                        value.getBytes(StandardCharsets.UTF_8))))
                                .thenAccept(p -> ackedOffset.put(value, p.get(0).offset())));
                        if (i % 20 == 0) {
                            Thread.sleep(2);
                        }
                    }
                    acks.forEach(CompletableFuture::join);
                } catch (Throwable t) {
                    failures.add(who + ": " + t);
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        assertThat(failures).isEmpty();
        assertThat(ackedOffset).hasSize(2 * perProducer);
        assertThat(new java.util.HashSet<>(ackedOffset.values())).as("no offset given twice").hasSize(2 * perProducer);

        // A third, fresh instance reads the bucket.
        LogEngine reader = engine(bucket, "reader");
        assertThat(reader.offsets("race", 0).endOffset()).isEqualTo(2L * perProducer);
        List<FetchedRecord> all = new ArrayList<>();
        long offset = 0;
        while (offset < 2L * perProducer) {
            List<FetchedRecord> got = reader.fetch("race", 0, offset, 64 << 10, Duration.ZERO).join().records();
            all.addAll(got);
            offset = got.get(got.size() - 1).offset() + 1;
        }
        Map<String, Integer> lastIndexOf = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            FetchedRecord r = all.get(i);
            assertThat(r.offset()).as("contiguous offsets").isEqualTo(i);
            String value = new String(r.value(), StandardCharsets.UTF_8);
            assertThat(ackedOffset.get(value)).as("record %s is where its ack said", value).isEqualTo(r.offset());
            String producer = value.substring(0, 1);
            int index = Integer.parseInt(value.substring(2));
            Integer before = lastIndexOf.put(producer, index);
            assertThat(before == null ? -1 : before).as("producer %s's key keeps its order", producer).isLessThan(index);
        }
        assertThat(all).hasSize(2 * perProducer);
    }

    @Test
    void aRecordProducedOnOneInstanceIsFetchedOnAnotherAtOnce() {
        S3ObjectStore bucket = RadosGw.newBucketStore("engine-visibility");
        open.add(bucket);
        LogEngine a = engine(bucket, "a");
        LogEngine b = engine(bucket, "b");
        a.createTopic("seen", 3, Map.of());
        assertThat(b.offsets("seen", 1).endOffset()).isZero();
        long offset = a.produce("seen", List.of(new Message(1, null, "hello".getBytes(StandardCharsets.UTF_8), List.of(), null)))
                .join().get(0).offset();
        List<FetchedRecord> got = b.fetch("seen", 1, offset, 1 << 20, Duration.ZERO).join().records();
        assertThat(got).extracting(r -> new String(r.value(), StandardCharsets.UTF_8)).containsExactly("hello");
        assertThat(b.topic("seen").partitions()).isEqualTo(3);
        assertThat(b.clusterId()).isEqualTo(a.clusterId());
    }
}
