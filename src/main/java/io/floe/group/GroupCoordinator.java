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

    public GroupCoordinator(ObjectStore store, LogEngine log, Clock clock, RandomGenerator random,
                            GroupSettings settings) {
        throw new UnsupportedOperationException("not yet");
    }

    /** A fresh member id for a client ({@code clientId-uuid}), for KIP-394's MEMBER_ID_REQUIRED round trip. */
    public String newMemberId(String clientId) {
        throw new UnsupportedOperationException("not yet");
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
    public CompletableFuture<JoinResult> join(JoinRequest request) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Delivers a member's assignment for a generation. The leader's request stores every member's
     * assignment (members it leaves out get an empty one) and makes the group stable; a follower's
     * completes when the leader's has arrived. Errors: UNKNOWN_MEMBER, ILLEGAL_GENERATION,
     * REBALANCE_IN_PROGRESS (a new rebalance started), INCONSISTENT_GROUP_PROTOCOL,
     * FENCED_INSTANCE_ID.
     */
    public CompletableFuture<SyncResult> sync(SyncRequest request) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Records that a member is alive. Writes its lease only when it is due for renewal. Throws
     * REBALANCE_IN_PROGRESS when the member must rejoin, ILLEGAL_GENERATION, UNKNOWN_MEMBER,
     * FENCED_INSTANCE_ID, UNKNOWN_GROUP. During CompletingRebalance a member of the new generation
     * gets no error (Kafka's behaviour).
     */
    public void heartbeat(String groupId, String memberId, String groupInstanceId, int generation) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Removes members (Kafka LeaveGroup; v3+ names several, static ones by instance id) and starts a
     * rebalance for the rest. Their deferred commits are written first. One outcome per member
     * (UNKNOWN_MEMBER, FENCED_INSTANCE_ID); UNKNOWN_GROUP if the group does not exist.
     */
    public List<LeaveOutcome> leave(String groupId, List<MemberIdentity> members) {
        throw new UnsupportedOperationException("not yet");
    }

    // ---- Floe-managed (REST) ------------------------------------------------------------------

    /** Creates a managed member (REST consumer instance); MEMBER_EXISTS if the name is taken. */
    public ManagedMember createMember(String groupId, ManagedMemberSpec spec) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Sets the member's subscription (replacing the previous one) and rebalances the group with the
     * member's assignor. Errors: UNKNOWN_MEMBER, UNKNOWN_TOPIC.
     */
    public ManagedMember subscribe(String groupId, String memberId, Collection<String> topics) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Clears the member's subscription and rebalances. UNKNOWN_MEMBER. */
    public ManagedMember unsubscribe(String groupId, String memberId) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * The member's current view, as a heartbeat: renews its lease when due, removes expired members
     * of the group (rebalancing if any), and returns the assignment of the current generation.
     * UNKNOWN_MEMBER when it left or expired.
     */
    public ManagedMember member(String groupId, String memberId) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Where the member reads each assigned partition next: its explicit position, else the committed
     * offset, else {@link ManagedMember#reset()} against the log (NO_OFFSET for {@code none}). A
     * position outside the log is reset the same way.
     */
    public Map<TopicPartition, Long> fetchPositions(ManagedMember member) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Moves the member's positions (seek, or after a read returned records). Partitions must be
     * assigned to the member in {@code generation} (or the current one when -1): NOT_ASSIGNED, else
     * ILLEGAL_GENERATION. With {@code commit} the same offsets are committed in the same write
     * (auto-commit), so a read costs at most one write.
     */
    public ManagedMember seek(String groupId, String memberId, int generation, Map<TopicPartition, Long> positions,
                              boolean commit) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Removes a managed member (REST {@code DELETE …/instances/{name}}) and rebalances. UNKNOWN_MEMBER. */
    public void removeMember(String groupId, String memberId) {
        throw new UnsupportedOperationException("not yet");
    }

    // ---- offsets ------------------------------------------------------------------------------

    /**
     * Commits offsets (see {@link OffsetCommit} for who may). Group-level refusals throw
     * (ILLEGAL_GENERATION, UNKNOWN_MEMBER, REBALANCE_IN_PROGRESS, FENCED_INSTANCE_ID); per-partition
     * ones (UNKNOWN_TOPIC, UNKNOWN_PARTITION, NOT_ASSIGNED) are returned, the others committed.
     *
     * @return the partitions that were not committed, with why; empty when all were
     */
    public Map<TopicPartition, ErrorCode> commit(OffsetCommit commit) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Committed offsets of a group (Kafka OffsetFetch): of {@code partitions}, or of all partitions
     * when null. Partitions without one are absent. A group that does not exist has none.
     * Includes this instance's deferred commits not yet written.
     */
    public Map<TopicPartition, CommittedOffset> committed(String groupId, Collection<TopicPartition> partitions) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Deletes committed offsets (Kafka OffsetDelete). Per partition: GROUP_SUBSCRIBED_TO_TOPIC when
     * the group is not empty and a member subscribes to (or is assigned) the topic. UNKNOWN_GROUP.
     *
     * @return partitions whose offsets were kept, with why
     */
    public Map<TopicPartition, ErrorCode> deleteOffsets(String groupId, Collection<TopicPartition> partitions) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Writes this instance's deferred commits now (shutdown, Lambda before responding, tests). */
    public void flush() {
        throw new UnsupportedOperationException("not yet");
    }

    // ---- operator view ------------------------------------------------------------------------

    /** Every group in the bucket, sorted by id. */
    public List<GroupListing> listGroups() {
        throw new UnsupportedOperationException("not yet");
    }

    /** A group with its members and their assignments; empty when it does not exist. */
    public Optional<GroupDescription> describe(String groupId) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Deletes a group and its offsets (Kafka DeleteGroups). GROUP_NOT_EMPTY, UNKNOWN_GROUP. */
    public void deleteGroup(String groupId) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Lag per partition of every topic the group has committed offsets for or is assigned:
     * end offset (from {@link LogEngine#offsets}) minus committed offset. UNKNOWN_GROUP.
     */
    public List<PartitionLag> lag(String groupId) {
        throw new UnsupportedOperationException("not yet");
    }

    // ---- lifecycle ----------------------------------------------------------------------------

    /**
     * One round of background work: complete waiting joins and syncs whose group changed (re-reading
     * the group objects they wait on), expire members of groups this instance serves, write due
     * deferred commits. The engine's own timer calls it every {@link GroupSettings#pollInterval()};
     * the simulation calls it by hand.
     */
    public void tick() {
        throw new UnsupportedOperationException("not yet");
    }

    /** Writes deferred commits, fails waiting joins and syncs with REBALANCE_IN_PROGRESS, stops timers. */
    @Override
    public void close() {
    }
}
