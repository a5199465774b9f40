package io.floe.janitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.format.IndexEntry;
import io.floe.format.RecordBatches;
import io.floe.model.FetchedRecord;
import io.floe.model.Message;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The janitor's pure policies: retention selection, merge planning, compaction filtering, deletion with grace. */
class PoliciesTest {

    private static final long NOW = 1_700_000_000_000L;

    private static IndexEntry entry(long base, int count, long ts, int length) {
        return new IndexEntry(base, count, ts, "segments/x", 8, length);
    }

    @Test
    void timeRetentionDropsLeadingEntriesOlderThanRetentionMs() {
        List<IndexEntry> es = List.of(entry(0, 10, NOW - 5000, 100), entry(10, 10, NOW - 3000, 100), entry(20, 5, NOW, 100));
        assertThat(Retention.newLogStart(es, 0, 25, NOW, 4000, -1)).hasValue(10);
        assertThat(Retention.newLogStart(es, 0, 25, NOW, 10_000, -1)).isEmpty();
        assertThat(Retention.newLogStart(es, 0, 25, NOW, -1, -1)).isEmpty();
        assertThat(Retention.newLogStart(es, 0, 25, NOW + 10_000, 1000, -1)).as("everything expired: empty partition").hasValue(25);
    }

    @Test
    void sizeRetentionDropsOldestEntriesWhileTheRestStillHoldsTheLimit() {
        List<IndexEntry> es = List.of(entry(0, 10, NOW, 100), entry(10, 10, NOW, 100), entry(20, 5, NOW, 100));
        assertThat(Retention.newLogStart(es, 0, 25, NOW, -1, 200)).hasValue(10);
        assertThat(Retention.newLogStart(es, 0, 25, NOW, -1, 150)).hasValue(10);
        assertThat(Retention.newLogStart(es, 0, 25, NOW, -1, 100)).hasValue(20);
        assertThat(Retention.newLogStart(es, 0, 25, NOW, -1, 300)).isEmpty();
    }

    @Test
    void retentionNeverMovesTheLogStartBack() {
        List<IndexEntry> es = List.of(entry(0, 10, NOW - 5000, 100), entry(10, 10, NOW, 100));
        assertThat(Retention.newLogStart(es, 12, 20, NOW, 1000, -1)).isEmpty();
    }

    private static JanitorSettings merge(int small, int object, int entryBytes, int minEntries, Duration settle) {
        return new JanitorSettings(Duration.ofSeconds(10), Duration.ZERO, Duration.ofSeconds(5), small, object, entryBytes,
                minEntries, settle, 0.5, 0, 4L * object);
    }

    @Test
    void mergePlanGroupsRunsOfSmallSettledEntriesButNeverTheLastEntry() {
        List<IndexEntry> es = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            es.add(entry(i * 10L, 10, NOW - 60_000, 99));
        }
        List<MergePlan.Group> groups = MergePlan.plan(es, NOW, merge(100, 450, 200, 3, Duration.ofSeconds(30)));
        // 9 candidates (the last entry is the tail), groups of at most 450 bytes: 4 + 4 + 1 (a single one is not merged).
        assertThat(groups).hasSize(2);
        assertThat(groups.get(0).fromOffset()).isZero();
        assertThat(groups.get(0).toOffset()).isEqualTo(40);
        assertThat(groups.get(0).targets()).as("new entries of at least 200 bytes").hasSize(2);
        assertThat(groups.get(1).fromOffset()).isEqualTo(40);
        assertThat(groups.get(1).toOffset()).isEqualTo(80);
    }

    @Test
    void mergedObjectsStayWithinTheTopicsSegmentBytesAndSegmentMs() {
        List<IndexEntry> es = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            es.add(entry(i * 10L, 10, NOW - 600_000 + i * 10_000L, 99));
        }
        JanitorSettings s = merge(100, 10_000, 200, 3, Duration.ZERO);
        assertThat(MergePlan.plan(es, NOW, s)).as("no segment rules: one object").hasSize(1);
        List<MergePlan.Group> bySize = MergePlan.plan(es, NOW, s, new MergePlan.Segments(300, Long.MAX_VALUE));
        assertThat(bySize).extracting(MergePlan.Group::bytes).containsExactly(297L, 297L, 297L);
        // segment.ms = 25 s: an object spans at most 25 s of record time (3 entries, 10 s apart).
        List<MergePlan.Group> byTime = MergePlan.plan(es, NOW, s, new MergePlan.Segments(Long.MAX_VALUE, 25_000));
        assertThat(byTime).extracting(g -> g.sources().size()).containsExactly(3, 3, 3);
        for (MergePlan.Group g : byTime) {
            assertThat(g.sources().get(g.sources().size() - 1).maxTimestamp() - g.sources().get(0).maxTimestamp()).isLessThanOrEqualTo(25_000);
        }
        io.floe.model.TopicConfig cfg = io.floe.model.TopicConfig.validated(java.util.Map.of("segment.ms", "25000"));
        assertThat(MergePlan.Segments.of(cfg)).isEqualTo(new MergePlan.Segments(1_073_741_824L, 25_000));
    }

    @Test
    void topicsMinCleanableDirtyRatioOverridesTheJanitorsOnlyWhenSet() {
        JanitorSettings s = merge(100, 10_000, 200, 3, Duration.ZERO);
        assertThat(TidyPlan.minCleanableRatio(io.floe.model.TopicConfig.empty(), s)).isEqualTo(s.minCleanableRatio());
        assertThat(TidyPlan.minCleanableRatio(io.floe.model.TopicConfig.validated(
                java.util.Map.of("min.cleanable.dirty.ratio", "0.01")), s)).isEqualTo(0.01);
    }

    @Test
    void mergeWaitsForTheTriggerAndForTheSettleTime() {
        List<IndexEntry> es = List.of(entry(0, 1, NOW - 60_000, 100), entry(1, 1, NOW - 60_000, 100), entry(2, 1, NOW, 100));
        assertThat(MergePlan.plan(es, NOW, merge(1000, 10_000, 200, 3, Duration.ZERO))).as("2 candidates < 3").isEmpty();
        assertThat(MergePlan.plan(es, NOW, merge(1000, 10_000, 200, 2, Duration.ZERO))).hasSize(1);
        assertThat(MergePlan.plan(es, NOW, merge(1000, 10_000, 200, 2, Duration.ofMinutes(5)))).as("not settled").isEmpty();
        List<IndexEntry> big = List.of(entry(0, 1, 0, 5000), entry(1, 1, 0, 5000), entry(2, 1, 0, 100));
        assertThat(MergePlan.plan(big, NOW, merge(1000, 10_000, 200, 2, Duration.ZERO))).as("large entries stay").isEmpty();
    }

    private static IndexEntry in(String object, long base, int length) {
        return new IndexEntry(base, 1, NOW - 60_000, object, 8 + base * 1000, length);
    }

    /** Partition p has one 100-byte entry in each of the objects named, in that order. */
    private static Map<Integer, List<MergePlan.Group>> groups(JanitorSettings s, List<String>... objectsPerPartition) {
        Map<Integer, List<MergePlan.Group>> out = new java.util.TreeMap<>();
        for (int p = 0; p < objectsPerPartition.length; p++) {
            List<IndexEntry> es = new ArrayList<>();
            for (int i = 0; i < objectsPerPartition[p].size(); i++) {
                es.add(in(objectsPerPartition[p].get(i), i, 100));
            }
            out.put(p, List.of(MergePlan.group(es, s)));
        }
        return out;
    }

    @Test
    @SuppressWarnings("unchecked")
    void mergeScheduleReadsEachSourceObjectOnceAndHoldsAtMostTheBuffer() {
        List<String> flushes = List.of("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9");
        JanitorSettings s = new JanitorSettings(Duration.ofSeconds(10), Duration.ZERO, Duration.ofSeconds(5), 100, 500, 200,
                2, Duration.ZERO, 0.5, 0, 700);
        Map<Integer, List<MergePlan.Group>> groups = groups(s, flushes, flushes, flushes);

        List<MergeSchedule.Batch> batches = MergeSchedule.batches(groups, s);

        // Every flush holds 3 x 100 wanted bytes: two flushes per 700-byte batch.
        assertThat(batches).hasSize(5);
        assertThat(batches.stream().flatMap(b -> b.objects().stream()).toList()).as("each object read once, in chain order")
                .isEqualTo(flushes);
        for (MergeSchedule.Batch b : batches) {
            assertThat(b.bytes()).isLessThanOrEqualTo(s.mergeBufferBytes());
            assertThat(b.parts()).hasSize(3);
            for (MergeSchedule.Part part : b.parts()) {
                assertThat(part.group().sources()).extracting(IndexEntry::objectKey).containsExactlyElementsOf(b.objects());
            }
        }
        JanitorSettings roomy = new JanitorSettings(s.lease(), s.grace(), s.maxRunTime(), 100, 500, 200, 2, Duration.ZERO, 0.5, 0,
                2_000);
        assertThat(MergeSchedule.batches(groups, roomy)).as("3,000 bytes in a 2,000-byte buffer: two even batches, not 1,800 + 1,200")
                .extracting(MergeSchedule.Batch::bytes).containsExactly(1_500L, 1_500L);
        assertThat(batches.stream().flatMap(b -> b.parts().stream()).filter(part -> part.partition() == 1)
                .flatMap(part -> part.group().sources().stream()).map(IndexEntry::baseOffset).toList())
                .as("the parts of a partition tile its planned group, in offset order")
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    }

    @Test
    @SuppressWarnings("unchecked")
    void mergeScheduleOrdersObjectsAsTheChainWroteThemAndCutsGroupsOnlyBetweenBatches() {
        JanitorSettings s = new JanitorSettings(Duration.ofSeconds(10), Duration.ZERO, Duration.ofSeconds(5), 100, 500, 200,
                2, Duration.ZERO, 0.5, 0, 500);
        // The chain wrote a, b, c, d; no partition is in all of them, and they are first seen as c, d, b, a.
        assertThat(MergeSchedule.readOrder(groups(s, List.of("c", "d"), List.of("b", "c"), List.of("a", "b"))))
                .containsExactly("a", "b", "c", "d");
        // Entry orders that disagree (never written by a chain) still give every object once, and no part
        // merges entries that are not consecutive.
        Map<Integer, List<MergePlan.Group>> crossed = groups(s, List.of("x", "y", "z"), List.of("z", "y", "x"));
        assertThat(MergeSchedule.readOrder(crossed)).containsExactlyInAnyOrder("x", "y", "z");
        for (MergeSchedule.Batch b : MergeSchedule.batches(crossed, s)) {
            for (MergeSchedule.Part part : b.parts()) {
                List<IndexEntry> src = part.group().sources();
                for (int i = 1; i < src.size(); i++) {
                    assertThat(src.get(i).baseOffset()).isEqualTo(src.get(i - 1).nextOffset());
                }
                assertThat(b.objects()).containsAll(src.stream().map(IndexEntry::objectKey).toList());
            }
        }
    }

    private static ByteBuffer batch(long base, String... keyValues) {
        List<Message> ms = new ArrayList<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            byte[] v = keyValues[i + 1] == null ? null : keyValues[i + 1].getBytes(StandardCharsets.UTF_8);
            ms.add(new Message(null, keyValues[i].getBytes(StandardCharsets.UTF_8), v, List.of(), NOW - 10_000));
        }
        ByteBuffer b = ByteBuffer.wrap(RecordBatches.build(ms, NOW));
        RecordBatches.assignOffsets(b, base);
        return b;
    }

    private static ByteBuffer concat(ByteBuffer... bs) {
        ByteBuffer out = ByteBuffer.allocate(java.util.Arrays.stream(bs).mapToInt(ByteBuffer::remaining).sum());
        for (ByteBuffer b : bs) {
            out.put(b.duplicate());
        }
        return out.flip();
    }

    @Test
    void compactionKeepsTheLatestRecordPerKeyAndEveryBatchSpanWithValidCrcs() {
        ByteBuffer in = concat(batch(0, "a", "1", "b", "1"), batch(2, "a", "2", "a", "3"), batch(4, "c", "1"));
        Compaction.OffsetMap map = new Compaction.OffsetMap();
        map.add(in);
        ByteBuffer out = Compaction.filter(in, map, NOW, 86_400_000);
        RecordBatches.Summary s = RecordBatches.inspect(out); // CRCs, framing, record counts
        assertThat(s.batchCount()).isEqualTo(3);
        assertThat(s.offsetCount()).as("offsets keep their span").isEqualTo(5);
        List<FetchedRecord> rs = RecordBatches.decode(0, out, 0);
        assertThat(rs).extracting(FetchedRecord::offset).containsExactly(1L, 3L, 4L);
        assertThat(rs).extracting(r -> new String(r.value(), StandardCharsets.UTF_8)).containsExactly("1", "3", "1");
        assertThat(RecordBatches.nextOffset(out)).isEqualTo(5);
    }

    @Test
    void compactionKeepsAFullyCompactedBatchAsAnEmptyBatchOfTheSameSpan() {
        ByteBuffer in = concat(batch(0, "a", "1", "a", "2"), batch(2, "a", "3"));
        Compaction.OffsetMap map = new Compaction.OffsetMap();
        map.add(in);
        ByteBuffer out = Compaction.filter(in, map, NOW, 86_400_000);
        assertThat(RecordBatches.inspect(out).recordCount()).isEqualTo(1);
        assertThat(RecordBatches.inspect(out).offsetCount()).isEqualTo(3);
        assertThat(RecordBatches.decode(0, out, 0)).extracting(FetchedRecord::offset).containsExactly(2L);
    }

    @Test
    void tombstonesGoOnlyOnceOlderThanDeleteRetention() {
        ByteBuffer in = concat(batch(0, "a", "1"), batch(1, "a", null));
        Compaction.OffsetMap map = new Compaction.OffsetMap();
        map.add(in);
        ByteBuffer young = Compaction.filter(in, map, NOW, 60_000);
        assertThat(RecordBatches.decode(0, young, 0)).extracting(FetchedRecord::offset).containsExactly(1L);
        ByteBuffer old = Compaction.filter(in, map, NOW, 5_000);
        assertThat(RecordBatches.decode(0, old, 0)).isEmpty();
        assertThat(RecordBatches.inspect(old).offsetCount()).isEqualTo(2);
    }

    @Test
    void nothingToDropLeavesTheBytesAsTheyAre() {
        ByteBuffer in = concat(batch(0, "a", "1"), batch(1, "b", "1"));
        Compaction.OffsetMap map = new Compaction.OffsetMap();
        map.add(in);
        assertThat(Compaction.filter(in, map, NOW, 60_000)).isSameAs(in);
    }

    @Test
    void compactionIsDueByDirtyBytesAndSparesTheActivePart() {
        List<IndexEntry> es = List.of(entry(0, 10, NOW - 60_000, 100), entry(10, 10, NOW - 60_000, 100),
                entry(20, 10, NOW - 1000, 100), entry(30, 10, NOW, 100));
        assertThat(Compaction.cleanableEnd(es, NOW, 0)).as("the last entry is active").isEqualTo(30);
        assertThat(Compaction.cleanableEnd(es, NOW, 5000)).as("min.compaction.lag.ms").isEqualTo(20);
        assertThat(Compaction.due(es, 0, 30, 0.5, 0)).isTrue();
        assertThat(Compaction.due(es, 20, 30, 0.5, 0)).as("1 dirty of 3").isFalse();
        assertThat(Compaction.due(es, 10, 30, 0.5, 0)).as("2 dirty of 3").isTrue();
        assertThat(Compaction.due(es, 10, 30, 0.5, 1000)).as("below min dirty bytes").isFalse();
    }

    @Test
    void ledgerDeletesOnlyAfterTheGracePeriodAndForgetsWhatIsReferencedAgain() {
        Ledger l = Ledger.empty();
        Ledger.Observation o1 = l.observe(Set.of("a", "b"), 1000, 500, 1, "n1");
        assertThat(o1.due()).isEmpty();
        Ledger.Observation o2 = Ledger.decode(o1.next().encode()).observe(Set.of("a"), 1400, 500, 1, "n2");
        assertThat(o2.due()).isEmpty();
        assertThat(o2.next().firstSeen()).isEqualTo(Map.of("a", 1000L));
        Ledger.Observation o3 = o2.next().observe(Set.of("a", "b"), 1500, 500, 2, "n3");
        assertThat(o3.due()).containsExactly("a");
        assertThat(o3.next().firstSeen()).containsEntry("b", 1500L);
        assertThat(Ledger.decode(o3.next().encode())).isEqualTo(o3.next());
    }

    private static ByteBuffer kafkaBatch(long base, org.apache.kafka.common.record.internal.MemoryRecords records) {
        ByteBuffer b = records.buffer();
        RecordBatches.assignOffsets(b, base);
        return b;
    }

    @Test
    void compactionDropsAbortedTransactionsSoTheyNeverShadowCommittedValuesAndKeepsMarkers() {
        ByteBuffer in = concat(batch(0, "a", "committed"),
                kafkaBatch(1, org.apache.kafka.common.record.internal.MemoryRecords.withTransactionalRecords(
                        org.apache.kafka.common.compress.Compression.NONE, 7L, (short) 0, 0,
                        new org.apache.kafka.common.record.internal.SimpleRecord(NOW - 10_000, "a".getBytes(StandardCharsets.UTF_8),
                                "aborted".getBytes(StandardCharsets.UTF_8)))),
                kafkaBatch(2, org.apache.kafka.common.record.internal.MemoryRecords.withEndTransactionMarker(NOW - 10_000, 7L,
                        (short) 0, new org.apache.kafka.common.record.internal.EndTransactionMarker(
                                org.apache.kafka.common.record.internal.ControlRecordType.ABORT, 0))));
        List<io.floe.format.Checkpoint.AbortedTxn> aborted = List.of(new io.floe.format.Checkpoint.AbortedTxn(7, 1, 2));
        Compaction.OffsetMap map = new Compaction.OffsetMap(aborted);
        map.add(in);
        ByteBuffer out = Compaction.filter(in, map, NOW, 86_400_000);
        assertThat(RecordBatches.decode(0, out, 0)).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("committed");
        RecordBatches.Summary s = RecordBatches.inspect(out);
        assertThat(s.batchCount()).as("every batch keeps its span; the ABORT marker stays").isEqualTo(3);
        assertThat(s.recordCount()).as("the committed record and the marker").isEqualTo(2);

        // Without the aborted ranges (as before issue 12) the aborted write shadowed the committed value.
        Compaction.OffsetMap blind = new Compaction.OffsetMap();
        blind.add(in);
        assertThat(RecordBatches.decode(0, Compaction.filter(in, blind, NOW, 86_400_000), 0))
                .extracting(r -> new String(r.value(), StandardCharsets.UTF_8)).containsExactly("aborted");
    }
}
