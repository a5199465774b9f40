package io.floe.api.kafka;

import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.share.ShareGroupDoc;
import io.floe.share.ShareGroups;
import io.floe.share.ShareLimits;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.requests.DescribeConfigsResponse;

/**
 * Group configs (Kafka's {@code ConfigResource.Type.GROUP}: {@code kafka-configs.sh --entity-type groups},
 * Admin incrementalAlterConfigs) as Floe keeps them: {@code share.auto.offset.reset}, {@code
 * share.record.lock.duration.ms} and {@code share.delivery.count.limit} of a share group, stored in the
 * share group's object and checked against Kafka 4.3.1's broker bounds. The other names of Kafka 4.3's
 * group config definition are known (a Kafka client may send them) and refused with INVALID_CONFIG saying
 * that Floe applies the instance's setting to every group; names Kafka does not know are INVALID_CONFIG
 * with Kafka's message (docs/DECISIONS.md D80). Stateless and thread-safe; calls block on the bucket.
 */
final class GroupConfigs {

    static final String SHARE_AUTO_OFFSET_RESET = "share.auto.offset.reset";

    /** Kafka 4.3.1's {@code GroupConfig.configNames()}, the only names Kafka accepts for a group. */
    static final Set<String> KAFKA_NAMES = Set.of(
            "consumer.session.timeout.ms", "consumer.heartbeat.interval.ms", "consumer.assignment.interval.ms",
            "share.session.timeout.ms", "share.heartbeat.interval.ms", "share.record.lock.duration.ms",
            "share.delivery.count.limit", "share.partition.max.record.locks", SHARE_AUTO_OFFSET_RESET,
            "share.isolation.level", "share.renew.acknowledge.enable", "share.assignment.interval.ms",
            "streams.session.timeout.ms", "streams.heartbeat.interval.ms", "streams.num.standby.replicas",
            "streams.initial.rebalance.delay.ms", "streams.assignment.interval.ms");

    private final ShareGroups shares;

    GroupConfigs(ShareGroups shares) {
        this.shares = shares;
    }

    /** Kafka 4.3.1's broker bounds for the group overrides (group.share.min/max.record.lock.duration.ms, …delivery.count.limit). */
    static final int MIN_LOCK_MS = 15_000;
    static final int MAX_LOCK_MS = 60_000;
    static final int MIN_DELIVERY_COUNT = 2;
    static final int MAX_DELIVERY_COUNT = 10;

    /** The configs Floe keeps per group, with their source (GROUP_CONFIG when the group set them, else the default). */
    void describe(DescribeConfigsRequestData.DescribeConfigsResource res, DescribeConfigsResponseData.DescribeConfigsResult r,
                  boolean documentation) {
        List<String> wanted = res.configurationKeys();
        Optional<ShareGroupDoc> doc = shares.describe(res.resourceName());
        String reset = doc.map(ShareGroupDoc::autoOffsetReset).orElse(ShareGroupDoc.LATEST);
        Map<String, Integer> set = doc.<Map<String, Integer>>map(ShareGroupDoc::limits).orElse(Map.of());
        ShareLimits effective = shares.limits(res.resourceName());
        add(r, wanted, SHARE_AUTO_OFFSET_RESET, reset, !ShareGroupDoc.LATEST.equals(reset), DescribeConfigsResponse.ConfigType.STRING,
                documentation ? "Where a share-partition starts when the group first reads it: latest or earliest." : null);
        add(r, wanted, ShareGroupDoc.LOCK_DURATION_MS, Long.toString(effective.lockDuration().toMillis()),
                set.containsKey(ShareGroupDoc.LOCK_DURATION_MS), DescribeConfigsResponse.ConfigType.INT,
                documentation ? "How long a member holds a record it acquired." : null);
        add(r, wanted, ShareGroupDoc.DELIVERY_COUNT_LIMIT, Integer.toString(effective.deliveryCountLimit()),
                set.containsKey(ShareGroupDoc.DELIVERY_COUNT_LIMIT), DescribeConfigsResponse.ConfigType.INT,
                documentation ? "After this many deliveries a released or timed-out record is archived." : null);
    }

    private static void add(DescribeConfigsResponseData.DescribeConfigsResult r, List<String> wanted, String name, String value,
                            boolean setByGroup, DescribeConfigsResponse.ConfigType type, String documentation) {
        if (wanted != null && !wanted.contains(name)) {
            return;
        }
        r.configs().add(new DescribeConfigsResponseData.DescribeConfigsResourceResult().setName(name).setValue(value)
                .setReadOnly(false).setIsSensitive(false)
                .setConfigSource((setByGroup ? DescribeConfigsResponse.ConfigSource.GROUP_CONFIG
                        : DescribeConfigsResponse.ConfigSource.DEFAULT_CONFIG).id())
                .setConfigType(type.id()).setDocumentation(documentation));
    }

    /** Applies (or, {@code validateOnly}, checks) one resource's SET and DELETE operations, all or none. */
    void alter(IncrementalAlterConfigsRequestData.AlterConfigsResource res, boolean validateOnly) {
        String reset = null;
        Map<String, Integer> setLimits = new HashMap<>();
        Set<String> dropLimits = new HashSet<>();
        for (IncrementalAlterConfigsRequestData.AlterableConfig c : res.configs()) {
            if (!KAFKA_NAMES.contains(c.name())) {
                throw new FloeException(ErrorCode.INVALID_CONFIG, "Unknown group config name: " + c.name());
            }
            if (c.configOperation() != 0 && c.configOperation() != 1) {
                throw new FloeException(ErrorCode.INVALID_CONFIG, c.name() + " is not a list.");
            }
            boolean set = c.configOperation() == 0;
            switch (c.name()) {
                case SHARE_AUTO_OFFSET_RESET -> reset = set ? checkReset(c.value()) : ShareGroupDoc.LATEST;
                case ShareGroupDoc.LOCK_DURATION_MS, ShareGroupDoc.DELIVERY_COUNT_LIMIT -> {
                    if (set) {
                        setLimits.put(c.name(), checkLimit(c.name(), c.value()));
                        dropLimits.remove(c.name());
                    } else {
                        dropLimits.add(c.name());
                        setLimits.remove(c.name());
                    }
                }
                default -> throw new FloeException(ErrorCode.INVALID_CONFIG, "Floe applies its instance setting for '" + c.name()
                        + "' to every group; per group it keeps " + SHARE_AUTO_OFFSET_RESET + ", " + ShareGroupDoc.LOCK_DURATION_MS
                        + " and " + ShareGroupDoc.DELIVERY_COUNT_LIMIT + ".");
            }
        }
        if (!validateOnly && (reset != null || !setLimits.isEmpty() || !dropLimits.isEmpty())) {
            shares.alterConfigs(res.resourceName(), reset, setLimits, dropLimits);
        }
    }

    /** Kafka's type check and its broker bounds (GroupConfig.validateValues), with Kafka's messages. */
    private static int checkLimit(String name, String value) {
        int v;
        try {
            v = Integer.parseInt(value == null ? "" : value.trim());
        } catch (NumberFormatException e) {
            throw new FloeException(ErrorCode.INVALID_CONFIG, "Invalid value " + value + " for configuration " + name
                    + ": Not a number of type INT");
        }
        boolean lock = name.equals(ShareGroupDoc.LOCK_DURATION_MS);
        int min = lock ? MIN_LOCK_MS : MIN_DELIVERY_COUNT;
        int max = lock ? MAX_LOCK_MS : MAX_DELIVERY_COUNT;
        String bound = lock ? "group.share.%s.record.lock.duration.ms" : "group.share.%s.delivery.count.limit";
        if (v < min) {
            throw new FloeException(ErrorCode.INVALID_CONFIG, name + " must be greater than or equal to " + bound.formatted("min"));
        }
        if (v > max) {
            throw new FloeException(ErrorCode.INVALID_CONFIG, name + " must be less than or equal to " + bound.formatted("max"));
        }
        return v;
    }

    private static String checkReset(String value) {
        if (ShareGroupDoc.LATEST.equals(value) || ShareGroupDoc.EARLIEST.equals(value)) {
            return value;
        }
        if (value != null && value.startsWith("by_duration:")) {
            throw new FloeException(ErrorCode.INVALID_CONFIG, "Floe does not support " + SHARE_AUTO_OFFSET_RESET
                    + "=by_duration; use latest or earliest.");
        }
        throw new FloeException(ErrorCode.INVALID_CONFIG, "Invalid value " + value + " for configuration "
                + SHARE_AUTO_OFFSET_RESET + ": String must be one of: latest, earliest, by_duration:PnDTnHnMn.nS");
    }
}
