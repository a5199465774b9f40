package io.floe.group;

import io.floe.model.FloeException;
import io.floe.model.TopicPartition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Commits accepted with {@link OffsetCommit.Durability#DEFERRED} that this instance has not written
 * yet, per group, in arrival order. They are checked again when written (a member fenced meanwhile
 * loses its deferred commits, which is what fencing means). Thread-safe (synchronized; tiny).
 */
final class DeferredCommits {

    record Pending(String memberId, String groupInstanceId, int generation,
                   Map<TopicPartition, CommittedOffset> offsets, long sinceMs) {
    }

    /** Checks a commit against the group: throws group-level refusals, returns per-partition ones. */
    interface Authorizer {
        Map<TopicPartition, io.floe.model.ErrorCode> authorize(GroupDoc doc, OffsetCommit c,
                                                               Map<TopicPartition, CommittedOffset> offsets);
    }

    private final Map<String, List<Pending>> byGroup = new HashMap<>();

    synchronized void add(String groupId, String memberId, String instanceId, int generation,
                          Map<TopicPartition, CommittedOffset> offsets, long now) {
        if (!offsets.isEmpty()) {
            byGroup.computeIfAbsent(groupId, g -> new ArrayList<>())
                    .add(new Pending(memberId, instanceId, generation, Map.copyOf(offsets), now));
        }
    }

    synchronized boolean has(String groupId) {
        return byGroup.containsKey(groupId);
    }

    synchronized Set<String> groups() {
        return Set.copyOf(byGroup.keySet());
    }

    /** Groups whose oldest pending commit arrived at or before {@code sinceMs}. */
    synchronized List<String> dueGroups(long sinceMs) {
        List<String> out = new ArrayList<>();
        byGroup.forEach((g, l) -> {
            if (!l.isEmpty() && l.getFirst().sinceMs() <= sinceMs) {
                out.add(g);
            }
        });
        return out;
    }

    /** The newest pending offset per partition of a group. */
    synchronized Map<TopicPartition, CommittedOffset> pending(String groupId) {
        Map<TopicPartition, CommittedOffset> out = new TreeMap<>(GroupDoc::compare);
        for (Pending p : byGroup.getOrDefault(groupId, List.of())) {
            out.putAll(p.offsets());
        }
        return out;
    }

    /** Removes and returns a group's pending commits, to be written (or {@link #restore}d). */
    synchronized List<Pending> take(String groupId) {
        List<Pending> l = byGroup.remove(groupId);
        return l == null ? List.of() : l;
    }

    /** Puts back commits whose write failed for a retryable reason, before any newer ones. */
    synchronized void restore(String groupId, List<Pending> taken) {
        if (taken.isEmpty()) {
            return;
        }
        List<Pending> l = new ArrayList<>(taken);
        l.addAll(byGroup.getOrDefault(groupId, List.of()));
        byGroup.put(groupId, l);
    }

    /**
     * Applies pending commits to a working copy of the group, skipping those the group refuses
     * now. Pure apart from {@code auth}; may run once per compare-and-swap attempt.
     *
     * @return whether any committed offset changed
     */
    static boolean apply(GroupDoc doc, List<Pending> pending, Authorizer auth) {
        boolean changed = false;
        for (Pending p : pending) {
            Map<TopicPartition, io.floe.model.ErrorCode> refused;
            try {
                refused = auth.authorize(doc, new OffsetCommit(doc.groupId, p.memberId(), p.groupInstanceId(),
                        p.generation(), p.offsets(), OffsetCommit.Durability.DEFERRED), p.offsets());
            } catch (FloeException fenced) {
                continue;
            }
            for (var e : p.offsets().entrySet()) {
                CommittedOffset before = doc.committed(e.getKey());
                if (!refused.containsKey(e.getKey()) && (before == null || before.offset() != e.getValue().offset()
                        || !before.metadata().equals(e.getValue().metadata()))) {
                    doc.putOffset(e.getKey(), e.getValue());
                    changed = true;
                }
            }
        }
        return changed;
    }
}
