package io.floe.janitor;

import io.floe.format.IndexEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * Which runs of small index entries of one partition to merge into one object each, and how to
 * index the merged object. Pure; stateless.
 *
 * <p>Trigger: a partition is merged once it has at least {@code mergeMinEntries} candidate entries,
 * or candidate bytes for a full merged object. Candidates are entries smaller than
 * {@code mergeSmallBytes} whose newest record is older than {@code mergeSettle}, never the
 * partition's last entry (the tail that consumers are reading). Consecutive candidates form runs; a
 * run is cut into groups of at most {@code mergeObjectBytes}, and within the topic's segment.bytes and
 * segment.ms ({@link Segments}); a group of two or more entries becomes one object, indexed by new entries of at least {@code mergeEntryBytes} each (but the group's last),
 * so that a replay costs at most one GET per {@code mergeEntryBytes}.
 */
final class MergePlan {

    /** One merged object: {@code sources} (consecutive) become {@code targets} (lists of sources per new entry). */
    record Group(List<IndexEntry> sources, List<List<IndexEntry>> targets) {
        long fromOffset() {
            return sources.get(0).baseOffset();
        }

        long toOffset() {
            return sources.get(sources.size() - 1).nextOffset();
        }

        long bytes() {
            return sources.stream().mapToLong(IndexEntry::length).sum();
        }
    }

    private MergePlan() {
    }

    /**
     * A topic's segment rules (segment.bytes, segment.ms): a merged object holds at most {@code maxBytes}
     * and spans at most {@code maxSpanMs} of record time (newest timestamps of its first and last source),
     * so that, as in Kafka, retention removes data in pieces no larger or longer than a segment.
     */
    record Segments(long maxBytes, long maxSpanMs) {
        static final Segments NONE = new Segments(Long.MAX_VALUE, Long.MAX_VALUE);

        static Segments of(io.floe.model.TopicConfig cfg) {
            return new Segments(cfg.getLong(io.floe.model.TopicConfig.SEGMENT_BYTES), cfg.getLong(io.floe.model.TopicConfig.SEGMENT_MS));
        }

        boolean fits(long groupBytes, long groupFirstTimestamp, IndexEntry next) {
            return groupBytes + next.length() <= maxBytes && next.maxTimestamp() - groupFirstTimestamp <= maxSpanMs;
        }
    }

    static List<Group> plan(List<IndexEntry> entries, long nowMs, JanitorSettings s) {
        return plan(entries, nowMs, s, Segments.NONE);
    }

    static List<Group> plan(List<IndexEntry> entries, long nowMs, JanitorSettings s, Segments segments) {
        List<List<IndexEntry>> runs = new ArrayList<>();
        List<IndexEntry> run = new ArrayList<>();
        int candidates = 0;
        long candidateBytes = 0;
        for (int i = 0; i < entries.size(); i++) {
            IndexEntry e = entries.get(i);
            boolean candidate = i < entries.size() - 1 && e.length() < s.mergeSmallBytes()
                    && e.maxTimestamp() <= nowMs - s.mergeSettle().toMillis();
            if (candidate) {
                run.add(e);
                candidates++;
                candidateBytes += e.length();
            } else if (!run.isEmpty()) {
                runs.add(run);
                run = new ArrayList<>();
            }
        }
        if (!run.isEmpty()) {
            runs.add(run);
        }
        if (candidates < s.mergeMinEntries() && candidateBytes < s.mergeObjectBytes()) {
            return List.of();
        }
        List<Group> groups = new ArrayList<>();
        for (List<IndexEntry> r : runs) {
            List<IndexEntry> group = new ArrayList<>();
            long bytes = 0;
            for (IndexEntry e : r) {
                if (!group.isEmpty() && (bytes + e.length() > s.mergeObjectBytes()
                        || !segments.fits(bytes, group.get(0).maxTimestamp(), e))) {
                    addGroup(groups, group, s);
                    group = new ArrayList<>();
                    bytes = 0;
                }
                group.add(e);
                bytes += e.length();
            }
            addGroup(groups, group, s);
        }
        return groups;
    }

    private static void addGroup(List<Group> groups, List<IndexEntry> group, JanitorSettings s) {
        if (group.size() >= 2) {
            groups.add(group(group, s));
        }
    }

    /** {@code sources} (consecutive entries of one partition) as one merged object, indexed by entries of >= mergeEntryBytes. */
    static Group group(List<IndexEntry> sources, JanitorSettings s) {
        List<List<IndexEntry>> targets = new ArrayList<>();
        List<IndexEntry> target = new ArrayList<>();
        long bytes = 0;
        long offsets = 0;
        for (IndexEntry e : sources) {
            if (!target.isEmpty() && (bytes >= s.mergeEntryBytes() || offsets + e.offsetCount() > Integer.MAX_VALUE)) {
                targets.add(target);
                target = new ArrayList<>();
                bytes = 0;
                offsets = 0;
            }
            target.add(e);
            bytes += e.length();
            offsets += e.offsetCount();
        }
        targets.add(target);
        return new Group(List.copyOf(sources), List.copyOf(targets));
    }
}
