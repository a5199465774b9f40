package io.floe.group;

import io.floe.log.LogEngine;
import io.floe.log.PartitionOffsets;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.TopicPartition;
import io.floe.store.ConditionalUpdate;
import io.floe.store.ObjectStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The consumer-group engine: membership with leases, generations, assignment, fencing, committed
 * offsets and lag, for both front doors. Any instance can coordinate any group: a group's whole state
 * (members with lease expiry, generation, assignment, committed offsets) is one object in the bucket,
 * {@code groups/{group}/state}, changed only through {@link io.floe.store.ConditionalUpdate}; what an
 * instance caches is only a copy.
 *
 * <p>Two models share the state:
 * <ul>
 * <li><b>Classic (Kafka)</b>: {@link #join} collects members until every known member rejoined or the
 *     rebalance timeout passed, then forms a generation with a leader; the leader's {@link #sync}
 *     stores everyone's assignment (opaque bytes, plus the partitions if the caller decoded them);
 *     followers' syncs wait for it. {@link #heartbeat} renews the lease and says
 *     REBALANCE_IN_PROGRESS when the member must rejoin. Kafka's classes stay in the listener:
 *     bytes in, bytes out.</li>
 * <li><b>Floe-managed (REST)</b>: {@link #createMember}, {@link #subscribe}; the engine runs the
 *     assignor ({@code range}, {@code roundrobin}, {@code sticky}) itself and a new generation is
 *     formed at once when membership or subscriptions change. Members learn it on their next call
 *     ({@link #member}).</li>
 * </ul>
 *
 * <p>Cost: a heartbeat writes the member's lease only when less than
 * {@link GroupSettings#renewFraction()} of its session timeout remains; any write of the group by
 * this instance renews the leases of the members heartbeating through it. Offsets are one write per
 * commit (all partitions in it), and concurrent commits of one group on one instance share a write.
 *
 * <p>Errors are {@link FloeException}s with the group codes of {@link ErrorCode} (UNKNOWN_MEMBER,
 * ILLEGAL_GENERATION, REBALANCE_IN_PROGRESS, NOT_ASSIGNED, …); futures complete exceptionally
 * with them. Thread-safe: the bucket is the truth, local maps hold caches and waiters only.
 */
public final class GroupCoordinator implements AutoCloseable {

    /** Protocol type of Floe-managed (REST) groups. */
    public static final String MANAGED_PROTOCOL_TYPE = "floe";

    /** The assignors the managed model runs, and the names Kafka clients use for the same strategies. */
    public static final Set<String> ASSIGNORS = Set.of("range", "roundrobin", "sticky");

    private static final System.Logger LOG = System.getLogger(GroupCoordinator.class.getName());
    private static final int MAX_ATTEMPTS = 32;

    private final ObjectStore store;
    private final LogEngine log;
    private final Clock clock;
    private final RandomGenerator random;
    private final GroupSettings settings;
    private final AtomicLong writes = new AtomicLong();
    /** Last group object this instance read or wrote, per group: a cache, never the truth. */
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    /** Members whose calls reach this instance: group → member → last call (ms). Renewed by our writes. */
    private final Map<String, Map<String, Long>> local = new ConcurrentHashMap<>();
    private final Map<String, List<Waiter>> waiters = new ConcurrentHashMap<>();
    private final DeferredCommits deferred = new DeferredCommits();
    private final ScheduledExecutorService timer;
    private volatile boolean closed;

    private record Cached(byte[] bytes, long readAtMs) {
    }

    public GroupCoordinator(ObjectStore store, LogEngine log, Clock clock, RandomGenerator random,
                            GroupSettings settings) {
        this.store = store;
        this.log = log;
        this.clock = clock;
        this.random = random;
        this.settings = settings;
        if (settings.backgroundThreads()) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "floe-groups");
                t.setDaemon(true);
                return t;
            });
            long every = Math.max(1, settings.pollInterval().toMillis());
            timer.scheduleWithFixedDelay(this::tickQuietly, every, every, TimeUnit.MILLISECONDS);
        } else {
            timer = null;
        }
    }

    /** A fresh member id for a client ({@code clientId-uuid}), for KIP-394's MEMBER_ID_REQUIRED round trip. */
    public String newMemberId(String clientId) {
        String prefix = clientId == null || clientId.isEmpty() ? "member" : clientId;
        return prefix + "-" + new UUID(random.nextLong(), random.nextLong());
    }

    // ---- classic (Kafka) protocol -------------------------------------------------------------

    /**
     * Joins (or rejoins) a group. Completes when the next generation is formed — when every member
     * of the group rejoined, or at the rebalance deadline, dropping members that did not — with the
     * generation, chosen protocol and leader (and, for the leader, the members' metadata). A member
     * rejoining a stable group with unchanged metadata gets the current generation back at once.
     *
     * <p>Errors: INVALID_GROUP_ID, INVALID_SESSION_TIMEOUT, INCONSISTENT_GROUP_PROTOCOL (protocol type
     * differs, or no protocol common to all members), UNKNOWN_MEMBER (a non-empty member id the group
     * does not know), FENCED_INSTANCE_ID, REBALANCE_IN_PROGRESS (superseded by a newer join of the
     * same member).
     */
    public CompletableFuture<JoinResult> join(JoinRequest r) {
        try {
            GroupKeys.check(r.groupId());
            checkSessionTimeout(r.sessionTimeout().toMillis());
            if (r.protocols().isEmpty() || r.protocolType().isEmpty()) {
                throw new FloeException(ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
                        "A join must name a protocol type and at least one protocol.");
            }
            String memberId = r.memberId().isEmpty() ? newMemberId(r.clientId()) : r.memberId();
            flushDeferred(r.groupId());
            int[] startGen = new int[1];
            JoinResult[] immediate = new JoinResult[1];
            GroupDoc d = update(r.groupId(), true, doc -> {
                long now = clock.millis();
                immediate[0] = null;
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
                Transitions.expire(doc, now, Map.of());
                Transitions.startRebalance(doc, now);
                startGen[0] = doc.generation;
                Transitions.tryCompleteJoin(doc, now);
                return doc;
            });
            seen(r.groupId(), memberId);
            if (immediate[0] != null) {
                return CompletableFuture.completedFuture(immediate[0]);
            }
            JoinWaiter w = new JoinWaiter(r.groupId(), memberId, startGen[0],
                    clock.millis() + r.rebalanceTimeout().toMillis() + r.sessionTimeout().toMillis());
            addWaiter(w);
            w.tryResolve(d, clock.millis());
            return w.future;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Delivers a member's assignment for a generation. The leader's request stores every member's
     * assignment (members it leaves out get an empty one) and makes the group stable; a follower's
     * completes when the leader's has arrived. Errors: UNKNOWN_MEMBER, ILLEGAL_GENERATION,
     * REBALANCE_IN_PROGRESS (a new rebalance started), INCONSISTENT_GROUP_PROTOCOL,
     * FENCED_INSTANCE_ID.
     */
    public CompletableFuture<SyncResult> sync(SyncRequest r) {
        try {
            GroupKeys.check(r.groupId());
            GroupDoc d = update(r.groupId(), false, doc -> {
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
            seen(r.groupId(), r.memberId());
            SyncWaiter w = new SyncWaiter(r.groupId(), r.memberId(), r.generation(),
                    clock.millis() + settings.maxSessionTimeout().toMillis());
            if (!w.tryResolve(d, clock.millis())) {
                addWaiter(w);
            }
            return w.future;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Records that a member is alive. Writes its lease only when it is due for renewal. Throws
     * REBALANCE_IN_PROGRESS when the member must rejoin, ILLEGAL_GENERATION, UNKNOWN_MEMBER,
     * FENCED_INSTANCE_ID, UNKNOWN_GROUP. During CompletingRebalance a member of the new generation
     * gets no error (Kafka's behaviour).
     */
    public void heartbeat(String groupId, String memberId, String groupInstanceId, int generation) {
        GroupDoc d = readCached(groupId).orElseThrow(() -> unknownGroup(groupId));
        checkHeartbeat(d, groupId, memberId, groupInstanceId, generation);
        seen(groupId, memberId);
        long now = clock.millis();
        if (renewalDue(d.members.get(memberId), now) || Transitions.hasExpired(d, now)) {
            d = update(groupId, false, doc -> {
                checkMember(doc, memberId, groupInstanceId);
                Transitions.expire(doc, clock.millis(), partitionCounts(doc));
                return doc;
            });
            checkHeartbeat(d, groupId, memberId, groupInstanceId, generation);
        }
    }

    private void checkHeartbeat(GroupDoc d, String groupId, String memberId, String groupInstanceId, int generation) {
        checkMember(d, memberId, groupInstanceId);
        if (d.state == GroupState.PREPARING_REBALANCE) {
            throw rebalancing(groupId);
        }
        if (generation != d.generation) {
            throw illegalGeneration(groupId, generation, d.generation);
        }
    }

    /**
     * Removes members (Kafka LeaveGroup; v3+ names several, static ones by instance id) and starts a
     * rebalance for the rest. Their deferred commits are written first. One outcome per member
     * (UNKNOWN_MEMBER, FENCED_INSTANCE_ID); UNKNOWN_GROUP if the group does not exist.
     */
    public List<LeaveOutcome> leave(String groupId, List<MemberIdentity> members) {
        GroupKeys.check(groupId);
        flushDeferred(groupId);
        List<LeaveOutcome> out = new ArrayList<>();
        update(groupId, false, doc -> {
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
            Transitions.membershipChanged(doc, clock.millis(), partitionCounts(doc));
            return doc;
        });
        members.forEach(m -> forget(groupId, m.memberId()));
        return out;
    }

    // ---- Floe-managed (REST) ------------------------------------------------------------------

    /** Creates a managed member (REST consumer instance); MEMBER_EXISTS if the name is taken. */
    public ManagedMember createMember(String groupId, ManagedMemberSpec spec) {
        GroupKeys.check(groupId);
        long session = spec.sessionTimeout() == null ? settings.defaultSessionTimeout().toMillis()
                : spec.sessionTimeout().toMillis();
        checkSessionTimeout(session);
        String assignor = spec.assignor() == null ? "range" : spec.assignor();
        if (!ASSIGNORS.contains(assignor)) {
            throw FloeException.invalid("Unknown assignor '" + assignor + "': expected range, roundrobin or sticky.");
        }
        GroupDoc d = update(groupId, true, doc -> {
            long now = clock.millis();
            if (!doc.members.isEmpty() && !MANAGED_PROTOCOL_TYPE.equals(doc.protocolType)) {
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
            doc.protocolType = MANAGED_PROTOCOL_TYPE;
            doc.members.put(m.memberId, m);
            Transitions.expire(doc, now, partitionCounts(doc));
            Transitions.reassignManaged(doc, partitionCounts(doc));
            return doc;
        });
        seen(groupId, spec.name());
        return managed(d, spec.name());
    }

    /**
     * Sets the member's subscription (replacing the previous one) and rebalances the group with the
     * member's assignor. Errors: UNKNOWN_MEMBER, UNKNOWN_TOPIC.
     */
    public ManagedMember subscribe(String groupId, String memberId, Collection<String> topics) {
        Set<String> wanted = Set.copyOf(topics);
        for (String t : wanted) {
            log.topic(t); // UNKNOWN_TOPIC
        }
        return changeSubscription(groupId, memberId, wanted);
    }

    /** Clears the member's subscription and rebalances. UNKNOWN_MEMBER. */
    public ManagedMember unsubscribe(String groupId, String memberId) {
        return changeSubscription(groupId, memberId, Set.of());
    }

    private ManagedMember changeSubscription(String groupId, String memberId, Set<String> topics) {
        GroupDoc d = update(groupId, false, doc -> {
            GroupDoc.Member m = checkManaged(doc, groupId, memberId);
            if (m.topics.equals(topics)) {
                return null;
            }
            m.topics = topics;
            Transitions.expire(doc, clock.millis(), partitionCounts(doc));
            Transitions.reassignManaged(doc, partitionCounts(doc));
            return doc;
        });
        seen(groupId, memberId);
        return managed(d, memberId);
    }

    /**
     * The member's current view, as a heartbeat: renews its lease when due, removes expired members
     * of the group (rebalancing if any), and returns the assignment of the current generation.
     * UNKNOWN_MEMBER when it left or expired.
     */
    public ManagedMember member(String groupId, String memberId) {
        // Always a fresh read (one GET): the member's positions may have been moved through another
        // instance a moment ago, and a stale copy would re-deliver records and commit backwards.
        GroupDoc d = read(groupId).orElseThrow(() -> unknownMember(groupId, memberId));
        GroupDoc.Member m = checkManaged(d, groupId, memberId);
        seen(groupId, memberId);
        long now = clock.millis();
        if (renewalDue(m, now) || Transitions.hasExpired(d, now)
                || (!m.topics.isEmpty() && Transitions.assignmentStale(d, partitionCounts(d)))) {
            d = update(groupId, false, doc -> {
                checkManaged(doc, groupId, memberId);
                Map<String, Integer> counts = partitionCounts(doc);
                if (!Transitions.expire(doc, clock.millis(), counts) && Transitions.assignmentStale(doc, counts)) {
                    Transitions.reassignManaged(doc, counts);
                }
                return doc;
            });
        }
        return managed(d, memberId);
    }

    /**
     * Where the member reads each assigned partition next: its explicit position, else the committed
     * offset, else {@link ManagedMember#reset()} against the log (NO_OFFSET for {@code none}). A
     * position outside the log is reset the same way.
     */
    public Map<TopicPartition, Long> fetchPositions(ManagedMember member) {
        Map<TopicPartition, Long> out = new LinkedHashMap<>();
        GroupDoc d = readCached(member.groupId()).orElseThrow(() -> unknownMember(member.groupId(), member.memberId()));
        for (TopicPartition tp : member.assignment()) {
            Long pos = member.positions().get(tp);
            if (pos == null) {
                CommittedOffset c = pendingOrCommitted(d, tp);
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

    /**
     * Moves the member's positions (seek, or after a read returned records). With {@code generation}
     * >= 0 every partition must be assigned to the member in that generation (ILLEGAL_GENERATION,
     * NOT_ASSIGNED); with -1, partitions not assigned to it now are skipped (a read that raced a
     * rebalance: the returned view shows which positions were kept). With {@code commit} the same
     * offsets are committed in the same write (auto-commit), so a read costs at most one write.
     */
    public ManagedMember seek(String groupId, String memberId, int generation, Map<TopicPartition, Long> positions,
                              boolean commit) {
        GroupDoc d = update(groupId, false, doc -> {
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
            return changed || renewalDue(m, now) ? doc : null;
        });
        seen(groupId, memberId);
        return managed(d, memberId);
    }

    /** Removes a managed member (REST {@code DELETE …/instances/{name}}) and rebalances. UNKNOWN_MEMBER. */
    public void removeMember(String groupId, String memberId) {
        flushDeferred(groupId);
        update(groupId, false, doc -> {
            checkManaged(doc, groupId, memberId);
            doc.members.remove(memberId);
            Transitions.expire(doc, clock.millis(), partitionCounts(doc));
            Transitions.membershipChanged(doc, clock.millis(), partitionCounts(doc));
            return doc;
        });
        forget(groupId, memberId);
    }

    // ---- offsets ------------------------------------------------------------------------------

    /**
     * Commits offsets (see {@link OffsetCommit} for who may). Group-level refusals throw
     * (ILLEGAL_GENERATION, UNKNOWN_MEMBER, REBALANCE_IN_PROGRESS, FENCED_INSTANCE_ID); per-partition
     * ones (UNKNOWN_TOPIC, UNKNOWN_PARTITION, NOT_ASSIGNED) are returned, the others committed.
     *
     * @return the partitions that were not committed, with why; empty when all were
     */
    public Map<TopicPartition, ErrorCode> commit(OffsetCommit c) {
        GroupKeys.check(c.groupId());
        Map<TopicPartition, ErrorCode> errors = new TreeMap<>(GroupDoc::compare);
        Map<TopicPartition, CommittedOffset> valid = new TreeMap<>(GroupDoc::compare);
        long now = clock.millis();
        for (var e : c.offsets().entrySet()) {
            TopicPartition tp = e.getKey();
            ErrorCode topicError = topicError(tp);
            if (topicError != null) {
                errors.put(tp, topicError);
            } else if (e.getValue().offset() < 0) {
                errors.put(tp, ErrorCode.OFFSET_OUT_OF_RANGE);
            } else {
                CommittedOffset o = e.getValue();
                valid.put(tp, new CommittedOffset(o.offset(), o.leaderEpoch(), o.metadata(), now));
            }
        }
        if (valid.isEmpty()) {
            return errors;
        }
        if (!c.memberId().isEmpty()) {
            seen(c.groupId(), c.memberId());
        }
        if (c.durability() == OffsetCommit.Durability.DEFERRED) {
            // Check now what can be checked against our copy; the write checks again.
            readCached(c.groupId()).ifPresent(d -> errors.putAll(authorize(d, c, valid)));
            valid.keySet().removeAll(errors.keySet());
            deferred.add(c.groupId(), c.memberId(), c.groupInstanceId(), c.generation(), valid, now);
            return errors;
        }
        Map<TopicPartition, ErrorCode> refused = new TreeMap<>(GroupDoc::compare);
        List<DeferredCommits.Pending> taken = deferred.take(c.groupId());
        try {
            update(c.groupId(), true, doc -> {
                refused.clear();
                refused.putAll(authorize(doc, c, valid));
                boolean any = DeferredCommits.apply(doc, taken, this::authorize);
                for (var e : valid.entrySet()) {
                    if (!refused.containsKey(e.getKey())) {
                        doc.putOffset(e.getKey(), e.getValue());
                        any = true;
                    }
                }
                return any ? doc : null;
            });
        } catch (RuntimeException e) {
            if (!(e instanceof FloeException f) || f.code().kind() == ErrorCode.Kind.UNAVAILABLE
                    || f.code() == ErrorCode.CONCURRENT_UPDATE) {
                deferred.restore(c.groupId(), taken);
            } else {
                flushTaken(c.groupId(), taken);
            }
            throw e;
        }
        errors.putAll(refused);
        return errors;
    }

    /** Who may commit (see OffsetCommit); throws group-level errors, returns per-partition ones. */
    Map<TopicPartition, ErrorCode> authorize(GroupDoc doc, OffsetCommit c, Map<TopicPartition, CommittedOffset> offsets) {
        Map<TopicPartition, ErrorCode> refused = new TreeMap<>(GroupDoc::compare);
        if (c.memberId().isEmpty() && c.generation() < 0) {
            if (!doc.members.isEmpty()) {
                throw doc.state == GroupState.PREPARING_REBALANCE || doc.state == GroupState.COMPLETING_REBALANCE
                        ? rebalancing(c.groupId()) : illegalGeneration(c.groupId(), c.generation(), doc.generation);
            }
            return refused;
        }
        GroupDoc.Member m = checkMember(doc, c.memberId(), c.groupInstanceId());
        if (c.generation() >= 0 || !m.isManaged()) {
            if (c.generation() != doc.generation) {
                throw illegalGeneration(c.groupId(), c.generation(), doc.generation);
            }
            if (doc.state != GroupState.STABLE) {
                throw rebalancing(c.groupId());
            }
        }
        List<TopicPartition> mine = m.assignment.partitions();
        if (m.isManaged() || !mine.isEmpty()) {
            for (TopicPartition tp : offsets.keySet()) {
                if (!mine.contains(tp)) {
                    refused.put(tp, ErrorCode.NOT_ASSIGNED);
                }
            }
        }
        return refused;
    }

    /**
     * Committed offsets of a group (Kafka OffsetFetch): of {@code partitions}, or of all partitions
     * when null. Partitions without one are absent. A group that does not exist has none.
     * Includes this instance's deferred commits not yet written.
     */
    public Map<TopicPartition, CommittedOffset> committed(String groupId, Collection<TopicPartition> partitions) {
        GroupKeys.check(groupId);
        Map<TopicPartition, CommittedOffset> out = new TreeMap<>(GroupDoc::compare);
        Optional<GroupDoc> d = read(groupId);
        d.ifPresent(doc -> doc.offsets.forEach((t, ps) -> ps.forEach((p, o) -> out.put(new TopicPartition(t, p), o))));
        deferred.pending(groupId).forEach(out::put);
        if (partitions != null) {
            out.keySet().retainAll(new HashSet<>(partitions));
        }
        return out;
    }

    /**
     * Deletes committed offsets (Kafka OffsetDelete). Per partition: GROUP_SUBSCRIBED_TO_TOPIC when
     * the group is not empty and a member subscribes to (or is assigned) the topic. UNKNOWN_GROUP.
     *
     * @return partitions whose offsets were kept, with why
     */
    public Map<TopicPartition, ErrorCode> deleteOffsets(String groupId, Collection<TopicPartition> partitions) {
        GroupKeys.check(groupId);
        flushDeferred(groupId);
        Map<TopicPartition, ErrorCode> refused = new TreeMap<>(GroupDoc::compare);
        update(groupId, false, doc -> {
            refused.clear();
            Set<String> inUse = new HashSet<>();
            for (GroupDoc.Member m : doc.members.values()) {
                inUse.addAll(m.topics);
                m.assignment.partitions().forEach(tp -> inUse.add(tp.topic()));
            }
            boolean changed = false;
            for (TopicPartition tp : partitions) {
                if (inUse.contains(tp.topic())) {
                    refused.put(tp, ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC);
                } else if (doc.committed(tp) != null) {
                    doc.removeOffset(tp);
                    changed = true;
                }
            }
            return changed ? doc : null;
        });
        return refused;
    }

    /** Writes this instance's deferred commits now (shutdown, Lambda before responding, tests). */
    public void flush() {
        for (String g : deferred.groups()) {
            flushDeferred(g);
        }
    }

    private void flushDeferred(String groupId) {
        if (deferred.has(groupId)) {
            flushTaken(groupId, deferred.take(groupId));
        }
    }

    private void flushTaken(String groupId, List<DeferredCommits.Pending> taken) {
        if (taken.isEmpty()) {
            return;
        }
        try {
            update(groupId, true, doc -> DeferredCommits.apply(doc, taken, this::authorize) ? doc : null);
        } catch (FloeException e) {
            if (e.code().kind() == ErrorCode.Kind.UNAVAILABLE || e.code() == ErrorCode.CONCURRENT_UPDATE) {
                deferred.restore(groupId, taken);
            }
            LOG.log(System.Logger.Level.DEBUG, "Deferred commits of group " + groupId + " not written: " + e.getMessage());
        } catch (RuntimeException e) {
            deferred.restore(groupId, taken);
            throw e;
        }
    }

    // ---- operator view ------------------------------------------------------------------------

    /** Every group in the bucket, sorted by id. */
    public List<GroupListing> listGroups() {
        List<GroupListing> out = new ArrayList<>();
        String after = null;
        while (true) {
            List<ObjectStore.ObjectInfo> page = store.list(GroupKeys.PREFIX, after, 1000);
            for (ObjectStore.ObjectInfo info : page) {
                String g = GroupKeys.groupOf(info.key());
                if (g != null) {
                    read(g).ifPresent(d -> out.add(new GroupListing(d.groupId, d.protocolType, d.state)));
                }
            }
            if (page.size() < 1000) {
                break;
            }
            after = page.getLast().key();
        }
        out.sort(Comparator.comparing(GroupListing::groupId));
        return out;
    }

    /** A group with its members and their assignments; empty when it does not exist. */
    public Optional<GroupDescription> describe(String groupId) {
        GroupKeys.check(groupId);
        return read(groupId).map(d -> {
            List<MemberDescription> members = new ArrayList<>();
            for (GroupDoc.Member m : d.members.values()) {
                members.add(new MemberDescription(m.memberId, m.groupInstanceId, m.clientId, m.clientHost,
                        m.metadata(d.protocolName), m.assignment, m.topics, m.leaseExpiresAtMs));
            }
            return new GroupDescription(d.groupId, d.state, d.protocolType, d.protocolName, d.generation, d.leaderId,
                    List.copyOf(members));
        });
    }

    /** Deletes a group and its offsets (Kafka DeleteGroups). GROUP_NOT_EMPTY, UNKNOWN_GROUP. */
    public void deleteGroup(String groupId) {
        String key = GroupKeys.state(groupId);
        flushDeferred(groupId);
        // Delete only the version we saw empty: mark it DEAD by CAS first, so a join racing with the
        // delete either lands before (GROUP_NOT_EMPTY) or starts a new group after.
        update(groupId, false, doc -> {
            if (!doc.members.isEmpty()) {
                throw new FloeException(ErrorCode.GROUP_NOT_EMPTY, "Group '" + groupId + "' has "
                        + doc.members.size() + " member(s); only a group without members can be deleted.");
            }
            doc.state = GroupState.DEAD;
            return doc;
        });
        store.delete(key);
        cache.remove(groupId);
    }

    /**
     * Lag per partition of every topic the group has committed offsets for or is assigned:
     * end offset (from {@link LogEngine#offsets}) minus committed offset. UNKNOWN_GROUP.
     */
    public List<PartitionLag> lag(String groupId) {
        GroupDoc d = read(groupId).orElseThrow(() -> unknownGroup(groupId));
        Map<TopicPartition, String> owners = d.owners();
        Set<String> topics = new TreeSet<>(d.offsets.keySet());
        owners.keySet().forEach(tp -> topics.add(tp.topic()));
        Map<TopicPartition, CommittedOffset> committed = committed(groupId, null);
        List<PartitionLag> out = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionOffsets> offsets;
            try {
                offsets = log.offsets(topic);
            } catch (FloeException e) {
                if (e.code() == ErrorCode.UNKNOWN_TOPIC) {
                    continue;
                }
                throw e;
            }
            for (PartitionOffsets o : offsets) {
                TopicPartition tp = new TopicPartition(topic, o.partition());
                CommittedOffset c = committed.get(tp);
                long base = c == null ? o.logStartOffset() : Math.max(c.offset(), o.logStartOffset());
                String owner = owners.get(tp);
                GroupDoc.Member m = owner == null ? null : d.members.get(owner);
                out.add(new PartitionLag(tp, c == null ? -1 : c.offset(), o.logStartOffset(), o.endOffset(),
                        Math.max(0, o.endOffset() - base), owner, m == null ? null : m.clientId));
            }
        }
        return out;
    }

    // ---- lifecycle ----------------------------------------------------------------------------

    /**
     * One round of background work: complete waiting joins and syncs whose group changed (re-reading
     * the group objects they wait on), expire members of groups this instance serves, write due
     * deferred commits. The engine's own timer calls it every {@link GroupSettings#pollInterval()};
     * the simulation calls it by hand.
     */
    public void tick() {
        long now = clock.millis();
        for (String g : List.copyOf(waiters.keySet())) {
            Optional<GroupDoc> d = read(g);
            if (d.isEmpty()) {
                resolveWaiters(g, null);
                continue;
            }
            GroupDoc doc = d.get();
            boolean due = doc.state == GroupState.PREPARING_REBALANCE
                    && (now >= doc.rebalanceDeadlineMs || doc.members.values().stream().allMatch(m -> m.pendingJoin));
            if (due || Transitions.hasExpired(doc, now)) {
                update(g, false, x -> {
                    boolean changed = Transitions.expire(x, clock.millis(), partitionCounts(x));
                    changed |= Transitions.tryCompleteJoin(x, clock.millis());
                    return changed ? x : null;
                });
            }
        }
        for (String g : deferred.dueGroups(now - settings.commitInterval().toMillis())) {
            flushDeferred(g);
        }
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Group tick failed; will retry: " + e.getMessage());
        }
    }

    /** Number of group-object writes this instance made (for cost measurements). */
    public long writes() {
        return writes.get();
    }

    /** Writes deferred commits, fails waiting joins and syncs with REBALANCE_IN_PROGRESS, stops timers. */
    @Override
    public void close() {
        closed = true;
        if (timer != null) {
            timer.shutdownNow();
        }
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Writing deferred commits at shutdown failed: " + e.getMessage());
        }
        for (List<Waiter> ws : waiters.values()) {
            synchronized (ws) {
                ws.forEach(w -> w.fail(new FloeException(ErrorCode.REBALANCE_IN_PROGRESS, "Floe is shutting down; rejoin.")));
            }
        }
        waiters.clear();
    }

    // ---- reading and writing the group object --------------------------------------------------

    private Optional<GroupDoc> read(String groupId) {
        String key = GroupKeys.state(groupId);
        long now = clock.millis();
        Optional<ObjectStore.StoredObject> o = store.get(key);
        if (o.isEmpty()) {
            cache.remove(groupId);
            return Optional.empty();
        }
        cache.put(groupId, new Cached(o.get().content(), now));
        GroupDoc d = GroupFormat.decode(key, o.get().content());
        if (d.state == GroupState.DEAD) {
            return Optional.empty();
        }
        resolveWaiters(groupId, d);
        return Optional.of(d);
    }

    /** The cached copy if younger than {@link GroupSettings#stateMaxAge()}, else a fresh read. */
    private Optional<GroupDoc> readCached(String groupId) {
        Cached c = cache.get(groupId);
        if (c != null && clock.millis() - c.readAtMs() <= settings.stateMaxAge().toMillis()) {
            GroupDoc d = GroupFormat.decode(GroupKeys.state(groupId), c.bytes());
            return d.state == GroupState.DEAD ? Optional.empty() : Optional.of(d);
        }
        return read(groupId);
    }

    /**
     * Compare-and-swap of the group object. {@code mutate} gets a fresh copy (a new empty group when
     * absent and {@code create}; else UNKNOWN_GROUP) and returns it changed, or null for no change.
     * Every write also renews the leases of members whose calls reached this instance.
     */
    private GroupDoc update(String groupId, boolean create, Function<GroupDoc, GroupDoc> mutate) {
        String key = GroupKeys.state(groupId);
        String writer = settings.instanceId();
        var outcome = ConditionalUpdate.update(store, key, current -> {
            GroupDoc doc = current.map(b -> GroupFormat.decode(key, b)).orElse(null);
            if (doc != null && doc.state == GroupState.DEAD) {
                doc = null;
            }
            if (doc == null) {
                if (!create) {
                    throw unknownGroup(groupId);
                }
                doc = GroupDoc.empty(groupId);
            }
            // Members whose calls reached us are alive: renew them before anything expires anyone.
            renewLocal(groupId, doc);
            GroupDoc next = mutate.apply(doc);
            if (next == null) {
                return Optional.empty();
            }
            long now = clock.millis();
            next.writeId = writer + ":" + writes.incrementAndGet() + ":" + Long.toHexString(random.nextLong());
            next.updatedAtMs = now;
            return Optional.of(GroupFormat.encode(next));
        }, MAX_ATTEMPTS);
        byte[] bytes = switch (outcome) {
            case ConditionalUpdate.Outcome.Updated u -> u.content();
            case ConditionalUpdate.Outcome.Unchanged u -> u.current().map(ObjectStore.StoredObject::content).orElse(null);
            case ConditionalUpdate.Outcome.GaveUp g -> throw new FloeException(ErrorCode.CONCURRENT_UPDATE,
                    "Group '" + groupId + "' is being changed by many members at once; retry.");
        };
        if (bytes == null) {
            // Unchanged and absent: only reachable with create (mutate returned no change on an empty group).
            return GroupDoc.empty(groupId);
        }
        cache.put(groupId, new Cached(bytes, clock.millis()));
        GroupDoc d = GroupFormat.decode(key, bytes);
        resolveWaiters(groupId, d);
        return d;
    }

    private boolean renewLocal(String groupId, GroupDoc doc) {
        Map<String, Long> mine = local.get(groupId);
        boolean renewed = false;
        if (mine == null) {
            return false;
        }
        for (var e : mine.entrySet()) {
            GroupDoc.Member m = doc.members.get(e.getKey());
            if (m != null && e.getValue() + m.sessionTimeoutMs > m.leaseExpiresAtMs) {
                m.leaseExpiresAtMs = e.getValue() + m.sessionTimeoutMs;
                renewed = true;
            }
        }
        return renewed;
    }

    private boolean renewalDue(GroupDoc.Member m, long now) {
        return m != null && m.leaseExpiresAtMs - now < (long) (settings.renewFraction() * m.sessionTimeoutMs);
    }

    private void seen(String groupId, String memberId) {
        local.computeIfAbsent(groupId, g -> new ConcurrentHashMap<>()).put(memberId, clock.millis());
    }

    private void forget(String groupId, String memberId) {
        Map<String, Long> mine = local.get(groupId);
        if (mine != null && memberId != null) {
            mine.remove(memberId);
        }
    }

    /** Partition counts of the topics the group's managed members subscribe to (absent: deleted topic). */
    private Map<String, Integer> partitionCounts(GroupDoc doc) {
        Map<String, Integer> out = new HashMap<>();
        for (GroupDoc.Member m : doc.members.values()) {
            if (!m.isManaged()) {
                continue;
            }
            for (String t : m.topics) {
                if (!out.containsKey(t)) {
                    try {
                        out.put(t, log.topic(t).partitions());
                    } catch (FloeException e) {
                        if (e.code() != ErrorCode.UNKNOWN_TOPIC) {
                            throw e;
                        }
                    }
                }
            }
        }
        return out;
    }

    private ErrorCode topicError(TopicPartition tp) {
        try {
            var t = log.topic(tp.topic());
            return tp.partition() >= 0 && tp.partition() < t.partitions() ? null : ErrorCode.UNKNOWN_PARTITION;
        } catch (FloeException e) {
            if (e.code() == ErrorCode.UNKNOWN_TOPIC) {
                return ErrorCode.UNKNOWN_TOPIC;
            }
            throw e;
        }
    }

    private CommittedOffset pendingOrCommitted(GroupDoc d, TopicPartition tp) {
        CommittedOffset p = deferred.pending(d.groupId).get(tp);
        return p != null ? p : d.committed(tp);
    }

    private ManagedMember managed(GroupDoc d, String memberId) {
        GroupDoc.Member m = checkManaged(d, d.groupId, memberId);
        return new ManagedMember(d.groupId, memberId, d.generation, m.assignment.partitions(), m.topics,
                m.managed.assignor, m.managed.reset, m.managed.autoCommit, m.managed.properties,
                Map.copyOf(m.managed.positions), m.leaseExpiresAtMs);
    }

    private GroupDoc.Member checkManaged(GroupDoc d, String groupId, String memberId) {
        GroupDoc.Member m = d.members.get(memberId);
        if (m == null || !m.isManaged()) {
            throw unknownMember(groupId, memberId);
        }
        return m;
    }

    private static GroupDoc.Member checkMember(GroupDoc d, String memberId, String groupInstanceId) {
        GroupDoc.Member m = d.members.get(memberId);
        if (m == null) {
            if (groupInstanceId != null && byInstanceId(d, groupInstanceId) != null) {
                throw fencedInstance(groupInstanceId);
            }
            throw unknownMember(d.groupId, memberId);
        }
        if (groupInstanceId != null && m.groupInstanceId != null && !groupInstanceId.equals(m.groupInstanceId)) {
            throw fencedInstance(groupInstanceId);
        }
        return m;
    }

    private static GroupDoc.Member byInstanceId(GroupDoc d, String groupInstanceId) {
        if (groupInstanceId == null) {
            return null;
        }
        for (GroupDoc.Member m : d.members.values()) {
            if (groupInstanceId.equals(m.groupInstanceId)) {
                return m;
            }
        }
        return null;
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

    private static JoinResult joinResult(GroupDoc d, GroupDoc.Member m) {
        List<JoinResult.JoinedMember> members = new ArrayList<>();
        if (m.memberId.equals(d.leaderId)) {
            for (GroupDoc.Member each : d.members.values()) {
                members.add(new JoinResult.JoinedMember(each.memberId, each.groupInstanceId, each.metadata(d.protocolName)));
            }
        }
        return new JoinResult(d.generation, d.protocolType, d.protocolName, d.leaderId, m.memberId, false, members);
    }

    private void checkSessionTimeout(long ms) {
        if (ms < settings.minSessionTimeout().toMillis() || ms > settings.maxSessionTimeout().toMillis()) {
            throw new FloeException(ErrorCode.INVALID_SESSION_TIMEOUT, "Session timeout " + ms + " ms is outside "
                    + settings.minSessionTimeout().toMillis() + " to " + settings.maxSessionTimeout().toMillis() + " ms.");
        }
    }

    static FloeException unknownGroup(String groupId) {
        return new FloeException(ErrorCode.UNKNOWN_GROUP, "Consumer group '" + groupId + "' does not exist.");
    }

    static FloeException unknownMember(String groupId, String memberId) {
        return new FloeException(ErrorCode.UNKNOWN_MEMBER, "Consumer instance '" + memberId + "' is not in group '"
                + groupId + "' (it left, or its session timed out); create a new consumer instance and subscribe again.");
    }

    static FloeException illegalGeneration(String groupId, int generation, int current) {
        return new FloeException(ErrorCode.ILLEGAL_GENERATION, "Generation " + generation + " of group '" + groupId
                + "' is no longer current (now " + current + "); the member was fenced and must rejoin the group.");
    }

    static FloeException rebalancing(String groupId) {
        return new FloeException(ErrorCode.REBALANCE_IN_PROGRESS,
                "Group '" + groupId + "' is rebalancing; rejoin the group to get the new assignment.");
    }

    static FloeException notAssigned(String groupId, String memberId, TopicPartition tp) {
        return new FloeException(ErrorCode.NOT_ASSIGNED, "Partition " + tp + " is not assigned to consumer '" + memberId
                + "' in the current generation of group '" + groupId + "'; the group rebalanced: rejoin or read "
                + "the new assignment before committing.");
    }

    static FloeException fencedInstance(String groupInstanceId) {
        return new FloeException(ErrorCode.FENCED_INSTANCE_ID, "Group instance id '" + groupInstanceId
                + "' was taken over by a newer member; this one is fenced.");
    }

    // ---- waiting joins and syncs ------------------------------------------------------------------

    private void addWaiter(Waiter w) {
        List<Waiter> ws = waiters.computeIfAbsent(w.groupId(), g -> new ArrayList<>());
        synchronized (ws) {
            ws.add(w);
        }
    }

    /** Lets waiters of a group look at a new version of it (called after every read or write). */
    private void resolveWaiters(String groupId, GroupDoc d) {
        List<Waiter> ws = waiters.get(groupId);
        if (ws == null) {
            return;
        }
        long now = clock.millis();
        synchronized (ws) {
            ws.removeIf(w -> {
                if (d == null) {
                    w.fail(unknownGroup(groupId));
                    return true;
                }
                if (now > w.deadlineMs()) {
                    w.fail(rebalancing(groupId));
                    return true;
                }
                return w.tryResolve(d, now);
            });
            if (ws.isEmpty()) {
                waiters.remove(groupId, ws);
            }
        }
    }

    private sealed interface Waiter permits JoinWaiter, SyncWaiter {
        String groupId();

        long deadlineMs();

        /** Completes (or fails) the future if {@code d} answers it; true when done. */
        boolean tryResolve(GroupDoc d, long now);

        void fail(FloeException e);
    }

    private record JoinWaiter(String groupId, String memberId, int startGeneration, long deadlineMs,
                              CompletableFuture<JoinResult> future) implements Waiter {
        JoinWaiter(String groupId, String memberId, int startGeneration, long deadlineMs) {
            this(groupId, memberId, startGeneration, deadlineMs, new CompletableFuture<>());
        }

        @Override
        public boolean tryResolve(GroupDoc d, long now) {
            GroupDoc.Member m = d.members.get(memberId);
            if (m == null) {
                return fail0(unknownMember(groupId, memberId));
            }
            if (!m.pendingJoin && m.joinedGeneration > startGeneration && d.generation == m.joinedGeneration) {
                return future.complete(joinResult(d, m)) || true;
            }
            if (!m.pendingJoin && d.generation > startGeneration) {
                // Formed a generation without us (we were dropped and re-added?) — rejoin.
                return fail0(rebalancing(groupId));
            }
            return false;
        }

        private boolean fail0(FloeException e) {
            future.completeExceptionally(e);
            return true;
        }

        @Override
        public void fail(FloeException e) {
            future.completeExceptionally(e);
        }
    }

    private record SyncWaiter(String groupId, String memberId, int generation, long deadlineMs,
                              CompletableFuture<SyncResult> future) implements Waiter {
        SyncWaiter(String groupId, String memberId, int generation, long deadlineMs) {
            this(groupId, memberId, generation, deadlineMs, new CompletableFuture<>());
        }

        @Override
        public boolean tryResolve(GroupDoc d, long now) {
            GroupDoc.Member m = d.members.get(memberId);
            if (m == null) {
                future.completeExceptionally(unknownMember(groupId, memberId));
                return true;
            }
            if (d.generation != generation || d.state == GroupState.PREPARING_REBALANCE) {
                future.completeExceptionally(rebalancing(groupId));
                return true;
            }
            if (d.state == GroupState.STABLE) {
                future.complete(new SyncResult(d.protocolType, d.protocolName, m.assignment.bytes()));
                return true;
            }
            return false;
        }

        @Override
        public void fail(FloeException e) {
            future.completeExceptionally(e);
        }
    }
}
