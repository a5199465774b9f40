package io.floe.group;

import io.floe.model.FloeException;
import io.floe.model.TopicPartition;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The consumer group protocol of KIP-848 over the group object: ConsumerGroupHeartbeat and
 * ConsumerGroupDescribe. The logic is {@link ConsumerTransitions}; this class decides when a
 * heartbeat must write.
 *
 * <p>Cost: a heartbeat is answered from this instance's copy of the group object (at most
 * {@link GroupSettings#stateMaxAge()} old) when it changes nothing and the member's lease is not
 * due for renewal, so a stable group writes once per half session timeout per member, like classic
 * members. Anything else (a join, a leave, a new epoch, a revocation, an error against the copy)
 * is decided again on a fresh read inside the compare-and-swap.
 *
 * <p>Thread-safe: no state of its own; group objects change only through {@link GroupObjects#update}.
 */
final class ConsumerGroups {

    /** Kafka's group.consumer.heartbeat.interval.ms default. */
    static final int HEARTBEAT_INTERVAL_MS = 5_000;

    private final GroupObjects objects;
    private final Offsets offsets;
    private final Topics topics;
    private final Clock clock;
    private final GroupSettings settings;

    ConsumerGroups(GroupObjects objects, Offsets offsets, Topics topics, Clock clock, GroupSettings settings) {
        this.objects = objects;
        this.offsets = offsets;
        this.topics = topics;
        this.clock = clock;
        this.settings = settings;
    }

    /** The session timeout of consumer-protocol members: the engine's (Kafka: group.consumer.session.timeout.ms). */
    long sessionTimeoutMs() {
        return settings.defaultSessionTimeout().toMillis();
    }

    /** Heartbeats come at least three times per session (Kafka's 5 s unless sessions are shorter). */
    int heartbeatIntervalMs() {
        return (int) Math.min(HEARTBEAT_INTERVAL_MS, Math.max(1, sessionTimeoutMs() / 3));
    }

    ConsumerHeartbeatResult heartbeat(ConsumerHeartbeat r) {
        GroupChecks.checkGroupId(r.groupId());
        if (r.leaving()) {
            offsets.flushDeferred(r.groupId());
        }
        if (!r.leaving() && r.memberEpoch() != 0) {
            Optional<ConsumerHeartbeatResult> quiet = answerFromCopy(r);
            if (quiet.isPresent()) {
                objects.seen(r.groupId(), r.memberId());
                return quiet.get();
            }
        }
        if (!r.leaving() && r.memberEpoch() != 0) {
            objects.seen(r.groupId(), r.memberId()); // this write renews its lease from now
        }
        if (r.memberEpoch() == 0 && objects.readCached(r.groupId()).isEmpty() && objects.isShareGroup(r.groupId())) {
            throw new FloeException(io.floe.model.ErrorCode.UNKNOWN_GROUP, "Group " + r.groupId() + " is not a consumer group.");
        }
        ConsumerHeartbeatResult[] out = new ConsumerHeartbeatResult[1];
        // The member's partitions before this heartbeat, as the first attempt saw them: a retried update may
        // find its own earlier write (outcome unknown, then landed) and see no change, yet the member was not told.
        List<List<TopicPartition>> first = new ArrayList<>();
        List<TopicPartition> after = new ArrayList<>();
        objects.update(r.groupId(), r.memberEpoch() == 0, doc -> {
            long now = clock.millis();
            GroupDoc.Member before = doc.members.get(r.memberId());
            if (first.isEmpty()) {
                first.add(before == null ? List.of() : before.assignment.partitions());
            }
            Transitions.expire(doc, now, topics.partitionCounts(doc));
            out[0] = ConsumerTransitions.heartbeat(doc, r, now, sessionTimeoutMs(), topics::partitionCount, topics::names);
            GroupDoc.Member m = doc.members.get(out[0].memberId());
            after.clear();
            after.addAll(m == null ? List.of() : m.assignment.partitions());
            return doc;
        });
        if (out[0].assignment() == null && out[0].memberEpoch() >= 0 && !first.get(0).equals(after)) {
            out[0] = new ConsumerHeartbeatResult(out[0].memberId(), out[0].memberEpoch(), 0, List.copyOf(after));
        }
        if (out[0].memberEpoch() < 0) {
            objects.forget(r.groupId(), out[0].memberId());
        } else {
            objects.seen(r.groupId(), out[0].memberId());
        }
        return withInterval(out[0]);
    }

    /** The answer when the heartbeat changes nothing on our copy and no lease is due; empty otherwise. */
    private Optional<ConsumerHeartbeatResult> answerFromCopy(ConsumerHeartbeat r) {
        Optional<GroupDoc> copy = objects.readCached(r.groupId());
        if (copy.isEmpty()) {
            return Optional.empty();
        }
        GroupDoc d = copy.get();
        long now = clock.millis();
        GroupDoc.Member m = d.members.get(r.memberId());
        if (m == null || objects.renewalDue(m, now) || Transitions.hasExpired(d, now)) {
            return Optional.empty();
        }
        byte[] before = GroupFormat.encode(d);
        ConsumerHeartbeatResult result;
        try {
            result = ConsumerTransitions.heartbeat(d, r, now, sessionTimeoutMs(), topics::partitionCount, topics::names);
        } catch (FloeException e) {
            return Optional.empty(); // decide on a fresh read: our copy may be behind
        }
        // An assignment to hand out is decided on fresh state: the copy may predate a change the member made
        // through another instance (handing back partitions it has just been told to revoke).
        return result.assignment() == null && Arrays.equals(before, GroupFormat.encode(d))
                ? Optional.of(withInterval(result)) : Optional.empty();
    }

    private ConsumerHeartbeatResult withInterval(ConsumerHeartbeatResult r) {
        return new ConsumerHeartbeatResult(r.memberId(), r.memberEpoch(), heartbeatIntervalMs(), r.assignment());
    }

    /** See {@link GroupCoordinator#checkOffsetFetch}. */
    void checkOffsetFetch(String groupId, String memberId, int memberEpoch) {
        if (memberId == null && memberEpoch < 0) {
            return;
        }
        Optional<GroupDoc> copy = objects.readCached(groupId);
        if (copy.isEmpty() || !copy.get().isConsumerGroup() || offsetFetchRefusal(copy.get(), memberId, memberEpoch) == null) {
            return;
        }
        Optional<GroupDoc> fresh = objects.read(groupId); // our copy may be behind the member's heartbeats elsewhere
        FloeException refused = fresh.filter(GroupDoc::isConsumerGroup).map(d -> offsetFetchRefusal(d, memberId, memberEpoch))
                .orElse(null);
        if (refused != null) {
            throw refused;
        }
    }

    private static FloeException offsetFetchRefusal(GroupDoc d, String memberId, int memberEpoch) {
        GroupDoc.Member m = memberId == null ? null : d.members.get(memberId);
        if (m == null || m.consumer == null) {
            return new FloeException(io.floe.model.ErrorCode.UNKNOWN_MEMBER, "Member " + memberId + " is not a member of group "
                    + d.groupId + ".");
        }
        if (m.consumer.epoch != memberEpoch) {
            return new FloeException(io.floe.model.ErrorCode.STALE_MEMBER_EPOCH, "The member epoch " + memberEpoch
                    + " of member " + memberId + " is not its current epoch " + m.consumer.epoch + ".");
        }
        return null;
    }

    /** See {@link GroupCoordinator#describeConsumerGroup}. */
    Optional<ConsumerGroupDescription> describe(String groupId) {
        GroupChecks.checkGroupId(groupId);
        return objects.read(groupId).filter(GroupDoc::isConsumerGroup).map(d -> {
            List<ConsumerGroupDescription.Member> members = new ArrayList<>();
            for (GroupDoc.Member m : d.members.values()) {
                members.add(new ConsumerGroupDescription.Member(m.memberId, m.groupInstanceId, m.consumer.rackId,
                        m.consumer.epoch, m.clientId, m.clientHost, m.topics, m.assignment.partitions(),
                        List.copyOf(m.consumer.pendingRevocation), List.copyOf(m.consumer.target)));
            }
            return new ConsumerGroupDescription(d.groupId, d.state, d.generation, d.assignmentEpoch,
                    d.protocolName.isEmpty() ? TargetAssignment.DEFAULT : d.protocolName, List.copyOf(members));
        });
    }
}
