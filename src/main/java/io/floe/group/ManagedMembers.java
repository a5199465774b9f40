package io.floe.group;

import static io.floe.group.GroupChecks.checkManaged;
import static io.floe.group.GroupChecks.illegalGeneration;
import static io.floe.group.GroupChecks.notAssigned;
import static io.floe.group.GroupChecks.unknownMember;

import io.floe.log.LogEngine;
import io.floe.log.PartitionOffsets;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.TopicPartition;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Floe-managed (REST) members: creation, subscriptions, the member's view as a heartbeat, fetch
 * positions and seeks, removal. The engine runs the member's assignor itself and forms a new
 * generation at once when membership or subscriptions change. Semantics are documented on
 * {@link GroupCoordinator}.
 *
 * <p>Thread-safe: holds no state of its own; the group objects change only through
 * {@link GroupObjects#update}.
 */
final class ManagedMembers {

    private final GroupObjects objects;
    private final Offsets offsets;
    private final Topics topics;
    private final LogEngine log;
    private final Clock clock;
    private final GroupSettings settings;

    ManagedMembers(GroupObjects objects, Offsets offsets, Topics topics, LogEngine log, Clock clock,
                   GroupSettings settings) {
        this.objects = objects;
        this.offsets = offsets;
        this.topics = topics;
        this.log = log;
        this.clock = clock;
        this.settings = settings;
    }

    ManagedMember createMember(String groupId, ManagedMemberSpec spec) {
        GroupChecks.checkGroupId(groupId);
        long session = spec.sessionTimeout() == null ? settings.defaultSessionTimeout().toMillis()
                : spec.sessionTimeout().toMillis();
        GroupChecks.checkSessionTimeout(settings, session);
        String assignor = spec.assignor() == null ? "range" : spec.assignor();
        if (!GroupCoordinator.ASSIGNORS.contains(assignor)) {
            throw FloeException.invalid("Unknown assignor '" + assignor + "': expected range, roundrobin or sticky.");
        }
        GroupDoc d = objects.update(groupId, true, doc -> {
            long now = clock.millis();
            if (!doc.members.isEmpty() && !GroupCoordinator.MANAGED_PROTOCOL_TYPE.equals(doc.protocolType)) {
                throw new FloeException(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, "Group '" + groupId
                        + "' has Kafka consumers (protocol type '" + doc.protocolType
                        + "'); REST consumers must use another group.");
            }
            if (doc.members.containsKey(spec.name())) {
                throw new FloeException(ErrorCode.MEMBER_EXISTS, "Consumer instance '" + spec.name()
                        + "' already exists in group '" + groupId + "'.");
            }
            GroupDoc.Member m = new GroupDoc.Member();
            m.memberId = spec.name();
            m.clientId = spec.clientId();
            m.clientHost = spec.clientHost();
            m.sessionTimeoutMs = session;
            m.rebalanceTimeoutMs = session;
            m.leaseExpiresAtMs = now + session;
            m.managed = new GroupDoc.Managed();
            m.managed.assignor = assignor;
            m.managed.reset = spec.reset();
            m.managed.autoCommit = spec.autoCommit();
            m.managed.properties = spec.properties();
            doc.protocolType = GroupCoordinator.MANAGED_PROTOCOL_TYPE;
            doc.type = GroupDoc.CLASSIC;
            doc.members.put(m.memberId, m);
            Transitions.expire(doc, now, topics.partitionCounts(doc));
            Transitions.reassignManaged(doc, topics.partitionCounts(doc));
            return doc;
        });
        objects.seen(groupId, spec.name());
        return managed(d, spec.name());
    }

    ManagedMember subscribe(String groupId, String memberId, Collection<String> topicNames) {
        Set<String> wanted = Set.copyOf(topicNames);
        for (String t : wanted) {
            log.topic(t); // UNKNOWN_TOPIC
        }
        return changeSubscription(groupId, memberId, wanted);
    }

    ManagedMember unsubscribe(String groupId, String memberId) {
        return changeSubscription(groupId, memberId, Set.of());
    }

    private ManagedMember changeSubscription(String groupId, String memberId, Set<String> wanted) {
        GroupDoc d = objects.update(groupId, false, doc -> {
            GroupDoc.Member m = checkManaged(doc, groupId, memberId);
            if (m.topics.equals(wanted)) {
                return null;
            }
            m.topics = wanted;
            Transitions.expire(doc, clock.millis(), topics.partitionCounts(doc));
            Transitions.reassignManaged(doc, topics.partitionCounts(doc));
            return doc;
        });
        objects.seen(groupId, memberId);
        return managed(d, memberId);
    }

    ManagedMember member(String groupId, String memberId) {
        // Always a fresh read (one GET): the member's positions may have been moved through another
        // instance a moment ago, and a stale copy would re-deliver records and commit backwards.
        GroupDoc d = objects.read(groupId).orElseThrow(() -> unknownMember(groupId, memberId));
        GroupDoc.Member m = checkManaged(d, groupId, memberId);
        objects.seen(groupId, memberId);
        long now = clock.millis();
        if (objects.renewalDue(m, now) || Transitions.hasExpired(d, now)
                || (!m.topics.isEmpty() && Transitions.assignmentStale(d, topics.partitionCounts(d)))) {
            d = objects.update(groupId, false, doc -> {
                checkManaged(doc, groupId, memberId);
                Map<String, Integer> counts = topics.partitionCounts(doc);
                if (!Transitions.expire(doc, clock.millis(), counts) && Transitions.assignmentStale(doc, counts)) {
                    Transitions.reassignManaged(doc, counts);
                }
                return doc;
            });
        }
        return managed(d, memberId);
    }

    Map<TopicPartition, Long> fetchPositions(ManagedMember member) {
        Map<TopicPartition, Long> out = new LinkedHashMap<>();
        GroupDoc d = objects.readCached(member.groupId())
                .orElseThrow(() -> unknownMember(member.groupId(), member.memberId()));
        for (TopicPartition tp : member.assignment()) {
            Long pos = member.positions().get(tp);
            if (pos == null) {
                CommittedOffset c = offsets.pendingOrCommitted(d, tp);
                pos = c == null ? null : c.offset();
            }
            PartitionOffsets o = log.offsets(tp.topic(), tp.partition());
            if (pos == null || pos < o.logStartOffset() || pos > o.endOffset()) {
                pos = switch (member.reset()) {
                    case EARLIEST -> o.logStartOffset();
                    case LATEST -> o.endOffset();
                    case NONE -> throw new FloeException(ErrorCode.NO_OFFSET, "Partition " + tp
                            + " has no " + (pos == null ? "committed offset" : "valid position (" + pos + ")")
                            + " for group '" + member.groupId() + "' and auto.offset.reset is none: "
                            + "set a position with POST …/positions (or …/positions/beginning|end) first.");
                };
            }
            out.put(tp, pos);
        }
        return out;
    }

    ManagedMember seek(String groupId, String memberId, int generation, Map<TopicPartition, Long> positions,
                       boolean commit) {
        GroupDoc d = objects.update(groupId, false, doc -> {
            GroupDoc.Member m = checkManaged(doc, groupId, memberId);
            if (generation >= 0 && generation != doc.generation) {
                throw illegalGeneration(groupId, generation, doc.generation);
            }
            Set<TopicPartition> mine = new TreeSet<>(GroupDoc::compare);
            mine.addAll(m.assignment.partitions());
            long now = clock.millis();
            boolean changed = false;
            for (var e : positions.entrySet()) {
                if (!mine.contains(e.getKey())) {
                    if (generation >= 0) {
                        throw notAssigned(groupId, memberId, e.getKey());
                    }
                    continue;
                }
                Long before = m.managed.positions.put(e.getKey(), e.getValue());
                changed |= before == null || before.longValue() != e.getValue();
                if (commit) {
                    CommittedOffset c = doc.committed(e.getKey());
                    if (c == null || c.offset() != e.getValue()) {
                        doc.putOffset(e.getKey(), new CommittedOffset(e.getValue(), -1, "", now));
                        changed = true;
                    }
                }
            }
            return changed || objects.renewalDue(m, now) ? doc : null;
        });
        objects.seen(groupId, memberId);
        return managed(d, memberId);
    }

    void removeMember(String groupId, String memberId) {
        offsets.flushDeferred(groupId);
        objects.update(groupId, false, doc -> {
            checkManaged(doc, groupId, memberId);
            doc.members.remove(memberId);
            Transitions.expire(doc, clock.millis(), topics.partitionCounts(doc));
            Transitions.membershipChanged(doc, clock.millis(), topics.partitionCounts(doc));
            return doc;
        });
        objects.forget(groupId, memberId);
    }

    private static ManagedMember managed(GroupDoc d, String memberId) {
        GroupDoc.Member m = checkManaged(d, d.groupId, memberId);
        return new ManagedMember(d.groupId, memberId, d.generation, m.assignment.partitions(), m.topics,
                m.managed.assignor, m.managed.reset, m.managed.autoCommit, m.managed.properties,
                Map.copyOf(m.managed.positions), m.leaseExpiresAtMs);
    }
}
