package io.floe.api.kafka;

import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.share.ShareGroupDoc;
import io.floe.share.ShareGroups;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.requests.DescribeConfigsResponse;

/**
 * Group configs (Kafka's {@code ConfigResource.Type.GROUP}: {@code kafka-configs.sh --entity-type groups},
 * Admin incrementalAlterConfigs) as Floe keeps them: {@code share.auto.offset.reset} of a share group,
 * stored in the share group's object. The other names of Kafka 4.3's group config definition are known
 * (a Kafka client may send them) and refused with INVALID_CONFIG saying that Floe applies the instance's
 * setting to every group; names Kafka does not know are INVALID_CONFIG with Kafka's message
 * (docs/DECISIONS.md D-15.1). Stateless and thread-safe; calls block on the bucket.
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

    /** The group's configs Floe keeps per group; a group without a share group object shows the default. */
    void describe(DescribeConfigsRequestData.DescribeConfigsResource res, DescribeConfigsResponseData.DescribeConfigsResult r,
                  boolean documentation) {
        List<String> wanted = res.configurationKeys();
        if (wanted != null && !wanted.contains(SHARE_AUTO_OFFSET_RESET)) {
            return;
        }
        String reset = shares.describe(res.resourceName()).map(ShareGroupDoc::autoOffsetReset).orElse(ShareGroupDoc.LATEST);
        boolean dflt = ShareGroupDoc.LATEST.equals(reset);
        r.configs().add(new DescribeConfigsResponseData.DescribeConfigsResourceResult().setName(SHARE_AUTO_OFFSET_RESET)
                .setValue(reset).setReadOnly(false).setIsSensitive(false)
                .setConfigSource((dflt ? DescribeConfigsResponse.ConfigSource.DEFAULT_CONFIG
                        : DescribeConfigsResponse.ConfigSource.GROUP_CONFIG).id())
                .setConfigType(DescribeConfigsResponse.ConfigType.STRING.id())
                .setDocumentation(documentation ? "Where a share-partition starts when the group first reads it: latest or earliest."
                        : null));
    }

    /** Applies (or, {@code validateOnly}, checks) one resource's SET and DELETE operations, all or none. */
    void alter(IncrementalAlterConfigsRequestData.AlterConfigsResource res, boolean validateOnly) {
        String reset = null;
        for (IncrementalAlterConfigsRequestData.AlterableConfig c : res.configs()) {
            if (!KAFKA_NAMES.contains(c.name())) {
                throw new FloeException(ErrorCode.INVALID_CONFIG, "Unknown group config name: " + c.name());
            }
            if (!SHARE_AUTO_OFFSET_RESET.equals(c.name())) {
                throw new FloeException(ErrorCode.INVALID_CONFIG, "Floe applies its instance setting for '" + c.name()
                        + "' to every group; of the group configs it keeps only " + SHARE_AUTO_OFFSET_RESET + ".");
            }
            reset = switch (c.configOperation()) {
                case 0 -> checkReset(c.value());
                case 1 -> ShareGroupDoc.LATEST;
                default -> throw new FloeException(ErrorCode.INVALID_CONFIG, SHARE_AUTO_OFFSET_RESET + " is not a list.");
            };
        }
        if (reset != null && !validateOnly) {
            shares.setAutoOffsetReset(res.resourceName(), reset);
        }
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
