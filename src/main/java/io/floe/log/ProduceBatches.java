package io.floe.log;

import io.floe.format.Commit;
import io.floe.format.RecordBatches;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.Message;
import io.floe.model.Topic;
import io.floe.model.TopicConfig;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;

/**
 * Turns what producers hand in into write-buffer entries: partitions chosen (explicit, else
 * murmur2 of the key as Kafka's partitioner, else spread), record batches no larger than the
 * topic's {@code max.message.bytes}, CreateTime within the topic's timestamp bounds, LogAppendTime
 * stamped where the topic asks for it. Validates
 * everything before anything is buffered, so a request with one bad record writes nothing.
 * Stateless; the caller owns the returned values.
 */
final class ProduceBatches {

    /** Bytes of a RecordBatch v2 header. */
    private static final int BATCH_OVERHEAD = 61;

    private ProduceBatches() {
    }

    /** A produce request ready for the buffer, and how to answer it once its batches are committed. */
    record Prepared(List<WriteBuffer.Pending> appends, int[] partitionOf, List<CompletableFuture<Long>> baseOf,
                    int[] indexInBatch) {

        /** Completes with one position per message, in input order, once every batch is committed. */
        CompletableFuture<List<RecordPosition>> positions() {
            return CompletableFuture.allOf(appends.stream().map(WriteBuffer.Pending::baseOffset)
                    .toArray(CompletableFuture[]::new)).thenApply(x -> {
                List<RecordPosition> out = new ArrayList<>(partitionOf.length);
                for (int i = 0; i < partitionOf.length; i++) {
                    out.add(new RecordPosition(partitionOf[i], baseOf.get(i).join() + indexInBatch[i]));
                }
                return out;
            });
        }
    }

    static Prepared prepare(Topic t, List<Message> messages, long now, IntSupplier spread) {
        int[] partitionOf = new int[messages.size()];
        Map<Integer, List<Integer>> byPartition = new LinkedHashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            int p;
            if (m.partition() != null) {
                t.checkPartition(m.partition());
                p = m.partition();
            } else if (m.key() != null) {
                p = Partitioner.partition(m.key(), t.partitions());
            } else {
                p = Math.floorMod(spread.getAsInt(), t.partitions());
            }
            partitionOf[i] = p;
            byPartition.computeIfAbsent(p, k -> new ArrayList<>()).add(i);
        }
        int max = t.config().maxMessageBytes();
        List<WriteBuffer.Pending> appends = new ArrayList<>();
        int[] indexInBatch = new int[messages.size()];
        List<CompletableFuture<Long>> baseOf = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            baseOf.add(null);
        }
        for (var e : byPartition.entrySet()) {
            for (List<Integer> chunk : chunks(t, e.getValue(), messages, max)) {
                List<Message> batch = chunk.stream().map(messages::get).toList();
                checkTimestamps(t, batch.stream().mapToLong(m -> m.timestamp() == null ? now : m.timestamp()).min().orElse(now),
                        batch.stream().mapToLong(m -> m.timestamp() == null ? now : m.timestamp()).max().orElse(now), now);
                byte[] bytes = RecordBatches.build(batch, now);
                if (bytes.length > max) {
                    throw tooLarge(t, bytes.length, max);
                }
                long maxTs = batch.stream().mapToLong(m -> m.timestamp() == null ? now : m.timestamp()).max().orElse(now);
                if (logAppendTime(t)) {
                    RecordBatches.stampLogAppendTime(ByteBuffer.wrap(bytes), now);
                    maxTs = now;
                }
                CompletableFuture<Long> base = new CompletableFuture<>();
                appends.add(new WriteBuffer.Pending(t, e.getKey(), ByteBuffer.wrap(bytes), batch.size(), maxTs, base));
                for (int k = 0; k < chunk.size(); k++) {
                    baseOf.set(chunk.get(k), base);
                    indexInBatch[chunk.get(k)] = k;
                }
            }
        }
        return new Prepared(appends, partitionOf, baseOf, indexInBatch);
    }

    /** Client-built batches for one partition, checked and (for LogAppendTime topics) stamped on a copy. */
    static WriteBuffer.Pending prepareAppend(Topic t, int partition, ByteBuffer batches, long now) {
        return prepareAppend(t, partition, batches, now, null);
    }

    /**
     * As {@link #prepareAppend(Topic, int, ByteBuffer, long)}, for batches sent under {@code transactionalId}
     * (null: none): a transactional batch then carries it, to be verified before it starts a transaction.
     */
    static WriteBuffer.Pending prepareAppend(Topic t, int partition, ByteBuffer batches, long now, String transactionalId) {
        t.checkPartition(partition);
        RecordBatches.Summary summary = RecordBatches.inspect(batches);
        int max = t.config().maxMessageBytes();
        // Per batch, as Kafka checks max.message.bytes: several batches of one request each count alone.
        if (summary.largestBatch() > max) {
            throw tooLarge(t, summary.largestBatch(), max);
        }
        checkTimestamps(t, summary.minTimestamp(), summary.maxTimestamp(), now);
        long maxTs = summary.maxTimestamp() < 0 ? now : summary.maxTimestamp();
        ByteBuffer stored = batches.duplicate();
        if (logAppendTime(t)) {
            // Never change the caller's buffer: stamp a copy.
            stored = ByteBuffer.allocate(batches.remaining()).put(batches.duplicate()).flip();
            RecordBatches.stampLogAppendTime(stored, now);
            maxTs = now;
        }
        return new WriteBuffer.Pending(t, partition, stored, summary.offsetCount(), maxTs, new CompletableFuture<>(),
                producerAppend(RecordBatches.producerRun(batches), transactionalId));
    }

    private static ProducerTable.Append producerAppend(RecordBatches.ProducerRun run, String transactionalId) {
        if (run == null) {
            return null;
        }
        Commit.BatchKind kind = run.control() ? (run.commits() ? Commit.BatchKind.COMMIT_MARKER : Commit.BatchKind.ABORT_MARKER)
                : run.transactional() ? Commit.BatchKind.TRANSACTIONAL : Commit.BatchKind.IDEMPOTENT;
        return new ProducerTable.Append(run.producerId(), run.epoch(), run.firstSeq(), run.lastSeq(), kind,
                kind == Commit.BatchKind.TRANSACTIONAL ? transactionalId : null);
    }

    /** Splits one partition's messages into batches no larger than about {@code max} bytes each. */
    private static List<List<Integer>> chunks(Topic t, List<Integer> indices, List<Message> messages, int max) {
        List<List<Integer>> out = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        long size = BATCH_OVERHEAD;
        for (int i : indices) {
            long s = estimate(messages.get(i));
            if (s + BATCH_OVERHEAD > max) {
                throw tooLarge(t, s + BATCH_OVERHEAD, max);
            }
            if (!current.isEmpty() && size + s > max) {
                out.add(current);
                current = new ArrayList<>();
                size = BATCH_OVERHEAD;
            }
            current.add(i);
            size += s;
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    /** An upper bound of a record's encoded size in a batch. */
    private static long estimate(Message m) {
        long s = 21 + (m.key() == null ? 0 : m.key().length) + (m.value() == null ? 0 : m.value().length);
        for (var h : m.headers()) {
            s += 10 + h.key().length() * 3L + (h.value() == null ? 0 : h.value().length);
        }
        return s;
    }

    /**
     * Kafka's CreateTime bounds: on a CreateTime topic, a record stamped more than
     * message.timestamp.before.max.ms before now or more than message.timestamp.after.max.ms after it is
     * refused (INVALID_TIMESTAMP, Kafka's message); records without a timestamp pass. Checked on the
     * smallest and largest timestamp of what is appended, which bound every record's.
     */
    static void checkTimestamps(Topic t, long minTimestamp, long maxTimestamp, long now) {
        if (logAppendTime(t)) {
            return;
        }
        long before = t.config().getLong(TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS);
        long after = t.config().getLong(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS);
        for (long ts : new long[] {minTimestamp, maxTimestamp}) {
            if (ts >= 0 && (now - ts > before || ts - now > after)) {
                long upper = after > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + after;
                throw new FloeException(ErrorCode.INVALID_TIMESTAMP, "Timestamp " + ts + " of a record for topic '" + t.name()
                        + "' is out of range. The timestamp should be within [" + (now - before) + ", " + upper + "]");
            }
        }
    }

    private static boolean logAppendTime(Topic t) {
        return "LogAppendTime".equals(t.config().get(TopicConfig.MESSAGE_TIMESTAMP_TYPE));
    }

    private static FloeException tooLarge(Topic t, long size, int max) {
        return new FloeException(ErrorCode.RECORD_TOO_LARGE, "A record batch of " + size + " bytes exceeds topic '"
                + t.name() + "' max.message.bytes of " + max + " bytes.");
    }
}
