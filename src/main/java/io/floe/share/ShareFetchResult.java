package io.floe.share;

import io.floe.model.FloeException;
import io.floe.model.TopicPartition;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * What a share fetch did, per partition: the acknowledgement's error (null: applied, or none sent), the
 * fetch's error (null: none), the records acquired with their delivery counts, and the record batches
 * that hold them (whole batches, offsets assigned; records outside {@code acquired} are not the member's).
 */
public record ShareFetchResult(Map<TopicPartition, Partition> partitions) {

    public record Partition(FloeException ackError, FloeException fetchError, List<AcquiredRecords> acquired,
                            List<ByteBuffer> batches) {
        public Partition {
            acquired = List.copyOf(acquired);
            batches = List.copyOf(batches);
        }

        static Partition failed(FloeException fetchError, FloeException ackError) {
            return new Partition(ackError, fetchError, List.of(), List.of());
        }
    }

    /** Number of records acquired over all partitions. */
    public long acquiredCount() {
        return partitions.values().stream().flatMap(p -> p.acquired().stream())
                .mapToLong(a -> a.lastOffset() - a.firstOffset() + 1).sum();
    }
}
