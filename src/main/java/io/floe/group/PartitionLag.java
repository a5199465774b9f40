package io.floe.group;

import io.floe.model.TopicPartition;

/**
 * How far a group is behind on one partition: {@code lag = endOffset - committedOffset} (the whole
 * partition from its log start when nothing is committed: {@code committedOffset == -1}).
 *
 * @param memberId  the member assigned the partition, or null
 * @param clientId  that member's client id, or null
 */
public record PartitionLag(TopicPartition partition, long committedOffset, long logStartOffset, long endOffset,
                           long lag, String memberId, String clientId) {
}
