package io.floe.group;

import io.floe.model.TopicPartition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The group state machine as pure functions of a {@link GroupDoc} and the time (policy apart from
 * I/O): expiry of leases, start and completion of a classic rebalance, and managed reassignment.
 * Each returns whether it changed the document. Stateless.
 *
 * <p>Invariant kept by every transition (checked by the simulation): within one generation, no
 * partition is in the assignment of two members. A new generation starts with empty assignments
 * (classic) or with a fresh assignment computed over the new membership (managed).
 */
final class Transitions {

    private Transitions() {
    }

    /**
     * Removes members whose lease ran out, except classic members waiting in a join (the rebalance
     * deadline governs those). Rebalances when anyone was removed.
     */
    static boolean expire(GroupDoc d, long now, Map<String, Integer> partitionCounts) {
        if (!removeExpired(d, now)) {
            return false;
        }
        membershipChanged(d, now, partitionCounts);
        return true;
    }

    /**
     * Removes members whose lease ran out (as {@link #expire}) without starting a rebalance: for a
     * caller that starts one itself, such as a join. (Expiring first would form the next generation
     * at once when everyone left had rejoined, and the join's own rebalance would then start yet
     * another, which waits its whole timeout for members that believe they are done.)
     */
    static boolean removeExpired(GroupDoc d, long now) {
        List<String> gone = new ArrayList<>();
        for (GroupDoc.Member m : d.members.values()) {
            boolean waitingInJoin = d.state == GroupState.PREPARING_REBALANCE && m.pendingJoin;
            if ((m.leaseExpiresAtMs < now && !waitingInJoin) || ConsumerTransitions.revocationOverdue(m, now)) {
                gone.add(m.memberId);
            }
        }
        gone.forEach(d.members::remove);
        return !gone.isEmpty();
    }

    static boolean hasExpired(GroupDoc d, long now) {
        for (GroupDoc.Member m : d.members.values()) {
            if ((m.leaseExpiresAtMs < now && !(d.state == GroupState.PREPARING_REBALANCE && m.pendingJoin))
                    || ConsumerTransitions.revocationOverdue(m, now)) {
                return true;
            }
        }
        return false;
    }

    /** After members were added or removed: a new managed generation, a classic rebalance, or a consumer group's new target. */
    static void membershipChanged(GroupDoc d, long now, Map<String, Integer> partitionCounts) {
        if (d.isConsumerGroup()) {
            ConsumerTransitions.membershipChanged(d, partitionCounts);
            return;
        }
        if (d.members.isEmpty()) {
            d.generation++;
            d.state = GroupState.EMPTY;
            d.leaderId = "";
            d.protocolName = "";
            d.rebalanceDeadlineMs = 0;
            return;
        }
        if (GroupCoordinator.MANAGED_PROTOCOL_TYPE.equals(d.protocolType)) {
            reassignManaged(d, partitionCounts);
        } else {
            startRebalance(d, now);
            tryCompleteJoin(d, now);
        }
    }

    /** Classic: moves to PreparingRebalance (if not there), with a deadline of the longest rebalance timeout. */
    static void startRebalance(GroupDoc d, long now) {
        if (d.state == GroupState.PREPARING_REBALANCE) {
            return;
        }
        long timeout = d.members.values().stream().mapToLong(m -> m.rebalanceTimeoutMs).max().orElse(0);
        d.state = GroupState.PREPARING_REBALANCE;
        d.rebalanceDeadlineMs = now + timeout;
    }

    /**
     * Classic: forms the next generation once every member rejoined, or at the deadline without
     * those who did not. Chooses the protocol by the members' votes and keeps the leader if it stayed.
     */
    static boolean tryCompleteJoin(GroupDoc d, long now) {
        if (d.state != GroupState.PREPARING_REBALANCE) {
            return false;
        }
        boolean all = d.members.values().stream().allMatch(m -> m.pendingJoin);
        if (!all && now < d.rebalanceDeadlineMs) {
            return false;
        }
        d.members.values().removeIf(m -> !m.pendingJoin);
        d.generation++;
        d.rebalanceDeadlineMs = 0;
        if (d.members.isEmpty()) {
            d.state = GroupState.EMPTY;
            d.leaderId = "";
            d.protocolName = "";
            return true;
        }
        d.protocolName = chooseProtocol(d);
        if (!d.members.containsKey(d.leaderId)) {
            d.leaderId = d.members.firstKey();
        }
        for (GroupDoc.Member m : d.members.values()) {
            m.pendingJoin = false;
            m.joinedGeneration = d.generation;
            m.assignment = MemberAssignment.EMPTY;
            m.leaseExpiresAtMs = now + m.sessionTimeoutMs;
        }
        d.state = GroupState.COMPLETING_REBALANCE;
        return true;
    }

    /** The protocol all members support that most members prefer (ties: the leader candidate's order). */
    static String chooseProtocol(GroupDoc d) {
        Set<String> common = null;
        for (GroupDoc.Member m : d.members.values()) {
            Set<String> names = new TreeSet<>();
            m.protocols.forEach(p -> names.add(p.name()));
            if (common == null) {
                common = names;
            } else {
                common.retainAll(names);
            }
        }
        if (common == null || common.isEmpty()) {
            return "";
        }
        Map<String, Integer> votes = new LinkedHashMap<>();
        GroupDoc.Member first = d.members.firstEntry().getValue();
        for (Protocol p : first.protocols) {
            if (common.contains(p.name())) {
                votes.put(p.name(), 0);
            }
        }
        for (GroupDoc.Member m : d.members.values()) {
            for (Protocol p : m.protocols) {
                if (common.contains(p.name())) {
                    votes.merge(p.name(), 1, Integer::sum);
                    break;
                }
            }
        }
        String best = null;
        for (var e : votes.entrySet()) {
            if (best == null || e.getValue() > votes.get(best)) {
                best = e.getKey();
            }
        }
        return best;
    }

    /** Whether the protocols of a (re)joining member are compatible with the rest of the group. */
    static boolean compatible(GroupDoc d, String memberId, List<Protocol> protocols) {
        Set<String> names = new TreeSet<>();
        protocols.forEach(p -> names.add(p.name()));
        for (GroupDoc.Member m : d.members.values()) {
            if (m.memberId.equals(memberId)) {
                continue;
            }
            boolean any = m.protocols.stream().anyMatch(p -> names.contains(p.name()));
            if (!any) {
                return false;
            }
        }
        return true;
    }

    /** Managed: a new generation with the assignor of the first member, over current subscriptions. */
    static void reassignManaged(GroupDoc d, Map<String, Integer> partitionCounts) {
        d.generation++;
        if (d.members.isEmpty()) {
            d.state = GroupState.EMPTY;
            d.protocolName = "";
            return;
        }
        String assignor = d.members.firstEntry().getValue().managed == null ? "range"
                : d.members.firstEntry().getValue().managed.assignor;
        TreeMap<String, Set<String>> subs = new TreeMap<>();
        Map<String, List<TopicPartition>> previous = new HashMap<>();
        for (GroupDoc.Member m : d.members.values()) {
            subs.put(m.memberId, m.topics);
            previous.put(m.memberId, m.assignment.partitions());
        }
        Map<String, List<TopicPartition>> assignment = Assignors.assign(assignor, subs, partitionCounts, previous);
        for (GroupDoc.Member m : d.members.values()) {
            List<TopicPartition> mine = assignment.getOrDefault(m.memberId, List.of());
            m.assignment = new MemberAssignment(new byte[0], mine);
            m.joinedGeneration = d.generation;
            if (m.managed != null) {
                Set<TopicPartition> keep = new TreeSet<>(GroupDoc::compare);
                keep.addAll(mine);
                m.managed.positions.keySet().removeIf(tp -> !keep.contains(tp));
            }
        }
        d.protocolName = assignor;
        d.leaderId = "";
        d.state = GroupState.STABLE;
    }

    /** Managed: whether the assignment no longer covers exactly the subscribed partitions (topic grew or vanished). */
    static boolean assignmentStale(GroupDoc d, Map<String, Integer> partitionCounts) {
        Set<TopicPartition> assigned = new TreeSet<>(GroupDoc::compare);
        Set<String> topics = new TreeSet<>();
        for (GroupDoc.Member m : d.members.values()) {
            assigned.addAll(m.assignment.partitions());
            topics.addAll(m.topics);
        }
        Set<TopicPartition> wanted = new TreeSet<>(GroupDoc::compare);
        for (String t : topics) {
            Integer n = partitionCounts.get(t);
            for (int p = 0; n != null && p < n; p++) {
                wanted.add(new TopicPartition(t, p));
            }
        }
        return !assigned.equals(wanted);
    }
}
