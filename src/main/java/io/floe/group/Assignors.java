package io.floe.group;

import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.TopicPartition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The assignors of Floe-managed groups: pure, deterministic functions from the members'
 * subscriptions (and, for sticky, the previous assignment) to an assignment. Every partition of a
 * subscribed topic goes to exactly one member subscribed to its topic. Stateless.
 *
 * <ul>
 * <li>{@code range}: per topic, the members subscribed to it (sorted by id) get consecutive ranges;
 *     the first {@code partitions % members} get one more (Kafka's RangeAssignor).</li>
 * <li>{@code roundrobin}: all partitions (sorted by topic, partition) dealt in turn to the members
 *     subscribed to their topic (Kafka's RoundRobinAssignor).</li>
 * <li>{@code sticky}: keeps every previous owner's partitions while that keeps the assignment
 *     balanced (counts differ by at most one among members with the same subscription), moving
 *     only the surplus; new and orphaned partitions go to the least loaded members.</li>
 * </ul>
 */
final class Assignors {

    private Assignors() {
    }

    /**
     * @param subscriptions member id → subscribed topics
     * @param partitions    topic → partition count (topics that do not exist are absent)
     * @param previous      member id → previous partitions (sticky only)
     * @return member id → partitions (sorted), with an entry for every member
     */
    static Map<String, List<TopicPartition>> assign(String assignor, SortedMap<String, Set<String>> subscriptions,
                                                    Map<String, Integer> partitions,
                                                    Map<String, List<TopicPartition>> previous) {
        return switch (assignor) {
            case "range" -> range(subscriptions, partitions);
            case "roundrobin" -> roundRobin(subscriptions, partitions);
            case "sticky" -> sticky(subscriptions, partitions, previous);
            default -> throw new FloeException(ErrorCode.INVALID_REQUEST,
                    "Unknown assignor '" + assignor + "': expected range, roundrobin or sticky.");
        };
    }

    static Map<String, List<TopicPartition>> range(SortedMap<String, Set<String>> subs, Map<String, Integer> partitions) {
        Map<String, List<TopicPartition>> out = emptyFor(subs);
        for (String topic : new TreeSet<>(partitions.keySet())) {
            List<String> members = subs.entrySet().stream().filter(e -> e.getValue().contains(topic))
                    .map(Map.Entry::getKey).toList();
            if (members.isEmpty()) {
                continue;
            }
            int n = partitions.get(topic);
            int per = n / members.size();
            int extra = n % members.size();
            int p = 0;
            for (int i = 0; i < members.size(); i++) {
                int count = per + (i < extra ? 1 : 0);
                for (int k = 0; k < count; k++) {
                    out.get(members.get(i)).add(new TopicPartition(topic, p++));
                }
            }
        }
        return out;
    }

    static Map<String, List<TopicPartition>> roundRobin(SortedMap<String, Set<String>> subs, Map<String, Integer> partitions) {
        Map<String, List<TopicPartition>> out = emptyFor(subs);
        List<String> members = new ArrayList<>(subs.keySet());
        if (members.isEmpty()) {
            return out;
        }
        int next = 0;
        for (TopicPartition tp : allPartitions(subs, partitions)) {
            for (int tries = 0; tries < members.size(); tries++) {
                String m = members.get(next);
                next = (next + 1) % members.size();
                if (subs.get(m).contains(tp.topic())) {
                    out.get(m).add(tp);
                    break;
                }
            }
        }
        return out;
    }

    static Map<String, List<TopicPartition>> sticky(SortedMap<String, Set<String>> subs, Map<String, Integer> partitions,
                                                    Map<String, List<TopicPartition>> previous) {
        Map<String, List<TopicPartition>> out = emptyFor(subs);
        List<TopicPartition> all = allPartitions(subs, partitions);
        if (subs.isEmpty() || all.isEmpty()) {
            return out;
        }
        // Group members by identical subscriptions; balance within each such class, which is exact
        // for the common case (everyone subscribes to the same topics).
        Map<Set<String>, List<String>> classes = new TreeMap<>(Comparator.comparing(s -> new TreeSet<>(s).toString()));
        subs.forEach((m, topics) -> classes.computeIfAbsent(topics, k -> new ArrayList<>()).add(m));
        Map<TopicPartition, String> taken = new HashMap<>();
        for (var cls : classes.entrySet()) {
            Set<String> topics = cls.getKey();
            List<String> members = cls.getValue();
            List<TopicPartition> mine = all.stream().filter(tp -> topics.contains(tp.topic()) && !taken.containsKey(tp)).toList();
            int per = mine.size() / members.size();
            int extra = mine.size() % members.size();
            // Keep previous partitions up to the quota; members that held more keep the first ones.
            Map<String, List<TopicPartition>> kept = new TreeMap<>();
            Set<TopicPartition> mineSet = new TreeSet<>(GroupDoc::compare);
            mineSet.addAll(mine);
            for (String m : members) {
                List<TopicPartition> prev = previous.getOrDefault(m, List.of()).stream()
                        .filter(tp -> mineSet.contains(tp) && !taken.containsKey(tp)).sorted(GroupDoc::compare).toList();
                List<TopicPartition> keep = new ArrayList<>(prev.subList(0, Math.min(prev.size(), per + 1)));
                kept.put(m, keep);
                keep.forEach(tp -> taken.put(tp, m));
            }
            // At most `extra` members may hold per+1: trim the others (largest previous holders keep theirs first).
            List<String> atPlusOne = members.stream().filter(m -> kept.get(m).size() == per + 1).toList();
            for (int i = extra; i < atPlusOne.size(); i++) {
                List<TopicPartition> keep = kept.get(atPlusOne.get(i));
                taken.remove(keep.remove(keep.size() - 1));
            }
            // Deal the free partitions to the least loaded members (ties: by member id).
            int plusOneLeft = extra - Math.min(extra, atPlusOne.size());
            for (TopicPartition tp : mine) {
                if (taken.containsKey(tp)) {
                    continue;
                }
                String best = null;
                for (String m : members) {
                    int size = kept.get(m).size();
                    boolean room = size < per || (size == per && plusOneLeft > 0);
                    if (room && (best == null || size < kept.get(best).size())) {
                        best = m;
                    }
                }
                if (kept.get(best).size() == per) {
                    plusOneLeft--;
                }
                kept.get(best).add(tp);
                taken.put(tp, best);
            }
            kept.forEach((m, l) -> out.get(m).addAll(l));
        }
        out.values().forEach(l -> l.sort(GroupDoc::compare));
        return out;
    }

    private static Map<String, List<TopicPartition>> emptyFor(SortedMap<String, Set<String>> subs) {
        Map<String, List<TopicPartition>> out = new TreeMap<>();
        subs.keySet().forEach(m -> out.put(m, new ArrayList<>()));
        return out;
    }

    private static List<TopicPartition> allPartitions(SortedMap<String, Set<String>> subs, Map<String, Integer> partitions) {
        Set<String> topics = new TreeSet<>();
        subs.values().forEach(topics::addAll);
        List<TopicPartition> all = new ArrayList<>();
        for (String t : topics) {
            Integer n = partitions.get(t);
            for (int p = 0; n != null && p < n; p++) {
                all.add(new TopicPartition(t, p));
            }
        }
        return all;
    }
}
