package io.floe.share;

import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The membership rules of a share group as pure functions of its object: join, heartbeat, leave,
 * expiry, and the simple assignor (every member gets every partition of the topics it subscribes to,
 * Kafka's SimpleAssignor; share groups need no exclusive ownership, the share-partitions hand records
 * out one member at a time). Epochs follow KIP-848/932: the group epoch goes up at every change; a
 * member's epoch becomes the group epoch when its assignment changes; a heartbeat carrying another
 * epoch is FENCED_MEMBER_EPOCH, one from a member the group does not know UNKNOWN_MEMBER.
 *
 * <p>Stateless; the caller supplies the topics (metadata and offsets) and writes the result.
 */
final class ShareMembership {

    /** What the rules need to know about topics. */
    interface Topics {
        /** The topic's id and partition count; empty when it does not exist. */
        Optional<TopicInfo> topic(String name);

        /** Where a new share-partition starts by {@code share.auto.offset.reset} ({@code latest}: the end of the log). */
        long initialStart(String topic, int partition, String reset);
    }

    record TopicInfo(String id, int partitions) {
    }

    /** The next object (null: no write needed) and the answer. */
    record Step(ShareGroupDoc next, ShareHeartbeatResult result) {
    }

    private ShareMembership() {
    }

    static Step heartbeat(ShareGroupDoc doc, ShareHeartbeat hb, long nowMs, int sessionTimeoutMs, int heartbeatIntervalMs,
                          double renewFraction, Topics topics) {
        if (hb.memberId() == null || hb.memberId().isEmpty()) {
            throw new FloeException(ErrorCode.INVALID_REQUEST, "A share group member must send its member id.");
        }
        Map<String, ShareMember> members = new TreeMap<>(doc.members());
        boolean changed = expire(members, nowMs);
        int epoch = doc.groupEpoch() + (changed ? 1 : 0);
        ShareMember m = members.get(hb.memberId());
        if (hb.memberEpoch() == ShareHeartbeat.LEAVE) {
            if (m != null) {
                members.remove(hb.memberId());
                changed = true;
                epoch = doc.groupEpoch() + 1;
            }
            ShareGroupDoc next = changed ? doc.with(epoch, members, doc.starts()) : null;
            return new Step(next, new ShareHeartbeatResult(hb.memberId(), ShareHeartbeat.LEAVE, heartbeatIntervalMs, null));
        }
        List<String> subscribed;
        if (hb.memberEpoch() == ShareHeartbeat.JOIN) {
            if (hb.topics() == null && m == null) {
                throw new FloeException(ErrorCode.INVALID_REQUEST, "A joining share group member must send its subscribed topic names.");
            }
            subscribed = hb.topics() != null ? hb.topics() : m.topics();
        } else {
            if (m == null) {
                throw new FloeException(ErrorCode.UNKNOWN_MEMBER, "Member " + hb.memberId() + " is not in share group '"
                        + doc.groupId() + "' (it left or its session expired); join again with epoch 0.");
            }
            if (hb.memberEpoch() != m.memberEpoch()) {
                throw new FloeException(ErrorCode.FENCED_MEMBER_EPOCH, "Member " + hb.memberId() + " sent epoch "
                        + hb.memberEpoch() + " but its epoch is " + m.memberEpoch() + "; join again with epoch 0.");
            }
            subscribed = hb.topics() != null ? hb.topics() : m.topics();
        }
        Map<String, ShareGroupDoc.TopicStart> starts = new TreeMap<>(doc.starts());
        SortedMap<String, List<Integer>> assignment = assign(subscribed, topics, starts, doc.autoOffsetReset());
        boolean startsChanged = !starts.equals(doc.starts());
        List<String> sortedTopics = subscribed.stream().sorted().distinct().toList();
        long lease = nowMs + sessionTimeoutMs;
        boolean joining = hb.memberEpoch() == ShareHeartbeat.JOIN;
        boolean memberChanged = m == null || !m.topics().equals(sortedTopics) || !m.assignment().equals(assignment);
        if (memberChanged) {
            epoch++;
            ShareMember next = new ShareMember(hb.memberId(), epoch, hb.clientId(), hb.clientHost(), hb.rackId(), sortedTopics,
                    assignment, lease, sessionTimeoutMs);
            members.put(hb.memberId(), next);
            return new Step(doc.with(epoch, members, starts), new ShareHeartbeatResult(hb.memberId(), epoch, heartbeatIntervalMs, assignment));
        }
        boolean renew = joining || m.leaseExpiresAtMs() - nowMs < (long) (renewFraction * sessionTimeoutMs);
        if (renew) {
            members.put(hb.memberId(), m.withLease(lease));
        }
        ShareGroupDoc next = changed || renew || startsChanged ? doc.with(epoch, members, starts) : null;
        // A joining member that is already known (it lost our answer) gets its assignment again.
        return new Step(next, new ShareHeartbeatResult(hb.memberId(), m.memberEpoch(), heartbeatIntervalMs, joining ? assignment : null));
    }

    /** Removes members whose lease passed; whether any was. */
    static boolean expire(Map<String, ShareMember> members, long nowMs) {
        return members.values().removeIf(m -> m.leaseExpiresAtMs() <= nowMs);
    }

    /**
     * The simple assignor: every partition of every subscribed topic that exists. Fixes the start offset of
     * partitions assigned for the first time (or of a topic re-created under a new id) in {@code starts}.
     */
    static SortedMap<String, List<Integer>> assign(List<String> subscribed, Topics topics, Map<String, ShareGroupDoc.TopicStart> starts,
                                                   String reset) {
        SortedMap<String, List<Integer>> out = new TreeMap<>();
        for (String name : subscribed) {
            Optional<TopicInfo> t = topics.topic(name);
            if (t.isEmpty()) {
                continue;
            }
            List<Integer> ps = new ArrayList<>();
            ShareGroupDoc.TopicStart known = starts.get(name);
            SortedMap<Integer, Long> offsets = known != null && known.topicId().equals(t.get().id())
                    ? new TreeMap<>(known.startOffsets()) : new TreeMap<>();
            for (int p = 0; p < t.get().partitions(); p++) {
                ps.add(p);
                if (!offsets.containsKey(p)) {
                    offsets.put(p, topics.initialStart(name, p, reset));
                }
            }
            ShareGroupDoc.TopicStart next = new ShareGroupDoc.TopicStart(t.get().id(), offsets);
            if (!next.equals(known)) {
                starts.put(name, next);
            }
            out.put(name, ps);
        }
        return out;
    }
}
