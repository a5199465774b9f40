package io.floe.group;

import static io.floe.group.GroupChecks.byInstanceId;
import static io.floe.group.GroupChecks.checkMember;
import static io.floe.group.GroupChecks.fencedInstance;
import static io.floe.group.GroupChecks.illegalGeneration;
import static io.floe.group.GroupChecks.rebalancing;
import static io.floe.group.GroupChecks.unknownGroup;
import static io.floe.group.GroupChecks.unknownMember;

import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/**
 * The Kafka classic group protocol: JoinGroup, SyncGroup, Heartbeat and LeaveGroup over the group
 * object, plus the background completion of joins waiting for a rebalance. Kafka's classes stay in
 * the listener: protocols and assignments are opaque bytes here. Semantics are documented on
 * {@link GroupCoordinator}.
 *
 * <p>Thread-safe: holds no state of its own; the group objects change only through
 * {@link GroupObjects#update}, and waiting joins and syncs live in the thread-safe {@link Waiters}.
 */
final class ClassicProtocol {

    private final GroupObjects objects;
    private final Waiters waiters;
    private final Offsets offsets;
    private final Topics topics;
    private final Clock clock;
    private final RandomGenerator random;
    private final GroupSettings settings;

    ClassicProtocol(GroupObjects objects, Waiters waiters, Offsets offsets, Topics topics, Clock clock,
                    RandomGenerator random, GroupSettings settings) {
        this.objects = objects;
        this.waiters = waiters;
        this.offsets = offsets;
        this.topics = topics;
        this.clock = clock;
        this.random = random;
        this.settings = settings;
    }

    String newMemberId(String clientId) {
        String prefix = clientId == null || clientId.isEmpty() ? "member" : clientId;
        return prefix + "-" + new UUID(random.nextLong(), random.nextLong());
    }

    CompletableFuture<JoinResult> join(JoinRequest r) {
        try {
            GroupChecks.checkGroupId(r.groupId());
            GroupChecks.checkSessionTimeout(settings, r.sessionTimeout().toMillis());
            if (r.protocols().isEmpty() || r.protocolType().isEmpty()) {
                throw new FloeException(ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
                        "A join must name a protocol type and at least one protocol.");
            }
            if (r.memberId().isEmpty() && objects.readCached(r.groupId()).isEmpty() && objects.isShareGroup(r.groupId())) {
                // Kafka answers a JoinGroup for a share group's id so.
                throw new FloeException(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, "Group '" + r.groupId()
                        + "' is a share group; classic consumers cannot join it.");
            }
            String memberId = r.memberId().isEmpty() ? newMemberId(r.clientId()) : r.memberId();
            offsets.flushDeferred(r.groupId());
            int[] startGen = new int[1];
            JoinResult[] immediate = new JoinResult[1];
            GroupDoc d = objects.update(r.groupId(), true, doc -> {
                long now = clock.millis();
                immediate[0] = null;
                if (!doc.members.isEmpty() && doc.isConsumerGroup()) {
                    throw new FloeException(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, "Group '" + r.groupId()
                            + "' is a consumer group (group.protocol=consumer); classic members cannot join it.");
                }
                doc.type = GroupDoc.CLASSIC;
                if (!doc.members.isEmpty() && !doc.protocolType.equals(r.protocolType())) {
                    throw new FloeException(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, "Group '" + r.groupId()
                            + "' uses protocol type '" + doc.protocolType + "', not '" + r.protocolType() + "'.");
                }
                GroupDoc.Member m = doc.members.get(memberId);
                if (m == null && r.groupInstanceId() != null) {
                    // Static member rejoining under a new member id: it replaces its old incarnation.
                    GroupDoc.Member old = byInstanceId(doc, r.groupInstanceId());
                    if (old != null) {
                        doc.members.remove(old.memberId);
                        if (doc.leaderId.equals(old.memberId)) {
                            doc.leaderId = memberId;
                        }
                        old.memberId = memberId;
                        doc.members.put(memberId, old);
                        m = old;
                    }
                } else if (m != null && r.groupInstanceId() != null && !r.groupInstanceId().equals(m.groupInstanceId)) {
                    throw fencedInstance(r.groupInstanceId());
                }
                if (m == null && !r.memberId().isEmpty() && r.groupInstanceId() == null) {
                    throw unknownMember(r.groupId(), memberId);
                }
                if (!Transitions.compatible(doc, memberId, r.protocols())) {
                    throw new FloeException(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, "Member '" + memberId
                            + "' supports none of the protocols of the other members of group '" + r.groupId() + "'.");
                }
                boolean unchanged = m != null && sameProtocols(m.protocols, r.protocols())
                        && doc.state == GroupState.STABLE && m.joinedGeneration == doc.generation
                        && !memberId.equals(doc.leaderId);
                if (unchanged) {
                    immediate[0] = joinResult(doc, m);
                    m.leaseExpiresAtMs = Math.max(m.leaseExpiresAtMs, now + m.sessionTimeoutMs);
                    return doc;
                }
                if (m == null) {
                    m = new GroupDoc.Member();
                    m.memberId = memberId;
                    doc.members.put(memberId, m);
                }
                m.groupInstanceId = r.groupInstanceId();
                m.clientId = r.clientId();
                m.clientHost = r.clientHost();
                m.sessionTimeoutMs = r.sessionTimeout().toMillis();
                m.rebalanceTimeoutMs = r.rebalanceTimeout().toMillis();
                m.protocols = new ArrayList<>(r.protocols());
                m.topics = r.topics();
                m.pendingJoin = true;
                m.leaseExpiresAtMs = now + m.sessionTimeoutMs;
                doc.protocolType = r.protocolType();
                Transitions.removeExpired(doc, now);
                Transitions.startRebalance(doc, now);
                startGen[0] = doc.generation;
                Transitions.tryCompleteJoin(doc, now);
                return doc;
            });
            objects.seen(r.groupId(), memberId);
            if (immediate[0] != null) {
                return CompletableFuture.completedFuture(immediate[0]);
            }
            Waiters.JoinWaiter w = new Waiters.JoinWaiter(r.groupId(), memberId, startGen[0],
                    clock.millis() + r.rebalanceTimeout().toMillis() + r.sessionTimeout().toMillis());
            waiters.add(w);
            w.tryResolve(d, clock.millis());
            return w.future();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    CompletableFuture<SyncResult> sync(SyncRequest r) {
        try {
            GroupChecks.checkGroupId(r.groupId());
            GroupDoc d = objects.update(r.groupId(), false, doc -> {
                GroupDoc.Member m = checkMember(doc, r.memberId(), r.groupInstanceId());
                if (r.generation() != doc.generation) {
                    throw illegalGeneration(r.groupId(), r.generation(), doc.generation);
                }
                if ((r.protocolType() != null && !r.protocolType().equals(doc.protocolType))
                        || (r.protocolName() != null && !r.protocolName().equals(doc.protocolName))) {
                    throw new FloeException(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, "Group '" + r.groupId()
                            + "' runs " + doc.protocolType + "/" + doc.protocolName + ".");
                }
                if (doc.state == GroupState.PREPARING_REBALANCE) {
                    throw rebalancing(r.groupId());
                }
                if (doc.state != GroupState.COMPLETING_REBALANCE || !m.memberId.equals(doc.leaderId)) {
                    return null;
                }
                for (GroupDoc.Member each : doc.members.values()) {
                    each.assignment = r.assignments().getOrDefault(each.memberId, MemberAssignment.EMPTY);
                }
                doc.state = GroupState.STABLE;
                return doc;
            });
            objects.seen(r.groupId(), r.memberId());
            Waiters.SyncWaiter w = new Waiters.SyncWaiter(r.groupId(), r.memberId(), r.generation(),
                    clock.millis() + settings.maxSessionTimeout().toMillis());
            if (!w.tryResolve(d, clock.millis())) {
                waiters.add(w);
            }
            return w.future();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    void heartbeat(String groupId, String memberId, String groupInstanceId, int generation) {
        GroupDoc d = objects.readCached(groupId).orElseThrow(() -> unknownGroup(groupId));
        checkHeartbeat(d, groupId, memberId, groupInstanceId, generation);
        objects.seen(groupId, memberId);
        long now = clock.millis();
        if (objects.renewalDue(d.members.get(memberId), now) || Transitions.hasExpired(d, now)) {
            d = objects.update(groupId, false, doc -> {
                checkMember(doc, memberId, groupInstanceId);
                Transitions.expire(doc, clock.millis(), topics.partitionCounts(doc));
                return doc;
            });
            checkHeartbeat(d, groupId, memberId, groupInstanceId, generation);
        }
    }

    private static void checkHeartbeat(GroupDoc d, String groupId, String memberId, String groupInstanceId,
                                       int generation) {
        checkMember(d, memberId, groupInstanceId);
        if (d.state == GroupState.PREPARING_REBALANCE) {
            throw rebalancing(groupId);
        }
        if (generation != d.generation) {
            throw illegalGeneration(groupId, generation, d.generation);
        }
    }

    List<LeaveOutcome> leave(String groupId, List<MemberIdentity> members) {
        GroupChecks.checkGroupId(groupId);
        offsets.flushDeferred(groupId);
        List<LeaveOutcome> out = new ArrayList<>();
        objects.update(groupId, false, doc -> {
            out.clear();
            boolean changed = false;
            for (MemberIdentity id : members) {
                GroupDoc.Member m = id.memberId() == null || id.memberId().isEmpty()
                        ? byInstanceId(doc, id.groupInstanceId()) : doc.members.get(id.memberId());
                ErrorCode error = null;
                if (m == null) {
                    error = ErrorCode.UNKNOWN_MEMBER;
                } else if (id.groupInstanceId() != null && !id.groupInstanceId().equals(m.groupInstanceId)) {
                    error = ErrorCode.FENCED_INSTANCE_ID;
                } else {
                    doc.members.remove(m.memberId);
                    changed = true;
                }
                out.add(new LeaveOutcome(id.memberId(), id.groupInstanceId(), error));
            }
            if (!changed) {
                return null;
            }
            Transitions.membershipChanged(doc, clock.millis(), topics.partitionCounts(doc));
            return doc;
        });
        members.forEach(m -> objects.forget(groupId, m.memberId()));
        return out;
    }

    /**
     * Re-reads the groups with waiting joins or syncs (which resolves them) and completes due
     * rebalances and expiries in them.
     */
    void completeWaiting(long now) {
        for (String g : List.copyOf(waiters.groups())) {
            Optional<GroupDoc> d = objects.read(g);
            if (d.isEmpty()) {
                waiters.resolve(g, null);
                continue;
            }
            GroupDoc doc = d.get();
            boolean due = doc.state == GroupState.PREPARING_REBALANCE
                    && (now >= doc.rebalanceDeadlineMs || doc.members.values().stream().allMatch(m -> m.pendingJoin));
            if (due || Transitions.hasExpired(doc, now)) {
                objects.update(g, false, x -> {
                    boolean changed = Transitions.expire(x, clock.millis(), topics.partitionCounts(x));
                    changed |= Transitions.tryCompleteJoin(x, clock.millis());
                    return changed ? x : null;
                });
            }
        }
    }

    private static boolean sameProtocols(List<Protocol> a, List<Protocol> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).name().equals(b.get(i).name()) || !Arrays.equals(a.get(i).metadata(), b.get(i).metadata())) {
                return false;
            }
        }
        return true;
    }

    static JoinResult joinResult(GroupDoc d, GroupDoc.Member m) {
        List<JoinResult.JoinedMember> members = new ArrayList<>();
        if (m.memberId.equals(d.leaderId)) {
            for (GroupDoc.Member each : d.members.values()) {
                members.add(new JoinResult.JoinedMember(each.memberId, each.groupInstanceId, each.metadata(d.protocolName)));
            }
        }
        return new JoinResult(d.generation, d.protocolType, d.protocolName, d.leaderId, m.memberId, false, members);
    }
}
