package io.floe.txn;

import io.floe.model.TopicPartition;
import java.util.Collection;

/**
 * Writes a transaction's end markers (Kafka COMMIT / ABORT control batches) into its partitions. The
 * implementation over the log is {@link EngineMarkers}; this interface is the coordinator's only view
 * of the log's write path.
 */
public interface MarkerWriter {

    /**
     * Writes one marker per partition and returns once every one is durable. Idempotent in effect: a
     * second marker for a transaction already ended is a no-op for readers (it ends no open batch), so
     * a coordinator that finishes a transaction after a crash may write them again.
     *
     * @throws io.floe.model.FloeException when a partition cannot be written (unknown topic: the
     *         caller skips it; store unavailable: the caller retries later)
     */
    void write(Collection<TopicPartition> partitions, long producerId, short producerEpoch, boolean commit);
}
