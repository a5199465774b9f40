package io.floe.group;

import io.floe.model.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The decoded group object ({@code groups/{group}/state}, see {@link GroupFormat}): membership,
 * generation, assignment and committed offsets of one group. A mutable working copy: each
 * compare-and-swap attempt decodes a fresh one from the bytes it read, changes it, and encodes it,
 * so nothing is shared between threads.
 */
final class GroupDoc {

    String groupId;
    /** "" when no member ever joined (offsets only), "consumer" for Kafka, "floe" for managed. */
    String protocolType = "";
    /** Chosen protocol (classic) or assignor (managed). */
    String protocolName = "";
    int generation;
    GroupState state = GroupState.EMPTY;
    String leaderId = "";
    /** Classic: when a PreparingRebalance gives up on members that did not rejoin. */
    long rebalanceDeadlineMs;
    /** Sorted by member id (deterministic encoding and leader choice). */
    final TreeMap<String, Member> members = new TreeMap<>();
    final TreeMap<String, TreeMap<Integer, CommittedOffset>> offsets = new TreeMap<>();
    /** The stamp of each offset in {@link #offsets} ({@link OffsetStamp#NONE} when absent: written before stamps). */
    final TreeMap<TopicPartition, OffsetStamp> stamps = new TreeMap<>(GroupDoc::compare);
    /** Offsets deleted (OffsetDelete): their stamp hides older member commits of the partition (D88). */
    final TreeMap<TopicPartition, OffsetStamp> deleted = new TreeMap<>(GroupDoc::compare);
    /** Counts the writes of this group object: each write stores the version it read plus one (0: never counted). */
    long version;
    /**
     * Names this life of the group: chosen at random when the object is created (or first written after
     * stamps existed); member offsets objects of another incarnation (a deleted group's) are ignored.
     */
    String incarnation = "";
    /**
     * The group protocol: {@link #CLASSIC} (JoinGroup/SyncGroup, and REST) or {@link #CONSUMER}
     * (KIP-848 ConsumerGroupHeartbeat). For consumer groups {@link #generation} is the group epoch.
     */
    String type = CLASSIC;
    /** Consumer groups: the group epoch the target assignment ({@link Consumer#target}) was computed at. */
    int assignmentEpoch;
    /** Consumer groups: the partition count of each subscribed topic when the target was computed. */
    TreeMap<String, Integer> subscribedPartitions = new TreeMap<>();
    /** Unique to the write (instance id and a sequence): see ConditionalUpdate's writer-unique rule. */
    String writeId = "";
    long updatedAtMs;

    static final String CLASSIC = "classic";
    static final String CONSUMER = "consumer";

    /** Whether this is a consumer-protocol (KIP-848) group. */
    boolean isConsumerGroup() {
        return CONSUMER.equals(type);
    }

    static GroupDoc empty(String groupId) {
        GroupDoc d = new GroupDoc();
        d.groupId = groupId;
        return d;
    }

    /** One member. Classic members have {@code managed == null}. */
    static final class Member {
        String memberId;
        String groupInstanceId;
        String clientId = "";
        String clientHost = "";
        long sessionTimeoutMs;
        long rebalanceTimeoutMs;
        List<Protocol> protocols = new ArrayList<>();
        Set<String> topics = Set.of();
        long leaseExpiresAtMs;
        /** Classic: rejoined during the current PreparingRebalance. */
        boolean pendingJoin;
        /** Classic: the generation this member was last admitted to. */
        int joinedGeneration = -1;
        MemberAssignment assignment = MemberAssignment.EMPTY;
        Managed managed;
        /** Consumer-protocol (KIP-848) members only; their owned partitions are {@link #assignment}'s. */
        Consumer consumer;

        boolean isManaged() {
            return managed != null;
        }

        byte[] metadata(String protocol) {
            for (Protocol p : protocols) {
                if (p.name().equals(protocol)) {
                    return p.metadata();
                }
            }
            return new byte[0];
        }
    }

    /** What a Floe-managed (REST) member keeps besides its membership. */
    static final class Managed {
        String assignor = "range";
        OffsetReset reset = OffsetReset.LATEST;
        boolean autoCommit = true;
        Map<String, String> properties = Map.of();
        TreeMap<TopicPartition, Long> positions = new TreeMap<>(GroupDoc::compare);
    }

    /**
     * What a consumer-protocol (KIP-848) member keeps besides its membership: its epochs, where it is
     * in its reconciliation ({@link Reconciliation}), and its target. Its current partitions are the
     * member's {@link Member#assignment}, so commits, lag and DescribeGroups read them as for any member.
     */
    static final class Consumer {
        int epoch;
        int previousEpoch = -1;
        Reconciliation.Phase phase = Reconciliation.Phase.STABLE;
        List<TopicPartition> pendingRevocation = new ArrayList<>();
        List<TopicPartition> target = new ArrayList<>();
        /** KIP-1251: the member epoch at which it got each partition it holds (assigned or pending revocation). */
        TreeMap<TopicPartition, Integer> assignedAt = new TreeMap<>(GroupDoc::compare);
        /** The member's subscription by regular expression (RE2/J), or null; its topics are then its matches. */
        String topicRegex;
        /** The server assignor the member asked for (null: no preference). */
        String assignor;
        String rackId;
        /** A member that has not revoked by then is removed (its rebalance timeout); 0 when none is due. */
        long revokeDeadlineMs;

        Reconciliation.State state(List<TopicPartition> assigned) {
            return new Reconciliation.State(epoch, phase, Set.copyOf(assigned), Set.copyOf(pendingRevocation));
        }
    }

    static int compare(TopicPartition a, TopicPartition b) {
        int c = a.topic().compareTo(b.topic());
        return c != 0 ? c : Integer.compare(a.partition(), b.partition());
    }

    CommittedOffset committed(TopicPartition tp) {
        var byPartition = offsets.get(tp.topic());
        return byPartition == null ? null : byPartition.get(tp.partition());
    }

    /** Sets an offset in this write: stamped with the version the write creates (see {@link OffsetStamp}). */
    void putOffset(TopicPartition tp, CommittedOffset o) {
        putOffset(tp, o, OffsetStamp.direct(version + 1));
    }

    /** Sets an offset with the stamp it was committed under (decoding, folding a member's commits). */
    void putOffset(TopicPartition tp, CommittedOffset o, OffsetStamp stamp) {
        offsets.computeIfAbsent(tp.topic(), t -> new TreeMap<>()).put(tp.partition(), o);
        stamps.put(tp, stamp);
        deleted.remove(tp);
    }

    /** The stamp of the partition's offset, or of its deletion; {@link OffsetStamp#NONE} when neither. */
    OffsetStamp stamp(TopicPartition tp) {
        OffsetStamp s = stamps.get(tp);
        if (s == null) {
            s = deleted.get(tp);
        }
        return s == null ? OffsetStamp.NONE : s;
    }

    /** Deletes an offset in this write, leaving a tombstone that older member commits cannot pass. */
    void removeOffset(TopicPartition tp) {
        var byPartition = offsets.get(tp.topic());
        if (byPartition != null) {
            byPartition.remove(tp.partition());
            if (byPartition.isEmpty()) {
                offsets.remove(tp.topic());
            }
        }
        stamps.remove(tp);
        deleted.put(tp, OffsetStamp.direct(version + 1));
    }

    /** Which live member holds a partition in the current generation (decoded assignments only). */
    Map<TopicPartition, String> owners() {
        Map<TopicPartition, String> out = new TreeMap<>(GroupDoc::compare);
        for (Member m : members.values()) {
            for (TopicPartition tp : m.assignment.partitions()) {
                out.put(tp, m.memberId);
            }
        }
        return out;
    }
}
