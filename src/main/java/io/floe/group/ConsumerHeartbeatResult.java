package io.floe.group;

import io.floe.model.TopicPartition;
import java.util.List;

/**
 * The answer to a {@link ConsumerHeartbeat}.
 *
 * @param memberEpoch         the member's epoch now (-1 or -2 after a leave)
 * @param heartbeatIntervalMs when the member should heartbeat next
 * @param assignment          the partitions the member may consume now; null when unchanged and not asked for
 */
public record ConsumerHeartbeatResult(String memberId, int memberEpoch, int heartbeatIntervalMs,
                                      List<TopicPartition> assignment) {
}
