package io.floe.group;

import io.floe.model.TopicPartition;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * How a member of a consumer-protocol group (KIP-848) moves towards its target assignment, one
 * heartbeat at a time: a pure function, after Kafka's {@code CurrentAssignmentBuilder}. Stateless.
 *
 * <p>The rule that makes it safe: <b>revoke before assign</b>. A member first gives up the partitions
 * that left its target (it keeps its epoch, in {@link Phase#UNREVOKED_PARTITIONS}, until a heartbeat
 * reports it no longer owns them); only then does it move to the target epoch. A partition of its
 * target is handed to it only when no other member still holds it (assigned or pending revocation);
 * until then it waits in {@link Phase#UNRELEASED_PARTITIONS}. So no partition is ever held by two
 * members at once.
 */
final class Reconciliation {

    private Reconciliation() {
    }

    /** Where a member is in its reconciliation (Kafka's MemberState). */
    enum Phase {
        /** Its assignment is its target at the target epoch (or nothing is left to do but wait for a new target). */
        STABLE,
        /** It must give up {@link State#pendingRevocation()}; it keeps its epoch until it reports having done so. */
        UNREVOKED_PARTITIONS,
        /** It is at the target epoch but some of its target partitions are still held by others. */
        UNRELEASED_PARTITIONS
    }

    /**
     * A member's reconciliation state.
     *
     * @param epoch             the member epoch
     * @param phase             see {@link Phase}
     * @param assigned          partitions it may consume now
     * @param pendingRevocation partitions it must give up (still its own until it reports so)
     */
    record State(int epoch, Phase phase, Set<TopicPartition> assigned, Set<TopicPartition> pendingRevocation) {
        State {
            assigned = sorted(assigned);
            pendingRevocation = sorted(pendingRevocation);
        }

        /** Everything the member may still be consuming: assigned and pending revocation. */
        Set<TopicPartition> held() {
            Set<TopicPartition> out = sorted(assigned);
            out.addAll(pendingRevocation);
            return out;
        }
    }

    /**
     * The member's next state.
     *
     * @param current     its state now
     * @param targetEpoch the epoch of the group's target assignment
     * @param target      its partitions in the target assignment
     * @param heldByOther whether another member still holds a partition (assigned or pending revocation)
     * @param owned       the partitions its heartbeat reports owning, or null when it did not say
     *                    (null keeps a pending revocation pending)
     */
    static State next(State current, int targetEpoch, Set<TopicPartition> target, Predicate<TopicPartition> heldByOther,
                      Collection<TopicPartition> owned) {
        return switch (current.phase()) {
            case STABLE -> current.epoch() == targetEpoch ? current
                    : compute(current.epoch(), current.assigned(), targetEpoch, target, heldByOther, owned);
            case UNREVOKED_PARTITIONS -> ownsAny(owned, current.pendingRevocation()) ? current
                    : compute(current.epoch(), current.assigned(), targetEpoch, target, heldByOther, owned);
            case UNRELEASED_PARTITIONS -> compute(current.epoch(), current.assigned(), targetEpoch, target, heldByOther, owned);
        };
    }

    private static State compute(int epoch, Set<TopicPartition> assigned, int targetEpoch, Set<TopicPartition> target,
                                 Predicate<TopicPartition> heldByOther, Collection<TopicPartition> owned) {
        Set<TopicPartition> keep = sorted(assigned);
        keep.retainAll(target);
        Set<TopicPartition> revoke = sorted(assigned);
        revoke.removeAll(keep);
        Set<TopicPartition> add = sorted(target);
        add.removeAll(keep);
        boolean unreleased = add.removeIf(heldByOther);
        if (!revoke.isEmpty() && ownsAny(owned, revoke)) {
            return new State(epoch, Phase.UNREVOKED_PARTITIONS, keep, revoke);
        }
        keep.addAll(add);
        return new State(targetEpoch, unreleased ? Phase.UNRELEASED_PARTITIONS : Phase.STABLE, keep, Set.of());
    }

    /** Whether {@code owned} (null: unknown, so assume yes) contains any of {@code partitions}. */
    private static boolean ownsAny(Collection<TopicPartition> owned, Set<TopicPartition> partitions) {
        if (owned == null) {
            return true;
        }
        for (TopicPartition tp : owned) {
            if (partitions.contains(tp)) {
                return true;
            }
        }
        return false;
    }

    static Set<TopicPartition> sorted(Collection<TopicPartition> partitions) {
        Set<TopicPartition> out = new TreeSet<>(GroupDoc::compare);
        out.addAll(partitions);
        return out;
    }
}
