package io.floe.janitor;

import io.floe.runtime.Defaults;
import io.floe.format.BucketLayout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.format.IndexEntry;
import io.floe.log.LogEngine;
import io.floe.log.LogSettings;
import io.floe.log.Maintenance;
import io.floe.log.PartitionOffsets;
import io.floe.model.FetchedRecord;
import io.floe.model.Message;
import io.floe.model.OffsetOutOfRangeException;
import io.floe.model.Topic;
import io.floe.store.S3ObjectStore;
import io.floe.testkit.RadosGw;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The janitor end to end against a real S3 server (Ceph radosgw), with a zero grace period. */
class JanitorOnRadosGwTest {

    private final List<AutoCloseable> open = new ArrayList<>();
    private S3ObjectStore bucket;
    private LogEngine engine;
    private Janitor janitor;

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private void start(String name) {
        bucket = RadosGw.newBucketStore(name);
        open.add(bucket);
        engine = new LogEngine(bucket, Clock.systemUTC(), new SplittableRandom(1), Defaults.log("e2e"));
        open.add(engine);
        janitor = new Janitor(engine.maintenance(), Clock.systemUTC(), new SplittableRandom(2),
                new JanitorSettings(Duration.ofSeconds(30), Duration.ZERO, Duration.ofSeconds(20), 64 << 10, 1 << 20,
                        256 << 10, 4, Duration.ZERO, 0.5, 0, 4 << 20));
    }

    private void produce(String topic, Integer partition, String key, String value, long timestamp) {
        engine.produce(topic, List.of(new Message(partition, key == null ? null : bytes(key), bytes(value), List.of(), timestamp)))
                .join();
    }

    private List<FetchedRecord> readAll(String topic, int partition) {
        return readAll(engine, topic, partition);
    }

    private static List<FetchedRecord> readAll(LogEngine engine, String topic, int partition) {
        PartitionOffsets range = engine.offsets(topic, partition);
        List<FetchedRecord> out = new ArrayList<>();
        long offset = range.logStartOffset();
        while (offset < range.endOffset()) {
            var r = engine.fetch(topic, partition, offset, 1 << 20, Duration.ZERO).join();
            out.addAll(r.records());
            offset = r.nextOffset();
        }
        return out;
    }

    private int count(String prefix) {
        return bucket.list(prefix, null, 100_000).size();
    }

    private Set<String> referenced(String topic) {
        Set<String> keys = new HashSet<>();
        Topic t = engine.topic(topic);
        for (Maintenance.PartitionView p : engine.maintenance().view(t).partitions().values()) {
            p.entries().stream().map(IndexEntry::objectKey).forEach(keys::add);
        }
        return keys;
    }

    @Test
    void shortRetentionRemovesObjectsFromTheBucketAndAdvancesTheLogStart() {
        start("janitor-retention");
        Topic t = engine.createTopic("logs", 1, Map.of("retention.ms", "60000", "max.message.bytes", "4194304"));
        long old = System.currentTimeMillis() - 3_600_000;
        for (int i = 0; i < 20; i++) {
            produce("logs", 0, null, "old-" + i + "-" + "x".repeat(Defaults.log("x").inlineBytes() + 1), old); // > inline size: one segment each
        }
        produce("logs", 0, null, "fresh", System.currentTimeMillis());
        int segmentsBefore = count(BucketLayout.SEGMENTS);
        assertThat(segmentsBefore).isGreaterThanOrEqualTo(20);

        Janitor.Report r = janitor.runOnce();
        assertThat(r.leader()).isTrue();
        assertThat(r.truncated()).isEqualTo(1);

        assertThat(engine.offsets("logs", 0).logStartOffset()).isEqualTo(20);
        assertThat(count(BucketLayout.SEGMENTS)).as("old segments deleted").isLessThanOrEqualTo(segmentsBefore - 20);
        assertThat(readAll("logs", 0)).extracting(rec -> new String(rec.value(), StandardCharsets.UTF_8)).containsExactly("fresh");
        assertThatThrownBy(() -> engine.fetch("logs", 0, 0, 1 << 20, Duration.ZERO).join())
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(count(BucketLayout.commitsPrefix(t.id()))).as("commits covered by the janitor's checkpoint are gone")
                .isLessThan(21);
    }

    @Test
    void deleteRecordsLetsTheJanitorRemoveWholeObjectsBelowTheNewLogStart() {
        start("janitor-delete-records");
        Topic t = engine.createTopic("purged", 1, Map.of("max.message.bytes", "4194304"));
        for (int i = 0; i < 20; i++) {
            produce("purged", 0, null, "r-" + i + "-" + "x".repeat(Defaults.log("x").inlineBytes() + 1), System.currentTimeMillis());
        }
        List<IndexEntry> before = engine.maintenance().view(t).partitions().get(0).entries();
        Set<String> below = new HashSet<>();
        before.stream().filter(e -> e.nextOffset() <= 15).forEach(e -> below.add(e.objectKey()));
        before.stream().filter(e -> e.nextOffset() > 15).forEach(e -> below.remove(e.objectKey()));
        assertThat(below).as("objects wholly below offset 15").isNotEmpty();

        assertThat(engine.deleteRecords("purged", Map.of(0, 15L)).logStartOffsets()).containsEntry(0, 15L);
        assertThat(engine.offsets("purged", 0).logStartOffset()).isEqualTo(15);
        janitor.runOnce();

        for (String key : below) {
            assertThat(bucket.get(key)).as("deleted: " + key).isEmpty();
        }
        assertThat(engine.offsets("purged", 0).logStartOffset()).isEqualTo(15);
        assertThat(readAll("purged", 0)).hasSize(5).first().extracting(FetchedRecord::offset).isEqualTo(15L);
    }

    @Test
    void aCompactedTopicWrittenAHundredTimesPerKeyEndsWithOneRecordPerKey() {
        start("janitor-compaction");
        engine.createTopic("table", 1, Map.of("cleanup.policy", "compact"));
        for (int round = 0; round < 100; round++) {
            List<Message> ms = new ArrayList<>();
            for (int k = 0; k < 10; k++) {
                ms.add(new Message(0, bytes("key" + k), bytes("v" + round), List.of(), null));
            }
            engine.produce("table", ms).join();
        }
        produce("table", 0, "other", "tail", System.currentTimeMillis()); // the active entry, never compacted
        long end = engine.offsets("table", 0).endOffset();

        Janitor.Report r = janitor.runOnce();
        assertThat(r.compacted()).isEqualTo(1);

        List<FetchedRecord> after = readAll("table", 0);
        Map<String, List<String>> byKey = new HashMap<>();
        after.forEach(rec -> byKey.computeIfAbsent(new String(rec.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                .add(new String(rec.value(), StandardCharsets.UTF_8)));
        for (int k = 0; k < 10; k++) {
            assertThat(byKey.get("key" + k)).as("key%d keeps only its latest value", k).containsExactly("v99");
        }
        assertThat(byKey.get("other")).containsExactly("tail");
        assertThat(engine.offsets("table", 0).endOffset()).as("offsets never change").isEqualTo(end);
        assertThat(after.get(after.size() - 1).offset()).isEqualTo(end - 1);
    }

    @Test
    void mergingTurnsManySmallObjectsIntoFewAndReadsStayIdentical() {
        start("janitor-merge");
        engine.createTopic("many", 2, Map.of());
        for (int i = 0; i < 60; i++) {
            produce("many", i % 2, null, "r" + i + "-" + "y".repeat(2000), System.currentTimeMillis() - 60_000);
        }
        List<FetchedRecord> before0 = readAll("many", 0);
        List<FetchedRecord> before1 = readAll("many", 1);
        int objectsBefore = referenced("many").size();
        assertThat(objectsBefore).isGreaterThanOrEqualTo(50);

        Janitor.Report r = janitor.runOnce();
        assertThat(r.merged()).isPositive();

        assertThat(referenced("many").size()).as("objects named by the index").isLessThanOrEqualTo(6);
        LogEngine cold = new LogEngine(bucket, Clock.systemUTC(), new SplittableRandom(3), Defaults.log("cold"));
        open.add(cold);
        assertThat(values(readAll(cold, "many", 0))).isEqualTo(values(before0));
        assertThat(values(readAll(cold, "many", 1))).isEqualTo(values(before1));
        assertThat(offsets(readAll(cold, "many", 0))).isEqualTo(offsets(before0));
        assertThat(values(readAll("many", 0))).isEqualTo(values(before0));
        assertThat(count("data/" + engine.topic("many").id() + "/commits/")).as("merged commits removed").isLessThan(60);
    }

    @Test
    void deletingATopicRemovesItsObjects() {
        start("janitor-delete");
        Topic t = engine.createTopic("doomed", 2, Map.of());
        for (int i = 0; i < 10; i++) {
            produce("doomed", i % 2, null, "d" + i + "x".repeat(i % 3 == 0 ? 100_000 : 10), System.currentTimeMillis());
        }
        engine.maintenance().checkpoint(t);
        assertThat(count("data/" + t.id() + "/")).isPositive();
        engine.deleteTopic("doomed");

        janitor.runOnce();

        assertThat(count("data/" + t.id() + "/")).isZero();
        assertThat(count(BucketLayout.DELETED_TOPICS)).isZero();
        assertThat(count(BucketLayout.SEGMENTS)).as("segments of the deleted topic").isZero();
    }

    @Test
    void deletingATopicRemovesTheShareGroupStateKeptForItAndNoOther() {
        start("janitor-share");
        Topic doomed = engine.createTopic("doomed-q", 2, Map.of());
        Topic kept = engine.createTopic("kept-q", 1, Map.of());
        for (int i = 0; i < 6; i++) {
            produce(i < 4 ? "doomed-q" : "kept-q", i < 4 ? i % 2 : 0, null, "q" + i, System.currentTimeMillis());
        }
        io.floe.share.ShareGroups shares = new io.floe.share.ShareGroups(bucket, engine, Clock.systemUTC(), new SplittableRandom(3),
                io.floe.share.ShareSettings.defaults("e2e"));
        for (String group : List.of("workers-a", "workers-b")) {
            shares.setAutoOffsetReset(group, "earliest");
            shares.heartbeat(new io.floe.share.ShareHeartbeat(group, "m1", io.floe.share.ShareHeartbeat.JOIN, "c", "/h", null,
                    List.of("doomed-q", "kept-q")));
            shares.fetch(new io.floe.share.ShareFetch(group, "m1", List.of(new io.floe.model.TopicPartition("doomed-q", 0),
                    new io.floe.model.TopicPartition("doomed-q", 1), new io.floe.model.TopicPartition("kept-q", 0)), Map.of(), 100,
                    1 << 20, Duration.ZERO));
        }
        assertThat(count(BucketLayout.SHARE_PARTITIONS)).as("two groups: 2 + 1 share-partitions each").isEqualTo(6);
        engine.deleteTopic("doomed-q");

        janitor.runOnce();

        List<String> left = bucket.list(BucketLayout.SHARE_PARTITIONS, null, 1000).stream().map(o -> o.key()).toList();
        assertThat(left).hasSize(2).allSatisfy(k -> assertThat(BucketLayout.sharePartitionTopicId(k)).isEqualTo(kept.id()));
        assertThat(left).noneMatch(k -> k.contains(doomed.id()));
    }

    private static List<String> values(List<FetchedRecord> rs) {
        return rs.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    private static List<Long> offsets(List<FetchedRecord> rs) {
        return rs.stream().map(FetchedRecord::offset).toList();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
