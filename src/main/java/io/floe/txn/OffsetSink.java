package io.floe.txn;

import io.floe.model.TopicPartition;
import java.util.Map;

/**
 * Where a committed transaction's offsets go: the consumer group's committed offsets. Implemented over
 * {@code io.floe.group.GroupCoordinator} by the wiring, so this package does not depend on groups.
 */
public interface OffsetSink {

    /**
     * Makes {@code offsets} the group's committed offsets. Idempotent: the coordinator calls it again
     * when it finishes a transaction after a crash.
     */
    void commit(String groupId, Map<TopicPartition, TxnOffset> offsets);
}
