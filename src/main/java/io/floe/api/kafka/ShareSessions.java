package io.floe.api.kafka;

import io.floe.model.TopicPartition;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The share sessions of this listener (KIP-932): per (group, member), the partitions the member fetches
 * from and the epoch its next ShareFetch or ShareAcknowledge must carry. A request with epoch 0 opens a
 * session (replacing any), -1 closes it, any other must equal the session's next epoch. A session is
 * only a convenience of the wire protocol (requests name changed partitions only): the delivery state
 * lives in the bucket, so a client that reaches another instance just gets SHARE_SESSION_NOT_FOUND and
 * opens a new session there. Thread-safe.
 */
final class ShareSessions {

    /** The session after a request was accepted: the partitions to fetch from. */
    record Session(int nextEpoch, Set<TopicPartition> partitions) {
    }

    /** Why a request's epoch was refused. */
    enum Refusal { NOT_FOUND, WRONG_EPOCH }

    private record Key(String group, String member) {
    }

    private final Map<Key, Session> sessions = new ConcurrentHashMap<>();

    /**
     * Accepts a request's epoch and partition changes; returns the refusal, or null and the session (in
     * {@code out[0]}) with its epoch moved on. Epoch -1 returns the closing session and forgets it.
     */
    Refusal advance(String group, String member, int epoch, Collection<TopicPartition> added, Collection<TopicPartition> forgotten,
                    boolean mayOpen, Session[] out) {
        Key k = new Key(group, member);
        Refusal[] refusal = new Refusal[1];
        Session next = sessions.compute(k, (key, s) -> {
            if (epoch == 0) {
                if (!mayOpen) {
                    refusal[0] = Refusal.WRONG_EPOCH;
                    return s;
                }
                return new Session(1, new LinkedHashSet<>(added));
            }
            if (s == null) {
                refusal[0] = Refusal.NOT_FOUND;
                return null;
            }
            if (epoch == -1) {
                Set<TopicPartition> all = new LinkedHashSet<>(s.partitions());
                all.addAll(added);
                out[0] = new Session(-1, all);
                return null;
            }
            if (epoch != s.nextEpoch()) {
                refusal[0] = Refusal.WRONG_EPOCH;
                return s;
            }
            Set<TopicPartition> ps = new LinkedHashSet<>(s.partitions());
            ps.addAll(added);
            ps.removeAll(forgotten);
            return new Session(epoch == Integer.MAX_VALUE ? 1 : epoch + 1, ps);
        });
        if (refusal[0] == null && next != null) {
            out[0] = next;
        }
        return refusal[0];
    }

    /** Forgets every session of a member (it left its group). */
    void forget(String group, String member) {
        sessions.remove(new Key(group, member));
    }
}
