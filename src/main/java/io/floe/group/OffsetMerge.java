package io.floe.group;

import io.floe.model.TopicPartition;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one rule that makes committed offsets out of the group object and the member offsets objects
 * (D88): per partition, the commit with the greatest {@link OffsetStamp} wins, whether it is in the
 * group object (its offsets, or a tombstone left by OffsetDelete) or in a member object of the group's
 * current incarnation; member objects of another incarnation (a deleted group's) count for nothing.
 * The rule is a maximum, so it does not matter in which order, or how often, member objects are
 * merged, nor whether they were folded into the group object first: folding never changes an answer.
 * Pure functions.
 */
final class OffsetMerge {

    private OffsetMerge() {
    }

    /** The committed offsets: {@code doc}'s, overtaken by newer member commits; deleted partitions absent. */
    static Map<TopicPartition, CommittedOffset> merged(GroupDoc doc, Collection<MemberOffsets> members) {
        Map<TopicPartition, CommittedOffset> out = new TreeMap<>(GroupDoc::compare);
        Map<TopicPartition, OffsetStamp> best = new TreeMap<>(GroupDoc::compare);
        doc.offsets.forEach((t, ps) -> ps.forEach((p, o) -> {
            TopicPartition tp = new TopicPartition(t, p);
            out.put(tp, o);
            best.put(tp, doc.stamp(tp));
        }));
        best.putAll(doc.deleted);
        for (MemberOffsets m : members) {
            if (!current(doc, m)) {
                continue;
            }
            m.offsets().forEach((tp, e) -> {
                OffsetStamp was = best.get(tp);
                if (was == null || e.stamp().after(was)) {
                    best.put(tp, e.stamp());
                    out.put(tp, e.offset());
                }
            });
        }
        return out;
    }

    /**
     * Folds members' commits into the group object: each partition takes a member's commit whose stamp
     * is greater than the object's, keeping that stamp. Returns whether anything changed.
     */
    static boolean fold(GroupDoc doc, Collection<MemberOffsets> members) {
        boolean changed = false;
        for (MemberOffsets m : members) {
            if (!current(doc, m)) {
                continue;
            }
            for (var e : m.offsets().entrySet()) {
                if (e.getValue().stamp().after(doc.stamp(e.getKey()))) {
                    doc.putOffset(e.getKey(), e.getValue().offset(), e.getValue().stamp());
                    changed = true;
                }
            }
        }
        return changed;
    }

    /** Whether a member object's commits belong to this life of the group. */
    static boolean current(GroupDoc doc, MemberOffsets m) {
        return !doc.incarnation.isEmpty() && doc.incarnation.equals(m.incarnation());
    }
}
