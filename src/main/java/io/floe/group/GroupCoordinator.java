package io.floe.group;

import io.floe.log.LogEngine;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.TopicPartition;
import io.floe.store.ObjectStore;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * this instance renews the leases of the members heartbeating through it. Offsets: synchronous commits
 * of a group that queue behind a write in flight on this instance share the next write (group commit,
 * with this instance's deferred commits of the group), and a write starts from this instance's last
 * version of the group object (one conditional PUT, no GET, unless another instance wrote since).
 *
 * <p>Errors are {@link FloeException}s with the group codes of {@link ErrorCode} (UNKNOWN_MEMBER,
 * ILLEGAL_GENERATION, REBALANCE_IN_PROGRESS, NOT_ASSIGNED, …); futures complete exceptionally
 * with them. Thread-safe: the bucket is the truth, local maps hold caches and waiters only.
 *
 * <p>This class is the facade; the work is done by package-private parts: {@link GroupObjects}
 * (reading and writing group objects), {@link ClassicProtocol}, {@link ManagedMembers},
 * {@link Offsets} and {@link OperatorView}, with {@link Waiters} for pending joins and syncs.
 */
public final class GroupCoordinator implements AutoCloseable {

    /** Protocol type of Floe-managed (REST) groups. */
    public static final String MANAGED_PROTOCOL_TYPE = "floe";

    /** The assignors the managed model runs, and the names Kafka clients use for the same strategies. */
    public static final Set<String> ASSIGNORS = Set.of("range", "roundrobin", "sticky");

    private static final System.Logger LOG = System.getLogger(GroupCoordinator.class.getName());

    private final Clock clock;
    private final GroupSettings settings;
    private final Waiters waiters;
    private final GroupObjects objects;
    private final Offsets offsets;
    private final ClassicProtocol classic;
    private final ManagedMembers managed;
    private final OperatorView operator;
    private final ConsumerGroups consumerGroups;
    private final ScheduledExecutorService timer;

    public GroupCoordinator(ObjectStore store, LogEngine log, Clock clock, RandomGenerator random,
                            GroupSettings settings) {
        this.clock = clock;
        this.settings = settings;
        Topics topics = new Topics(log);
        this.waiters = new Waiters(clock);
        this.objects = new GroupObjects(store, log.retry(), clock, random, settings, waiters);
        this.offsets = new Offsets(objects, new MemberOffsetObjects(store, log.retry(), random,
                settings.instanceId(), log::readAll), topics, clock);
        this.classic = new ClassicProtocol(objects, waiters, offsets, topics, clock, random, settings);
        this.managed = new ManagedMembers(objects, offsets, topics, log, clock, settings);
        this.operator = new OperatorView(store, objects, offsets, log);
        this.consumerGroups = new ConsumerGroups(objects, offsets, topics, clock, settings);
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
        return classic.newMemberId(clientId);
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
        return classic.join(r);
    }

    /**
     * Delivers a member's assignment for a generation. The leader's request stores every member's
     * assignment (members it leaves out get an empty one) and makes the group stable; a follower's
     * completes when the leader's has arrived. Errors: UNKNOWN_MEMBER, ILLEGAL_GENERATION,
     * REBALANCE_IN_PROGRESS (a new rebalance started), INCONSISTENT_GROUP_PROTOCOL,
     * FENCED_INSTANCE_ID.
     */
    public CompletableFuture<SyncResult> sync(SyncRequest r) {
        return classic.sync(r);
    }

    /**
     * Records that a member is alive. Writes its lease only when it is due for renewal. Throws
     * REBALANCE_IN_PROGRESS when the member must rejoin, ILLEGAL_GENERATION, UNKNOWN_MEMBER,
     * FENCED_INSTANCE_ID, UNKNOWN_GROUP. During CompletingRebalance a member of the new generation
     * gets no error (Kafka's behaviour).
     */
    public void heartbeat(String groupId, String memberId, String groupInstanceId, int generation) {
        classic.heartbeat(groupId, memberId, groupInstanceId, generation);
    }

    /**
     * Removes members (Kafka LeaveGroup; v3+ names several, static ones by instance id) and starts a
     * rebalance for the rest. Their deferred commits are written first. One outcome per member
     * (UNKNOWN_MEMBER, FENCED_INSTANCE_ID); UNKNOWN_GROUP if the group does not exist.
     */
    public List<LeaveOutcome> leave(String groupId, List<MemberIdentity> members) {
        return classic.leave(groupId, members);
    }

    // ---- consumer group protocol (KIP-848) ------------------------------------------------------

    /**
     * A ConsumerGroupHeartbeat: joins (epoch 0), leaves (-1; -2 for a static member that comes back),
     * or heartbeats, and answers the member's epoch and, when it changed or was asked for, the
     * partitions it may consume. The group epoch, the server-side target assignment ({@code uniform}
     * or {@code range}) and the member's reconciliation (revoke before assign) are described on
     * {@link ConsumerTransitions}. Members are removed when their session (the engine's default session
     * timeout) runs out or when they keep revoked partitions past their rebalance timeout.
     *
     * <p>Errors: GROUP_ID_NOT_FOUND (UNKNOWN_GROUP) for a classic group with members or an unknown one,
     * UNKNOWN_MEMBER, FENCED_MEMBER_EPOCH, FENCED_INSTANCE_ID, UNRELEASED_INSTANCE_ID,
     * UNSUPPORTED_ASSIGNOR, INVALID_REQUEST (no subscription on join).
     */
    public ConsumerHeartbeatResult consumerHeartbeat(ConsumerHeartbeat r) {
        return consumerGroups.heartbeat(r);
    }

    /** A consumer-protocol group (ConsumerGroupDescribe); empty when it does not exist or is a classic group. */
    /**
     * Who may fetch a consumer group's offsets (Kafka 4.3's ConsumerGroup#validateOffsetFetch): anyone
     * without a member id and with a negative epoch (admin tools, clients that send neither); else a
     * member of the group (UNKNOWN_MEMBER) at its current member epoch (STALE_MEMBER_EPOCH). Classic and
     * unknown groups: anyone, as before. Decided on this instance's copy, and on a fresh read if that refuses.
     */
    public void checkOffsetFetch(String groupId, String memberId, int memberEpoch) {
        consumerGroups.checkOffsetFetch(groupId, memberId, memberEpoch);
    }


    public Optional<ConsumerGroupDescription> describeConsumerGroup(String groupId) {
        return consumerGroups.describe(groupId);
    }

    // ---- Floe-managed (REST) ------------------------------------------------------------------

    /** Creates a managed member (REST consumer instance); MEMBER_EXISTS if the name is taken. */
    public ManagedMember createMember(String groupId, ManagedMemberSpec spec) {
        return managed.createMember(groupId, spec);
    }

    /**
     * Sets the member's subscription (replacing the previous one) and rebalances the group with the
     * member's assignor. Errors: UNKNOWN_MEMBER, UNKNOWN_TOPIC.
     */
    public ManagedMember subscribe(String groupId, String memberId, Collection<String> topics) {
        return managed.subscribe(groupId, memberId, topics);
    }

    /** Clears the member's subscription and rebalances. UNKNOWN_MEMBER. */
    public ManagedMember unsubscribe(String groupId, String memberId) {
        return managed.unsubscribe(groupId, memberId);
    }

    /**
     * The member's current view, as a heartbeat: renews its lease when due, removes expired members
     * of the group (rebalancing if any), and returns the assignment of the current generation.
     * UNKNOWN_MEMBER when it left or expired.
     */
    public ManagedMember member(String groupId, String memberId) {
        return managed.member(groupId, memberId);
    }

    /**
     * Where the member reads each assigned partition next: its explicit position, else the committed
     * offset, else {@link ManagedMember#reset()} against the log (NO_OFFSET for {@code none}). A
     * position outside the log is reset the same way.
     */
    public Map<TopicPartition, Long> fetchPositions(ManagedMember member) {
        return managed.fetchPositions(member);
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
        return managed.seek(groupId, memberId, generation, positions, commit);
    }

    /** Removes a managed member (REST {@code DELETE …/instances/{name}}) and rebalances. UNKNOWN_MEMBER. */
    public void removeMember(String groupId, String memberId) {
        managed.removeMember(groupId, memberId);
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
        return offsets.commit(c);
    }

    /**
     * Committed offsets of a group (Kafka OffsetFetch): of {@code partitions}, or of all partitions
     * when null. Partitions without one are absent. A group that does not exist has none.
     * Merges the group object with its members' offsets objects (D88) and includes this instance's
     * deferred commits not yet written.
     */
    public Map<TopicPartition, CommittedOffset> committed(String groupId, Collection<TopicPartition> partitions) {
        return offsets.committed(groupId, partitions);
    }

    /**
     * Deletes committed offsets (Kafka OffsetDelete). Per partition: GROUP_SUBSCRIBED_TO_TOPIC when
     * the group is not empty and a member subscribes to (or is assigned) the topic. UNKNOWN_GROUP.
     *
     * @return partitions whose offsets were kept, with why
     */
    public Map<TopicPartition, ErrorCode> deleteOffsets(String groupId, Collection<TopicPartition> partitions) {
        return offsets.deleteOffsets(groupId, partitions);
    }

    /**
     * Checks a transactional offset commit (Kafka TxnOffsetCommit) against the group without writing:
     * with a member id or a generation (KIP-447), the member must be in the group's current generation,
     * as for {@link #commit}; without (TxnOffsetCommit v0-v2), anyone may. Group-level refusals throw;
     * per-partition ones (unknown topic or partition, NOT_ASSIGNED) are returned.
     */
    public Map<TopicPartition, ErrorCode> checkTransactional(OffsetCommit c) {
        return offsets.checkTransactional(c);
    }

    /**
     * Makes a committed transaction's offsets the group's committed offsets (creating the group if
     * needed), in one write; nothing is written when they already are (the same transaction applied
     * again after a crash). No member check: that was done when the offsets joined the transaction.
     */
    public void commitTransactional(String groupId, Map<TopicPartition, CommittedOffset> committed) {
        offsets.commitTransactional(groupId, committed);
    }

    /**
     * Writes this instance's deferred commits now (shutdown, Lambda before responding, tests).
     * Commits that could not be written for a retryable reason stay pending (the next flush or
     * tick writes them) and this throws STORE_UNAVAILABLE naming their groups: a caller that must not
     * go on as if they were durable (a Lambda invocation about to be frozen) fails instead.
     */
    public void flush() {
        List<String> pending = offsets.flush();
        if (!pending.isEmpty()) {
            throw new FloeException(ErrorCode.STORE_UNAVAILABLE, "Deferred offset commits of group(s) " + pending
                    + " could not be written to the bucket; they are pending and will be retried.");
        }
    }

    // ---- operator view ------------------------------------------------------------------------

    /** Every group in the bucket, sorted by id. */
    public List<GroupListing> listGroups() {
        return operator.listGroups();
    }

    /** The id of every group in the bucket (one LIST per thousand, no group read), sorted. */
    public List<String> groupIds() {
        return operator.groupIds().stream().sorted().toList();
    }

    /** A group with its members and their assignments; empty when it does not exist. */
    public Optional<GroupDescription> describe(String groupId) {
        return operator.describe(groupId);
    }

    /** Tells {@code listener} of rebalances from now on (one listener; null for none). */
    public void listen(GroupEvents listener) {
        objects.listen(listener);
    }

    /** Deletes a group and its offsets (Kafka DeleteGroups). GROUP_NOT_EMPTY, UNKNOWN_GROUP. */
    public void deleteGroup(String groupId) {
        operator.deleteGroup(groupId);
    }

    /**
     * Lag per partition of every topic the group has committed offsets for or is assigned:
     * end offset (from {@link LogEngine#offsets}) minus committed offset. UNKNOWN_GROUP.
     */
    public List<PartitionLag> lag(String groupId) {
        return operator.lag(groupId);
    }

    // ---- lifecycle ----------------------------------------------------------------------------

    /**
     * One round of background work: complete waiting joins and syncs whose group changed (re-reading
     * the group objects they wait on), expire members of groups this instance serves, write due
     * deferred commits, fold the member offsets objects of groups that lost members in this instance's
     * writes (D89). The engine's own timer calls it every {@link GroupSettings#pollInterval()};
     * the simulation calls it by hand.
     */
    public void tick() {
        long now = clock.millis();
        classic.completeWaiting(now);
        offsets.flushDue(now - settings.commitInterval().toMillis());
        offsets.foldDepartures();
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
        return objects.writes();
    }

    /** Writes deferred commits, fails waiting joins and syncs with REBALANCE_IN_PROGRESS, stops timers. */
    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Writing deferred commits at shutdown failed: " + e.getMessage());
        }
        waiters.failAll(() -> new FloeException(ErrorCode.REBALANCE_IN_PROGRESS, "Floe is shutting down; rejoin."));
    }
}
