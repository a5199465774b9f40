package io.floe.log;

import io.floe.model.Message;
import io.floe.model.Topic;
import io.floe.store.ObjectStore;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/**
 * The log: topics, append, fetch. Both front doors (REST, Kafka) call this and nothing below it.
 * Thread-safe. Admin calls block on the store; produce and fetch return futures.
 * Errors are {@link io.floe.model.FloeException}s (futures complete exceptionally with them).
 */
public final class LogEngine implements AutoCloseable {

    public LogEngine(ObjectStore store, Clock clock, RandomGenerator random, LogSettings settings) {
        throw new UnsupportedOperationException("TODO");
    }

    /** The cluster id, created in the bucket on first use and stable afterwards. */
    public String clusterId() {
        throw new UnsupportedOperationException("TODO");
    }

    public Topic createTopic(String name, int partitions, Map<String, String> configs) {
        throw new UnsupportedOperationException("TODO");
    }

    /** All topics, sorted by name. */
    public List<Topic> listTopics() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Throws UNKNOWN_TOPIC when absent. */
    public Topic topic(String name) {
        throw new UnsupportedOperationException("TODO");
    }

    public void deleteTopic(String name) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Raises the partition count to {@code newCount}; lowering it is INVALID_PARTITIONS. */
    public Topic createPartitions(String name, int newCount) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Sets the given configs and resets {@code reset} ones to their defaults. */
    public Topic alterConfigs(String name, Map<String, String> set, Set<String> reset) {
        throw new UnsupportedOperationException("TODO");
    }

    public PartitionOffsets offsets(String topic, int partition) {
        throw new UnsupportedOperationException("TODO");
    }

    public List<PartitionOffsets> offsets(String topic) {
        throw new UnsupportedOperationException("TODO");
    }

    /** The first offset whose record timestamp is >= {@code timestampMs}, or the end offset if none. */
    public long offsetForTimestamp(String topic, int partition, long timestampMs) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Appends records (partition chosen per {@link Message#partition()}, else murmur2 of the key,
     * else spread). Completes when they are durable in the bucket, with one position per message in
     * input order.
     */
    public CompletableFuture<List<RecordPosition>> produce(String topic, List<Message> messages) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Appends client-built RecordBatch v2 batches to one partition, stored verbatim. Completes with
     * the base offset of the first batch once durable.
     */
    public CompletableFuture<Long> append(String topic, int partition, ByteBuffer batches) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Reads committed batches from {@code offset}, up to about {@code maxBytes} (at least one batch
     * when any is available). At the end of the log, waits up to {@code maxWait} for new commits.
     * Completes exceptionally with OffsetOutOfRangeException outside {@code [logStart, end]}.
     */
    public CompletableFuture<FetchResult> fetch(String topic, int partition, long offset, int maxBytes, Duration maxWait) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Flushes buffered records now and waits for their commit (simulation, Lambda, shutdown). */
    public void flushNow() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Whether the store answers (readiness). */
    public boolean storeReachable() {
        throw new UnsupportedOperationException("TODO");
    }

    @Override
    public void close() {
    }
}
