package io.floe.share;

import io.floe.model.TopicPartition;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A share fetch (Kafka ShareFetch, REST take): acknowledge what {@code acks} names, then acquire up to
 * {@code maxRecords} records of {@code partitions} for the member, waiting up to {@code maxWait} when
 * none is available.
 *
 * @param partitions where to acquire, in order
 * @param acks       acknowledgements per partition, applied first (a partition's all or none)
 * @param maxBytes   byte budget of the records read per partition
 */
public record ShareFetch(String groupId, String memberId, List<TopicPartition> partitions,
                         Map<TopicPartition, List<Acknowledgement>> acks, int maxRecords, int maxBytes, Duration maxWait) {

    public ShareFetch {
        partitions = List.copyOf(partitions);
        acks = Map.copyOf(acks);
        maxWait = maxWait == null || maxWait.isNegative() ? Duration.ZERO : maxWait;
    }
}
