package io.floe.group;

import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * The server-side assignors of consumer-protocol groups (KIP-848, {@code group.remote.assignor}):
 * pure functions from the members' subscriptions, the topics' partition counts and the previous
 * target to the next target. Every partition of a subscribed topic goes to exactly one member
 * subscribed to it. Stateless.
 *
 * <ul>
 * <li>{@code uniform} (Kafka's default): balanced (counts differ by at most one among members with the
 *     same subscription) and sticky: a member keeps its previous target while that stays balanced,
 *     so a member joining or leaving moves only the partitions it must. Implemented by
 *     {@link Assignors#sticky}.</li>
 * <li>{@code range}: per topic, the subscribed members (sorted by id) get consecutive ranges, the
 *     first {@code partitions % members} one more: co-partitioned topics land together
 *     ({@link Assignors#range}).</li>
 * </ul>
 */
final class TargetAssignment {

    /** The assignors, and the one used when no member names one (Kafka's group.consumer.assignors default). */
    static final Set<String> ASSIGNORS = Set.of("uniform", "range");
    static final String DEFAULT = "uniform";

    private TargetAssignment() {
    }

    /** UNSUPPORTED_ASSIGNOR unless {@code name} is null (no preference) or a known assignor. */
    static void check(String name) {
        if (name != null && !ASSIGNORS.contains(name)) {
            throw new FloeException(ErrorCode.UNSUPPORTED_ASSIGNOR, "Server assignor '" + name
                    + "' is not supported; use 'uniform' or 'range' (group.remote.assignor).");
        }
    }

    /**
     * @param subscriptions member id → subscribed topics
     * @param partitions    topic → partition count (topics that do not exist are absent)
     * @param previous      member id → its previous target (used by {@code uniform})
     * @return member id → target partitions (sorted), an entry for every member
     */
    static Map<String, List<TopicPartition>> compute(String assignor, SortedMap<String, Set<String>> subscriptions,
                                                     Map<String, Integer> partitions,
                                                     Map<String, List<TopicPartition>> previous) {
        check(assignor);
        return "range".equals(assignor) ? Assignors.range(subscriptions, partitions)
                : Assignors.sticky(subscriptions, partitions, previous);
    }
}
