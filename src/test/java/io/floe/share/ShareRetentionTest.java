package io.floe.share;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.janitor.Janitor;
import io.floe.janitor.JanitorSettings;
import io.floe.log.LogEngine;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.Message;
import io.floe.model.TopicPartition;
import io.floe.runtime.Defaults;
import io.floe.store.MemoryObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** When retention moves a topic's log start past a share-partition's start, delivery goes on from the new log start. */
class ShareRetentionTest {

    @Test
    void retentionPastTheShareStartArchivesWhatWasDeletedAndDeliveryGoesOn() {
        MemoryObjectStore bucket = new MemoryObjectStore();
        try (LogEngine engine = new LogEngine(bucket, Clock.systemUTC(), new SplittableRandom(1), Defaults.log("ret"))) {
            engine.createTopic("q", 1, Map.of("retention.ms", "60000", "max.message.bytes", "4194304"));
            long old = System.currentTimeMillis() - 3_600_000;
            String filler = "x".repeat(Defaults.log("x").inlineBytes() + 1); // one segment per record
            for (int i = 0; i < 20; i++) {
                engine.produce("q", List.of(new Message(0, null, ("old-" + i + filler).getBytes(StandardCharsets.UTF_8), List.of(), old)))
                        .join();
            }
            ShareGroups shares = new ShareGroups(bucket, engine, Clock.systemUTC(), new SplittableRandom(2), ShareSettings.defaults("ret"));
            shares.setAutoOffsetReset("g", ShareGroupDoc.EARLIEST);
            shares.heartbeat(new ShareHeartbeat("g", "m1", ShareHeartbeat.JOIN, "c", "/h", null, List.of("q")));
            TopicPartition tp = new TopicPartition("q", 0);
            long held = 0;
            for (int i = 0; i < 20 && held < 5; i++) { // a read returns what one stored object holds: one record here
                held += shares.fetch(new ShareFetch("g", "m1", List.of(tp), Map.of(), (int) (5 - held), 1 << 20, Duration.ZERO))
                        .acquiredCount();
            }
            assertThat(held).isEqualTo(5);
            SharePartitionState before = shares.partitionState("g", tp).orElseThrow();
            assertThat(before.endOffset()).isEqualTo(5);
            assertThat(before.inFlight()).allMatch(r -> r.state() == RecordState.ACQUIRED && r.memberId().equals("m1"));

            engine.produce("q", List.of(new Message(0, null, "fresh".getBytes(StandardCharsets.UTF_8), List.of(),
                    System.currentTimeMillis()))).join();
            Janitor janitor = new Janitor(engine.maintenance(), Clock.systemUTC(), new SplittableRandom(3),
                    new JanitorSettings(Duration.ofSeconds(30), Duration.ZERO, Duration.ofSeconds(20), 64 << 10, 1 << 20,
                            256 << 10, 4, Duration.ZERO, 0.5, 0, 4 << 20));
            janitor.runOnce();
            assertThat(engine.offsets("q", 0).logStartOffset()).isEqualTo(20);

            ShareFetchResult next = shares.fetch(new ShareFetch("g", "m1", List.of(tp), Map.of(), 5, 1 << 20, Duration.ZERO));
            assertThat(next.partitions().get(tp).acquired()).containsExactly(new AcquiredRecords(20, 20, 1));
            assertThat(shares.partitionState("g", tp).orElseThrow().startOffset()).isEqualTo(20);
            Map<TopicPartition, FloeException> refused = shares.acknowledge("g", "m1",
                    Map.of(tp, List.of(new Acknowledgement(2, 2, AckType.ACCEPT))));
            assertThat(refused.get(tp).code()).isEqualTo(ErrorCode.INVALID_RECORD_STATE);
        }
    }
}
