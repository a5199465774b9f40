package io.floe.janitor;

import io.floe.format.Checkpoint;
import io.floe.format.Commit;
import io.floe.format.IndexEntry;
import io.floe.log.Maintenance;
import io.floe.model.TopicConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * What one janitor run intends to do to one topic, decided from the topic's index, its configs and
 * the time alone: a pure function, no I/O (the janitor executes the plan). Per partition, in order:
 * retention may move the log start (a TRUNCATE); then, on a compacted topic whose dirty share is due,
 * compaction of the cleanable range; every partition also gets its merge groups, which the executor
 * uses for the partitions that were not compacted in the run (compaction rewrites those entries).
 *
 * <p>The plan also says when it can next change with the index and configs as they are: the time
 * rules below (retention.ms, min.compaction.lag.ms, the merge settle time) are the only inputs that
 * move by themselves, so a plan that is empty at {@code now} stays empty until {@code nextDueMs}
 * unless the topic changes (the janitor's quiet check, {@link ChangeCheck}, relies on that).
 * Conservative: an earlier time only costs a full janitor run. A new time rule must add its deadline
 * here; {@code TidyPlanTest} checks the promise on random indexes.
 *
 * @param truncates   retention's new log starts
 * @param compactions partitions to compact, with their entries after retention
 * @param merges      merge groups per partition (planned on the entries after retention)
 * @param nextDueMs   the earliest time after {@code now} at which a time rule may add work to the plan
 *                    of an unchanged topic ({@link Long#MAX_VALUE}: none)
 */
record TidyPlan(List<Commit.Truncate> truncates, List<Compact> compactions, Map<Integer, List<MergePlan.Group>> merges,
                long nextDueMs) {

    /**
     * Compact {@code entries} below {@code cleanableEnd}; tombstones older than {@code deleteRetentionMs} go, and
     * so do the records of the {@code aborted} transactions (D51).
     */
    record Compact(int partition, List<IndexEntry> entries, long cleanableEnd, long deleteRetentionMs,
                   List<Checkpoint.AbortedTxn> aborted) {
    }

    TidyPlan {
        truncates = List.copyOf(truncates);
        compactions = List.copyOf(compactions);
        merges = Map.copyOf(merges);
    }

    boolean isEmpty() {
        return truncates.isEmpty() && compactions.isEmpty() && merges.isEmpty();
    }

    static TidyPlan of(Maintenance.TopicView view, TopicConfig cfg, long now, JanitorSettings settings) {
        String policy = cfg.get(TopicConfig.CLEANUP_POLICY);
        boolean delete = policy.contains("delete");
        boolean compact = policy.contains("compact");
        List<Commit.Truncate> truncates = new ArrayList<>();
        List<Compact> compactions = new ArrayList<>();
        Map<Integer, List<MergePlan.Group>> merges = new TreeMap<>();
        long nextDue = Long.MAX_VALUE;
        for (Maintenance.PartitionView p : view.partitions().values()) {
            List<IndexEntry> entries = p.entries();
            long logStart = p.logStartOffset();
            if (delete) {
                OptionalLong start = Retention.newLogStart(entries, logStart, p.endOffset(), now,
                        cfg.getLong(TopicConfig.RETENTION_MS), cfg.getLong(TopicConfig.RETENTION_BYTES));
                if (start.isPresent()) {
                    long s = start.getAsLong();
                    truncates.add(new Commit.Truncate(p.partition(), s));
                    entries = entries.stream().filter(e -> e.nextOffset() > s).toList();
                    logStart = s;
                }
            }
            if (compact && !entries.isEmpty()) {
                long end = Math.min(Compaction.cleanableEnd(entries, now, cfg.getLong(TopicConfig.MIN_COMPACTION_LAG_MS)),
                        entryStartAtOrBelow(entries, p.lastStableOffset())); // never an open transaction
                long cleaned = Math.max(p.cleanedUpTo(), logStart);
                if (end > entries.get(0).baseOffset() && Compaction.due(entries, cleaned, end,
                        minCleanableRatio(cfg, settings), settings.minDirtyBytes())) {
                    compactions.add(new Compact(p.partition(), entries, end, cfg.getLong(TopicConfig.DELETE_RETENTION_MS),
                            p.aborted()));
                }
            }
            List<MergePlan.Group> groups = MergePlan.plan(entries, now, settings, MergePlan.Segments.of(cfg));
            if (!groups.isEmpty()) {
                merges.put(p.partition(), groups);
            }
            nextDue = Math.min(nextDue, nextDue(entries, now, cfg, delete, compact, settings));
        }
        return new TidyPlan(truncates, compactions, merges, nextDue);
    }

    /** The topic's min.cleanable.dirty.ratio when set on the topic, else the janitor's (the "broker default"). */
    static double minCleanableRatio(TopicConfig cfg, JanitorSettings settings) {
        return cfg.isDefault(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO) ? settings.minCleanableRatio()
                : Double.parseDouble(cfg.get(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO));
    }

    /**
     * When a time rule may next act on {@code entries} (what retention keeps at {@code now}): the oldest
     * entry's retention.ms deadline, and the time at which any entry but the last stops being too young
     * for compaction (min.compaction.lag.ms) or, when small, for merging (merge settle).
     */
    private static long nextDue(List<IndexEntry> entries, long now, TopicConfig cfg, boolean delete, boolean compact,
                                JanitorSettings settings) {
        long due = Long.MAX_VALUE;
        long retentionMs = cfg.getLong(TopicConfig.RETENTION_MS);
        if (delete && retentionMs >= 0 && !entries.isEmpty()) {
            due = Math.min(due, after(entries.get(0).maxTimestamp(), retentionMs, now));
        }
        long lag = cfg.getLong(TopicConfig.MIN_COMPACTION_LAG_MS);
        long settle = settings.mergeSettle().toMillis();
        for (int i = 0; i < entries.size() - 1; i++) {
            IndexEntry e = entries.get(i);
            if (compact) {
                due = Math.min(due, after(e.maxTimestamp(), lag, now));
            }
            if (e.length() < settings.mergeSmallBytes()) {
                due = Math.min(due, after(e.maxTimestamp(), settle, now));
            }
        }
        return due;
    }

    /** {@code timestamp + age} (from then on the timestamp is at least {@code age} old), if after {@code now}; else MAX_VALUE. */
    private static long after(long timestamp, long age, long now) {
        long at = timestamp > Long.MAX_VALUE - age ? Long.MAX_VALUE : timestamp + age;
        return at > now ? at : Long.MAX_VALUE;
    }

    /** The base offset of the entry holding {@code offset} (or {@code offset} itself at an entry boundary or beyond). */
    static long entryStartAtOrBelow(List<IndexEntry> entries, long offset) {
        for (IndexEntry e : entries) {
            if (e.nextOffset() > offset) {
                return Math.min(e.baseOffset(), offset);
            }
        }
        return offset;
    }
}
