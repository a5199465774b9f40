package io.floe.group;

import io.floe.model.TopicPartition;
import java.util.Map;
import java.util.Objects;

/**
 * Offsets a member commits (Kafka OffsetCommit, REST {@code POST …/offsets}).
 *
 * <p>Who may commit:
 * <ul>
 * <li>a member of the group's current generation ({@code generation} equal to it), for partitions
 *     no other member is assigned in that generation (else NOT_ASSIGNED; a managed member: only its
 *     own partitions). Partitions that belong to nobody are accepted, as Kafka does: a cooperative
 *     member commits those it gave up after the generation that took them from it formed. Also while
 *     the next rebalance is being prepared, as in Kafka (the generation changes only when it completes); between
 *     its join and its assignment (CompletingRebalance) a member gets REBALANCE_IN_PROGRESS;</li>
 * <li>with {@code generation == -1} and an empty {@code memberId}: anyone, but only while the group
 *     has no members (Kafka's "simple" consumers and offset-reset tools), else REBALANCE_IN_PROGRESS
 *     or ILLEGAL_GENERATION as Kafka answers;</li>
 * <li>with {@code generation == -1} and a member id: a Floe-managed member (REST) committing for its
 *     current assignment.</li>
 * </ul>
 * A member of an older generation is fenced: ILLEGAL_GENERATION (kind FENCED), and must rejoin.
 *
 * @param durability whether the call returns after the offsets are in the bucket
 */
public record OffsetCommit(
        String groupId,
        String memberId,
        String groupInstanceId,
        int generation,
        Map<TopicPartition, CommittedOffset> offsets,
        Durability durability) {
    public OffsetCommit {
        Objects.requireNonNull(groupId, "groupId");
        memberId = memberId == null ? "" : memberId;
        offsets = Map.copyOf(offsets);
        durability = durability == null ? Durability.SYNC : durability;
    }

    /** When a commit is written to the bucket. */
    public enum Durability {
        /**
         * Written before the call returns. A member's commit (a member id and a generation or member
         * epoch) is one compare-and-swap of the member's own offsets object (D87), the commits of one
         * member that queue meanwhile sharing it; any other (admin resets, simple consumers, REST members)
         * one of the group object, shared by the commits of the group that queue meanwhile (D67).
         */
        SYNC,
        /**
         * Buffered on this instance and written with the group's next write, at the latest after
         * {@link GroupSettings#commitInterval()} (and before any membership change of the member).
         * A crash loses at most that interval of commits: those records are read again
         * (at-least-once). Used by REST auto-commit.
         */
        DEFERRED
    }
}
