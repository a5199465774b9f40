package io.floe.share;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A share group as its object {@code share-groups/{group}} holds it: the group epoch (up by one at every
 * change of membership or assignment), the members, and where each share-partition starts when it is
 * first read ({@code starts}: topic name → the topic's id and its partitions' initial start offsets,
 * fixed when the topic is first assigned, by {@code share.auto.offset.reset}).
 */
public record ShareGroupDoc(String groupId, int groupEpoch, SortedMap<String, ShareMember> members,
                            SortedMap<String, TopicStart> starts, String autoOffsetReset, String writeId, long updatedAtMs) {

    /** The topic's id when its partitions' start offsets were fixed, and those offsets. */
    public record TopicStart(String topicId, SortedMap<Integer, Long> startOffsets) {
        public TopicStart {
            startOffsets = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(startOffsets));
        }
    }

    public ShareGroupDoc {
        members = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(members));
        starts = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(starts));
    }

    /** Kafka's {@code share.auto.offset.reset} values. */
    public static final String LATEST = "latest";
    public static final String EARLIEST = "earliest";

    static ShareGroupDoc empty(String groupId) {
        return new ShareGroupDoc(groupId, 0, new TreeMap<>(), new TreeMap<>(), LATEST, "", 0);
    }

    ShareGroupDoc with(int epoch, Map<String, ShareMember> members, Map<String, TopicStart> starts) {
        return new ShareGroupDoc(groupId, epoch, new TreeMap<>(members), new TreeMap<>(starts), autoOffsetReset, writeId, updatedAtMs);
    }

    ShareGroupDoc withAutoOffsetReset(String reset) {
        return new ShareGroupDoc(groupId, groupEpoch, members, starts, reset, writeId, updatedAtMs);
    }

    ShareGroupDoc stamped(String writeId, long nowMs) {
        return new ShareGroupDoc(groupId, groupEpoch, members, starts, autoOffsetReset, writeId, nowMs);
    }

    /** Kafka's group state: Empty without members, else Stable (a share group never rebalances). */
    public String state() {
        return members.isEmpty() ? "Empty" : "Stable";
    }
}
