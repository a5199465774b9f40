package io.floe.deploy;

import io.floe.runtime.Defaults;
import static org.assertj.core.api.Assertions.assertThat;

import io.floe.log.LogEngine;
import io.floe.log.LogSettings;
import io.floe.log.RecordPosition;
import io.floe.model.FetchedRecord;
import io.floe.model.Message;
import io.floe.store.ObjectStore;
import io.floe.store.S3ObjectStore;
import io.floe.store.StoreSettings;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * What a deployment relies on from its S3 service, as scenarios run unchanged against each S3 we
 * develop with: radosgw ({@link RadosGwScenariosTest}, always, in CI) and LocalStack
 * ({@link LocalStackScenariosTest}, where Docker exists). Each scenario gets a fresh bucket.
 */
abstract class BucketScenarios {

    /** Settings of a new, empty bucket on the S3 service under test (created by the implementation). */
    abstract StoreSettings newBucket(String name);

    private static String bucketName() {
        return "floe-sc-" + UUID.randomUUID().toString().substring(0, 12);
    }

    private static LogEngine engine(ObjectStore store, String id) {
        return new LogEngine(store, Clock.systemUTC(), new SplittableRandom(id.hashCode()), Defaults.log(id));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void whatOneInstanceAcknowledgesAFreshInstanceReads() {
        StoreSettings settings = newBucket(bucketName());
        try (S3ObjectStore store = S3ObjectStore.open(settings); LogEngine a = engine(store, "a")) {
            assertThat(a.storeReachable()).as("readiness").isTrue();
            a.createTopic("orders", 2, Map.of());
            List<Message> batch = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                batch.add(Message.of(utf8("k" + (i % 5)), utf8("v" + i)));
            }
            a.produce("orders", batch).join();
        }
        try (S3ObjectStore store = S3ObjectStore.open(settings); LogEngine b = engine(store, "b")) {
            long total = 0;
            for (int p = 0; p < 2; p++) {
                total += b.offsets("orders", p).endOffset();
                List<FetchedRecord> records = b.fetch("orders", p, 0, 1 << 20, Duration.ZERO).join().records();
                assertThat(records).hasSize((int) b.offsets("orders", p).endOffset());
            }
            assertThat(total).isEqualTo(50);
        }
    }

    @Test
    void twoInstancesRacingOnOnePartitionNeverShareAnOffset() {
        StoreSettings settings = newBucket(bucketName());
        try (S3ObjectStore s1 = S3ObjectStore.open(settings); S3ObjectStore s2 = S3ObjectStore.open(settings);
                LogEngine a = engine(s1, "a"); LogEngine b = engine(s2, "b")) {
            a.createTopic("race", 1, Map.of());
            List<CompletableFuture<List<RecordPosition>>> acks = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                acks.add(a.produce("race", List.of(new Message(0, null, utf8("a" + i), List.of(), null))));
                acks.add(b.produce("race", List.of(new Message(0, null, utf8("b" + i), List.of(), null))));
            }
            Set<Long> offsets = new HashSet<>();
            for (CompletableFuture<List<RecordPosition>> f : acks) {
                for (RecordPosition pos : f.join()) {
                    assertThat(offsets.add(pos.offset())).as("offset %d given once", pos.offset()).isTrue();
                }
            }
            assertThat(offsets).hasSize(40).allMatch(o -> o >= 0 && o < 40);
        }
    }

    @Test
    void scheduledMaintenanceRunsOnTheBucket() {
        StoreSettings settings = newBucket(bucketName());
        try (S3ObjectStore store = S3ObjectStore.open(settings); LogEngine a = engine(store, "m")) {
            a.createTopic("quiet", 1, Map.of());
            a.produce("quiet", List.of(Message.of(null, utf8("x")))).join();
            assertThat(a.runMaintenance()).as("one commit: no checkpoint due").isZero();
        }
    }
}
