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
}
