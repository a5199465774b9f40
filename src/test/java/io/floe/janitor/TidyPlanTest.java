package io.floe.janitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.format.Commit;
import io.floe.format.IndexEntry;
import io.floe.log.Maintenance;
import io.floe.model.Topic;
import io.floe.model.TopicConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TidyPlanTest {

    private static final long NOW = 1_000_000_000L;
    private static final JanitorSettings SETTINGS = new JanitorSettings(Duration.ofSeconds(10), Duration.ZERO,
            Duration.ofSeconds(5), 1_000, 5_000, 1_000, 3, Duration.ZERO, 0.5, 0, 20_000);

    /** {@code count} small entries of 10 offsets each from offset 0, all written {@code age} ms ago. */
    private static Maintenance.PartitionView partition(int partition, int count, long age) {
        List<IndexEntry> es = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            es.add(new IndexEntry(i * 10L, 10, NOW - age, "segments/s" + i, 8, 100));
        }
        return new Maintenance.PartitionView(partition, 0, count * 10L, 0, es);
    }

    private static TidyPlan plan(TopicConfig cfg, Maintenance.PartitionView... partitions) {
        Map<Integer, Maintenance.PartitionView> byPartition = new java.util.TreeMap<>();
        for (Maintenance.PartitionView p : partitions) {
            byPartition.put(p.partition(), p);
        }
        Topic topic = new Topic("t", "t-id", partitions.length, cfg, 0);
        return TidyPlan.of(new Maintenance.TopicView(topic, 7, byPartition), cfg, NOW, SETTINGS);
    }

    @Test
    void retentionTruncatesAndMergesArePlannedOnWhatRetentionKeeps() {
        TidyPlan p = plan(TopicConfig.empty().with(TopicConfig.RETENTION_BYTES, "500"), partition(0, 10, 60_000));
        assertThat(p.truncates()).containsExactly(new Commit.Truncate(0, 50));
        assertThat(p.compactions()).isEmpty();
        assertThat(p.merges().get(0)).isNotEmpty()
                .allSatisfy(g -> assertThat(g.sources()).allSatisfy(e -> assertThat(e.baseOffset()).isGreaterThanOrEqualTo(50)));
    }

    @Test
    void aCompactedTopicPlansCompactionOfItsDirtyPartitionsAndNoTruncation() {
        TidyPlan p = plan(TopicConfig.empty().with(TopicConfig.CLEANUP_POLICY, "compact")
                .with(TopicConfig.RETENTION_BYTES, "500"), partition(0, 10, 60_000));
        assertThat(p.truncates()).isEmpty();
        assertThat(p.compactions()).singleElement().satisfies(c -> {
            assertThat(c.partition()).isZero();
            assertThat(c.entries()).hasSize(10);
        });
    }

    @Test
    void nothingToDoIsAnEmptyPlan() {
        assertThat(plan(TopicConfig.empty(), partition(0, 2, 0), partition(1, 0, 0)).isEmpty()).isTrue();
    }

    @Test
    void anEmptyPlanStaysEmptyUntilItsNextDueTime() {
        JanitorSettings settling = new JanitorSettings(Duration.ofSeconds(10), Duration.ZERO, Duration.ofSeconds(5), 1_000,
                5_000, 1_000, 3, Duration.ofSeconds(30), 0.5, 0, 20_000);
        java.util.SplittableRandom random = new java.util.SplittableRandom(14);
        int empty = 0;
        for (int round = 0; round < 20_000 && empty < 2_000; round++) {
            String policy = List.of("delete", "compact", "compact,delete").get(random.nextInt(3));
            TopicConfig cfg = TopicConfig.empty().with(TopicConfig.CLEANUP_POLICY, policy)
                    .with(TopicConfig.RETENTION_MS, Long.toString(random.nextBoolean() ? -1 : random.nextLong(1, 200_000)))
                    .with(TopicConfig.MIN_COMPACTION_LAG_MS, Long.toString(random.nextLong(0, 100_000)));
            Map<Integer, Maintenance.PartitionView> partitions = new java.util.TreeMap<>();
            for (int p = 0; p < 1 + random.nextInt(3); p++) {
                List<IndexEntry> es = new ArrayList<>();
                long offset = 0;
                for (int i = 0; i < random.nextInt(6); i++) {
                    int count = 1 + random.nextInt(5);
                    es.add(new IndexEntry(offset, count, NOW - random.nextLong(0, 300_000), "segments/s" + p + i, 0,
                            random.nextBoolean() ? 100 : 2_000));
                    offset += count;
                }
                partitions.put(p, new Maintenance.PartitionView(p, 0, offset, random.nextBoolean() ? 0 : offset, es));
            }
            Maintenance.TopicView view = new Maintenance.TopicView(new Topic("t", "t-id", partitions.size(), cfg, 0), 7,
                    partitions);
            TidyPlan now = TidyPlan.of(view, cfg, NOW, settling);
            if (!now.isEmpty()) {
                continue;
            }
            empty++;
            assertThat(now.nextDueMs()).isGreaterThan(NOW);
            long horizon = now.nextDueMs() == Long.MAX_VALUE ? NOW + 10_000_000 : now.nextDueMs();
            for (long t : new long[] {NOW + 1, NOW + (horizon - NOW) / 2, horizon - 1, NOW + random.nextLong(1, horizon - NOW)}) {
                if (t > NOW && t < horizon) {
                    assertThat(TidyPlan.of(view, cfg, t, settling).isEmpty())
                            .as("plan of %s at %d (next due %d)", view, t, now.nextDueMs()).isTrue();
                }
            }
        }
        assertThat(empty).isGreaterThan(500);
    }

    @Test
    void theNextDueTimeOfAnIdleTopicIsItsOldestEntrysRetentionDeadline() {
        TopicConfig cfg = TopicConfig.empty().with(TopicConfig.RETENTION_MS, "100000");
        TidyPlan p = plan(cfg, partition(0, 1, 60_000));
        assertThat(p.isEmpty()).isTrue();
        assertThat(p.nextDueMs()).isEqualTo(NOW - 60_000 + 100_000);
        Topic topic = new Topic("t", "t-id", 1, cfg, 0);
        Maintenance.TopicView view = new Maintenance.TopicView(topic, 7, Map.of(0, partition(0, 1, 60_000)));
        assertThat(TidyPlan.of(view, cfg, p.nextDueMs() + 1, SETTINGS).truncates()).containsExactly(new Commit.Truncate(0, 10));
        assertThat(plan(TopicConfig.empty().with(TopicConfig.RETENTION_MS, "-1"), partition(0, 1, 60_000)).nextDueMs())
                .isEqualTo(Long.MAX_VALUE);
    }
}
