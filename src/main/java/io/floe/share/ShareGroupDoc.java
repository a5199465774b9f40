package io.floe.share;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A share group as its object {@code share-groups/{group}} holds it: the group epoch (up by one at every
 * change of membership or assignment), the members, and where each share-partition starts when it is
 * first read ({@code starts}: topic name → the topic's id and its partitions' initial start offsets,
 * fixed when the topic is first assigned, by {@code share.auto.offset.reset}), and the group configs
 * that override the instance's share-partition limits ({@code limits}: {@link #LOCK_DURATION_MS},
 * {@link #DELIVERY_COUNT_LIMIT}).
 */
public record ShareGroupDoc(String groupId, int groupEpoch, SortedMap<String, ShareMember> members,
                            SortedMap<String, TopicStart> starts, String autoOffsetReset, SortedMap<String, Integer> limits,
                            String writeId, long updatedAtMs) {

    /** The topic's id when its partitions' start offsets were fixed, and those offsets. */
    public record TopicStart(String topicId, SortedMap<Integer, Long> startOffsets) {
        public TopicStart {
            startOffsets = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(startOffsets));
        }
    }

    public ShareGroupDoc {
        members = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(members));
        starts = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(starts));
        limits = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(limits));
    }

    /** Kafka's group config names for the limits a group may set for itself. */
    public static final String LOCK_DURATION_MS = "share.record.lock.duration.ms";
    public static final String DELIVERY_COUNT_LIMIT = "share.delivery.count.limit";

    /** The limits of this group's share-partitions: the instance's, with the group's configs over them. */
    public ShareLimits limits(ShareLimits instance) {
        Integer lock = limits.get(LOCK_DURATION_MS);
        Integer count = limits.get(DELIVERY_COUNT_LIMIT);
        return lock == null && count == null ? instance : new ShareLimits(count == null ? instance.deliveryCountLimit() : count,
                lock == null ? instance.lockDuration() : java.time.Duration.ofMillis(lock), instance.maxInFlight());
    }

    /** Kafka's {@code share.auto.offset.reset} values. */
    public static final String LATEST = "latest";
    public static final String EARLIEST = "earliest";

    static ShareGroupDoc empty(String groupId) {
        return new ShareGroupDoc(groupId, 0, new TreeMap<>(), new TreeMap<>(), LATEST, new TreeMap<>(), "", 0);
    }

    ShareGroupDoc with(int epoch, Map<String, ShareMember> members, Map<String, TopicStart> starts) {
        return new ShareGroupDoc(groupId, epoch, new TreeMap<>(members), new TreeMap<>(starts), autoOffsetReset, limits, writeId, updatedAtMs);
    }

    ShareGroupDoc withAutoOffsetReset(String reset) {
        return withConfigs(reset, limits);
    }

    ShareGroupDoc withConfigs(String reset, Map<String, Integer> limits) {
        return new ShareGroupDoc(groupId, groupEpoch, members, starts, reset, new TreeMap<>(limits), writeId, updatedAtMs);
    }

    ShareGroupDoc stamped(String writeId, long nowMs) {
        return new ShareGroupDoc(groupId, groupEpoch, members, starts, autoOffsetReset, limits, writeId, nowMs);
    }

    /** Kafka's group state: Empty without members, else Stable (a share group never rebalances). */
    public String state() {
        return members.isEmpty() ? "Empty" : "Stable";
    }
}
