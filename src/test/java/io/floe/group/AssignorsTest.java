package io.floe.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.model.TopicPartition;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AssignorsTest {

    private static TreeMap<String, Set<String>> members(int n, String... topics) {
        TreeMap<String, Set<String>> m = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            m.put("m" + i, Set.of(topics));
        }
        return m;
    }

    private static void assertBalancedAndComplete(Map<String, List<TopicPartition>> a, int total) {
        Set<TopicPartition> seen = new HashSet<>();
        a.values().forEach(l -> l.forEach(tp -> assertThat(seen.add(tp)).as("assigned twice: " + tp).isTrue()));
        assertThat(seen).hasSize(total);
        int min = a.values().stream().mapToInt(List::size).min().orElse(0);
        int max = a.values().stream().mapToInt(List::size).max().orElse(0);
        assertThat(max - min).isLessThanOrEqualTo(1);
    }

    @Test
    void everyAssignorIsBalancedCompleteAndDeterministic() {
        for (String name : List.of("range", "roundrobin", "sticky")) {
            for (int members = 1; members <= 7; members++) {
                for (int partitions = 0; partitions <= 13; partitions++) {
                    var subs = members(members, "t");
                    var a = Assignors.assign(name, subs, Map.of("t", partitions), Map.of());
                    assertBalancedAndComplete(a, partitions);
                    assertThat(Assignors.assign(name, members(members, "t"), Map.of("t", partitions), Map.of())).isEqualTo(a);
                }
            }
        }
    }

    @Test
    void rangeGivesConsecutivePartitionsPerTopic() {
        var a = Assignors.assign("range", members(3, "t"), Map.of("t", 6), Map.of());
        assertThat(a.get("m0")).containsExactly(new TopicPartition("t", 0), new TopicPartition("t", 1));
        assertThat(a.get("m2")).containsExactly(new TopicPartition("t", 4), new TopicPartition("t", 5));
    }

    @Test
    void membersOnlyGetTopicsTheySubscribeTo() {
        TreeMap<String, Set<String>> subs = new TreeMap<>(Map.of("a", Set.of("x"), "b", Set.of("x", "y"), "c", Set.of("y")));
        for (String name : List.of("range", "roundrobin", "sticky")) {
            var a = Assignors.assign(name, subs, Map.of("x", 4, "y", 4), Map.of());
            assertThat(a.get("a")).allMatch(tp -> tp.topic().equals("x"));
            assertThat(a.get("c")).allMatch(tp -> tp.topic().equals("y"));
            assertThat(a.values().stream().mapToInt(List::size).sum()).isEqualTo(8);
        }
    }

    @Test
    void stickyMovesOnlyTheDepartedMembersPartitionsWhenOneLeaves() {
        var before = Assignors.assign("sticky", members(3, "t"), Map.of("t", 6), Map.of());
        var subs = members(3, "t");
        subs.remove("m1");
        var after = Assignors.assign("sticky", subs, Map.of("t", 6), before);
        assertThat(after.get("m0")).containsAll(before.get("m0"));
        assertThat(after.get("m2")).containsAll(before.get("m2"));
        assertBalancedAndComplete(after, 6);
    }

    @Test
    void stickyMovesTheMinimumWhenMembersComeAndGo() {
        SplittableRandom random = new SplittableRandom(7);
        Map<String, List<TopicPartition>> current = Map.of();
        TreeMap<String, Set<String>> subs = members(2, "t");
        int partitions = 24;
        for (int round = 0; round < 200; round++) {
            TreeMap<String, Set<String>> next = new TreeMap<>(subs);
            if (next.size() > 1 && random.nextBoolean()) {
                next.remove(List.copyOf(next.keySet()).get(random.nextInt(next.size())));
            } else {
                next.put("n" + round, Set.of("t"));
            }
            var after = Assignors.assign("sticky", next, Map.of("t", partitions), current);
            assertBalancedAndComplete(after, partitions);
            // Minimal movement: a partition moves only if its owner left or held more than its quota.
            int per = partitions / next.size();
            int moved = 0;
            Map<TopicPartition, String> owner = new HashMap<>();
            current.forEach((m, l) -> l.forEach(tp -> owner.put(tp, m)));
            for (var e : after.entrySet()) {
                for (TopicPartition tp : e.getValue()) {
                    String was = owner.get(tp);
                    if (was != null && !was.equals(e.getKey())) {
                        moved++;
                    }
                }
            }
            int mustMove = 0;
            for (var e : current.entrySet()) {
                if (!next.containsKey(e.getKey())) {
                    mustMove += e.getValue().size();
                } else {
                    mustMove += Math.max(0, e.getValue().size() - (per + 1));
                }
            }
            int extra = partitions % next.size();
            long atPlusOne = current.entrySet().stream().filter(e -> next.containsKey(e.getKey())
                    && e.getValue().size() >= per + 1).count();
            mustMove += (int) Math.max(0, atPlusOne - extra);
            assertThat(moved).as("round " + round).isLessThanOrEqualTo(mustMove);
            current = after;
            subs = next;
        }
    }
}
