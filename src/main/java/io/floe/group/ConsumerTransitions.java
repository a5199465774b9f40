package io.floe.group;

import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.TopicPartition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The consumer group protocol of KIP-848 as pure functions of a {@link GroupDoc} (policy apart from
 * I/O), after Kafka's {@code GroupMetadataManager#consumerGroupHeartbeat}:
 * <ol>
 * <li>the heartbeat creates or updates the member; the <b>group epoch</b> ({@link GroupDoc#generation})
 *     goes up when membership, a subscription, the preferred assignor or a subscribed topic's
 *     partition count changed;</li>
 * <li>then the <b>target assignment</b> is recomputed by the server assignor ({@link TargetAssignment})
 *     at that epoch ({@link GroupDoc#assignmentEpoch});</li>
 * <li>then the member alone is moved towards its target ({@link Reconciliation}): revoke first, and a
 *     partition is given to it only once no other member holds it. Its <b>member epoch</b> reaches the
 *     target epoch when it holds nothing it must give up.</li>
 * </ol>
 * Other members move at their own heartbeats. Stateless.
 *
 * <p>Invariant kept (checked by the simulation): no partition is held (assigned or pending
 * revocation) by two members at once.
 */
final class ConsumerTransitions {

    private ConsumerTransitions() {
    }

    /**
     * Applies a heartbeat to {@code d}, changing it in place.
     *
     * @param sessionTimeoutMs the session timeout of consumer-protocol members (a server setting in KIP-848)
     * @param partitionCount   a topic's partition count, or null when it does not exist
     * @return the member's answer (its interval is filled in by the caller)
     */
    static ConsumerHeartbeatResult heartbeat(GroupDoc d, ConsumerHeartbeat r, long now, long sessionTimeoutMs,
                                             Function<String, Integer> partitionCount) {
        return heartbeat(d, r, now, sessionTimeoutMs, partitionCount, List::of);
    }

    /**
     * As above, with the names of every topic: a member subscribed by regular expression is subscribed to
     * those it matches, resolved again at each of its heartbeats (so topics created or deleted since change
     * its subscription and the group's epoch, as in Kafka).
     */
    static ConsumerHeartbeatResult heartbeat(GroupDoc d, ConsumerHeartbeat r, long now, long sessionTimeoutMs,
                                             Function<String, Integer> partitionCount,
                                             java.util.function.Supplier<java.util.Collection<String>> topicNames) {
        TargetAssignment.check(r.assignor());
        if (!d.isConsumerGroup()) {
            if (!d.members.isEmpty() || r.memberEpoch() != 0) {
                throw notConsumerGroup(d);
            }
            // An empty classic group (offsets only) becomes a consumer group, keeping its offsets.
            d.type = GroupDoc.CONSUMER;
            d.assignmentEpoch = d.generation;
            d.subscribedPartitions.clear();
        }
        d.protocolType = "consumer";
        d.leaderId = "";
        d.rebalanceDeadlineMs = 0;
        if (r.leaving()) {
            return leave(d, r, partitionCount);
        }
        GroupDoc.Member m = member(d, r, now, sessionTimeoutMs);
        boolean bump = !d.members.containsKey(m.memberId);
        if (bump) {
            d.members.put(m.memberId, m);
        }
        m.clientId = r.clientId();
        m.clientHost = r.clientHost();
        if (r.rackId() != null) {
            m.consumer.rackId = r.rackId();
        }
        if (r.rebalanceTimeoutMs() != -1) {
            m.rebalanceTimeoutMs = r.rebalanceTimeoutMs();
        }
        String regexBefore = m.consumer.topicRegex;
        if (r.topicRegex() != null) {
            m.consumer.topicRegex = r.topicRegex().isEmpty() ? null : TopicRegex.check(r.topicRegex());
        }
        Set<String> subscribed = m.consumer.topicRegex != null ? TopicRegex.matching(m.consumer.topicRegex,
                topicNames.get().stream().filter(r.mayDescribe()).toList())
                : r.topics() != null ? Set.copyOf(r.topics()) : regexBefore != null ? Set.of() : m.topics;
        if (!m.topics.equals(subscribed) || !java.util.Objects.equals(regexBefore, m.consumer.topicRegex)) {
            m.topics = Set.copyOf(subscribed);
            bump = true;
        }
        if (r.assignor() != null && !r.assignor().equals(m.consumer.assignor)) {
            m.consumer.assignor = r.assignor();
            bump |= !preferredAssignor(d).equals(d.protocolName);
        }
        TreeMap<String, Integer> counts = subscribedPartitions(d, partitionCount);
        if (bump || !counts.equals(d.subscribedPartitions)) {
            d.generation++;
            computeTarget(d, counts);
        }
        List<TopicPartition> before = m.assignment.partitions();
        reconcile(d, m, r.owned(), now);
        updateState(d);
        boolean changed = !before.equals(m.assignment.partitions());
        // Also when what it reports owning is not what it was given (an answer lost on the way), beyond Kafka.
        boolean differs = r.owned() != null
                && !Reconciliation.sorted(r.owned()).equals(Reconciliation.sorted(m.assignment.partitions()));
        return new ConsumerHeartbeatResult(m.memberId, m.consumer.epoch, 0,
                r.full() || changed || differs ? m.assignment.partitions() : null);
    }

    /** Finds (or, for a join, makes) the member and checks its epoch. A new member is not yet in {@code d}. */
    private static GroupDoc.Member member(GroupDoc d, ConsumerHeartbeat r, long now, long sessionTimeoutMs) {
        if (r.memberId().isEmpty()) {
            throw FloeException.invalid("MemberId can't be empty: the consumer names itself (KIP-1082).");
        }
        GroupDoc.Member m = d.members.get(r.memberId());
        if (r.instanceId() != null) {
            GroupDoc.Member holder = GroupChecks.byInstanceId(d, r.instanceId());
            if (holder != null && holder != m) {
                if (r.memberEpoch() != 0) {
                    throw GroupChecks.fencedInstance(r.instanceId());
                }
                if (holder.consumer == null || holder.consumer.epoch != ConsumerHeartbeat.LEAVE_STATIC_EPOCH) {
                    throw new FloeException(ErrorCode.UNRELEASED_INSTANCE_ID, "Static member '" + r.instanceId()
                            + "' of group '" + d.groupId + "' is still held by member '" + holder.memberId + "'.");
                }
                // The static member comes back under a new member id: it takes its old place, epoch and partitions.
                d.members.remove(holder.memberId);
                holder.memberId = r.memberId();
                holder.consumer.epoch = holder.consumer.previousEpoch;
                holder.leaseExpiresAtMs = now + holder.sessionTimeoutMs;
                d.members.put(holder.memberId, holder);
                return holder;
            }
            if (m != null && m.groupInstanceId != null && !r.instanceId().equals(m.groupInstanceId)) {
                throw GroupChecks.fencedInstance(r.instanceId());
            }
        }
        if (m == null) {
            if (r.memberEpoch() != 0) {
                throw GroupChecks.unknownMember(d.groupId, r.memberId());
            }
            if (r.topics() == null && (r.topicRegex() == null || r.topicRegex().isEmpty())) {
                throw FloeException.invalid("A member joining group '" + d.groupId + "' must name its subscribed topics "
                        + "or a regular expression.");
            }
            m = new GroupDoc.Member();
            m.memberId = r.memberId();
            m.groupInstanceId = r.instanceId();
            m.sessionTimeoutMs = sessionTimeoutMs;
            m.rebalanceTimeoutMs = r.rebalanceTimeoutMs() == -1 ? sessionTimeoutMs : r.rebalanceTimeoutMs();
            m.leaseExpiresAtMs = now + sessionTimeoutMs;
            m.consumer = new GroupDoc.Consumer();
            m.joinedGeneration = d.generation;
            return m;
        }
        if (m.consumer == null) {
            throw notConsumerGroup(d);
        }
        if (r.memberEpoch() != 0) {
            checkEpoch(d, m, r.memberEpoch(), r.owned());
        }
        return m;
    }

    /**
     * Kafka's rule: a greater epoch than the member's, or a smaller one, fences it; except its previous
     * epoch when it owns only partitions it still has (the answer that moved it on was lost).
     */
    static void checkEpoch(GroupDoc d, GroupDoc.Member m, int received, List<TopicPartition> owned) {
        int epoch = m.consumer.epoch;
        boolean ok = received == epoch || (received < epoch && received == m.consumer.previousEpoch
                && owned != null && Reconciliation.sorted(m.assignment.partitions()).containsAll(owned));
        if (!ok) {
            throw new FloeException(ErrorCode.FENCED_MEMBER_EPOCH, "Member '" + m.memberId + "' of group '" + d.groupId
                    + "' sent member epoch " + received + " but its epoch is " + epoch
                    + "; it must give up its partitions and rejoin.");
        }
    }

    private static ConsumerHeartbeatResult leave(GroupDoc d, ConsumerHeartbeat r, Function<String, Integer> partitionCount) {
        GroupDoc.Member m = d.members.get(r.memberId());
        if (m == null && r.instanceId() != null) {
            m = GroupChecks.byInstanceId(d, r.instanceId());
        }
        if (m == null || m.consumer == null) {
            throw GroupChecks.unknownMember(d.groupId, r.memberId());
        }
        if (r.memberEpoch() == ConsumerHeartbeat.LEAVE_STATIC_EPOCH && m.groupInstanceId != null) {
            // Keeps its partitions until it comes back or its session runs out.
            if (m.consumer.epoch != ConsumerHeartbeat.LEAVE_STATIC_EPOCH) {
                m.consumer.previousEpoch = m.consumer.epoch;
                m.consumer.epoch = ConsumerHeartbeat.LEAVE_STATIC_EPOCH;
            }
            updateState(d);
            return new ConsumerHeartbeatResult(m.memberId, r.memberEpoch(), 0, null);
        }
        d.members.remove(m.memberId);
        membershipChanged(d, subscribedPartitions(d, partitionCount));
        return new ConsumerHeartbeatResult(m.memberId, ConsumerHeartbeat.LEAVE_EPOCH, 0, null);
    }

    /** After members were removed (left, expired, overdue revocation): a new group epoch and target. */
    static void membershipChanged(GroupDoc d, Map<String, Integer> partitionCounts) {
        d.generation++;
        if (d.members.isEmpty()) {
            d.assignmentEpoch = d.generation;
            d.subscribedPartitions.clear();
            d.protocolName = "";
            d.state = GroupState.EMPTY;
            return;
        }
        TreeMap<String, Integer> counts = new TreeMap<>();
        for (GroupDoc.Member m : d.members.values()) {
            m.topics.forEach(t -> {
                Integer n = partitionCounts.get(t);
                if (n != null) {
                    counts.put(t, n);
                }
            });
        }
        computeTarget(d, counts);
        updateState(d);
    }

    /** The new target of every member at the group epoch, by the preferred server assignor. */
    static void computeTarget(GroupDoc d, TreeMap<String, Integer> counts) {
        TreeMap<String, Set<String>> subs = new TreeMap<>();
        Map<String, List<TopicPartition>> previous = new HashMap<>();
        for (GroupDoc.Member m : d.members.values()) {
            subs.put(m.memberId, m.topics);
            previous.put(m.memberId, m.consumer.target);
        }
        String assignor = preferredAssignor(d);
        Map<String, List<TopicPartition>> target = TargetAssignment.compute(assignor, subs, counts, previous);
        for (GroupDoc.Member m : d.members.values()) {
            m.consumer.target = new ArrayList<>(target.getOrDefault(m.memberId, List.of()));
        }
        d.protocolName = assignor;
        d.assignmentEpoch = d.generation;
        d.subscribedPartitions = counts;
    }

    /** The assignor most members ask for (ties: by name), else {@link TargetAssignment#DEFAULT}. */
    static String preferredAssignor(GroupDoc d) {
        Map<String, Integer> votes = new TreeMap<>();
        for (GroupDoc.Member m : d.members.values()) {
            if (m.consumer != null && m.consumer.assignor != null) {
                votes.merge(m.consumer.assignor, 1, Integer::sum);
            }
        }
        String best = TargetAssignment.DEFAULT;
        int most = 0;
        for (var e : votes.entrySet()) {
            if (e.getValue() > most) {
                best = e.getKey();
                most = e.getValue();
            }
        }
        return best;
    }

    /** Moves one member towards its target (see {@link Reconciliation}); sets or clears its revocation deadline. */
    static void reconcile(GroupDoc d, GroupDoc.Member m, List<TopicPartition> owned, long now) {
        if (m.consumer.epoch == ConsumerHeartbeat.LEAVE_STATIC_EPOCH) {
            return;
        }
        Set<TopicPartition> heldByOthers = new HashSet<>();
        for (GroupDoc.Member other : d.members.values()) {
            if (other != m && other.consumer != null) {
                heldByOthers.addAll(other.assignment.partitions());
                heldByOthers.addAll(other.consumer.pendingRevocation);
            }
        }
        Reconciliation.State current = m.consumer.state(m.assignment.partitions());
        Reconciliation.State next = Reconciliation.next(current, d.assignmentEpoch, Set.copyOf(m.consumer.target),
                heldByOthers::contains, owned);
        if (next.equals(current)) {
            return;
        }
        if (next.epoch() != current.epoch()) {
            m.consumer.previousEpoch = current.epoch();
        }
        m.consumer.epoch = next.epoch();
        m.consumer.phase = next.phase();
        Set<TopicPartition> held = next.held();
        m.consumer.assignedAt.keySet().retainAll(held);
        held.forEach(tp -> m.consumer.assignedAt.putIfAbsent(tp, next.epoch()));
        m.assignment = new MemberAssignment(new byte[0], new ArrayList<>(next.assigned()));
        m.consumer.pendingRevocation = new ArrayList<>(next.pendingRevocation());
        m.joinedGeneration = next.epoch();
        if (next.phase() != Reconciliation.Phase.UNREVOKED_PARTITIONS) {
            m.consumer.revokeDeadlineMs = 0;
        } else if (m.consumer.revokeDeadlineMs == 0) {
            m.consumer.revokeDeadlineMs = now + m.rebalanceTimeoutMs;
        }
    }

    /**
     * Empty, Stable (every member reconciled to the target epoch) or Reconciling — also while a static
     * member is away (epoch -2), as in Kafka: its partitions wait for it.
     */
    static void updateState(GroupDoc d) {
        if (d.members.isEmpty()) {
            d.state = GroupState.EMPTY;
            return;
        }
        boolean stable = true;
        for (GroupDoc.Member m : d.members.values()) {
            if (m.consumer.epoch != d.assignmentEpoch || m.consumer.phase != Reconciliation.Phase.STABLE) {
                stable = false;
            }
        }
        d.state = stable ? GroupState.STABLE : GroupState.RECONCILING;
    }

    /** Whether a consumer-protocol member kept partitions past its rebalance timeout (it is removed, as in Kafka). */
    static boolean revocationOverdue(GroupDoc.Member m, long now) {
        return m.consumer != null && m.consumer.revokeDeadlineMs > 0 && m.consumer.revokeDeadlineMs < now;
    }

    /** Partition counts of the topics the members subscribe to (topics that do not exist are left out). */
    static TreeMap<String, Integer> subscribedPartitions(GroupDoc d, Function<String, Integer> partitionCount) {
        Set<String> topics = new TreeSet<>();
        d.members.values().forEach(m -> topics.addAll(m.topics));
        TreeMap<String, Integer> out = new TreeMap<>();
        for (String t : topics) {
            Integer n = partitionCount.apply(t);
            if (n != null) {
                out.put(t, n);
            }
        }
        return out;
    }

    /**
     * Who may commit to a consumer group (Kafka 4.3's ConsumerGroup#validateOffsetCommit, with KIP-1251):
     * anyone while it has no members (member epoch -1, as admin tools do); else a member with its
     * current member epoch; or with an older epoch, for the partitions it has held since that epoch or
     * before (its epoch moved on while its commit was on the way: the partition was its own all along).
     * UNKNOWN_MEMBER for a stranger; STALE_MEMBER_EPOCH for a newer epoch (whole commit) or for a
     * partition not held since the epoch named (that partition).
     *
     * @return the partitions refused, with why
     */
    static Map<TopicPartition, ErrorCode> authorizeCommit(GroupDoc d, OffsetCommit c) {
        Map<TopicPartition, ErrorCode> refused = new TreeMap<>(GroupDoc::compare);
        if (c.generation() < 0 && d.members.isEmpty()) {
            return refused;
        }
        GroupDoc.Member m = d.members.get(c.memberId());
        if (m == null || m.consumer == null) {
            throw GroupChecks.unknownMember(d.groupId, c.memberId());
        }
        int epoch = m.consumer.epoch;
        if (c.generation() == epoch) {
            return refused;
        }
        if (c.generation() > epoch || c.generation() < 0) {
            throw new FloeException(ErrorCode.STALE_MEMBER_EPOCH, "Member '" + m.memberId + "' of group '" + d.groupId
                    + "' committed with member epoch " + c.generation() + " but its epoch is " + epoch
                    + "; heartbeat for the current epoch and commit again.");
        }
        for (TopicPartition tp : c.offsets().keySet()) {
            Integer since = m.consumer.assignedAt.get(tp);
            if (since == null || since > c.generation()) {
                refused.put(tp, ErrorCode.STALE_MEMBER_EPOCH);
            }
        }
        return refused;
    }

    static FloeException notConsumerGroup(GroupDoc d) {
        return new FloeException(ErrorCode.UNKNOWN_GROUP, "Group " + d.groupId + " is not a consumer group.");
    }
}
