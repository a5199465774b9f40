package io.floe.format;

import io.floe.model.FetchedRecord;
import io.floe.model.Message;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Helpers over byte buffers holding one or more Kafka RecordBatch v2 (magic 2) batches back to back.
 * Stateless and thread-safe.
 */
public final class RecordBatches {

    private RecordBatches() {
    }

    /** Summary of a run of batches, as the commit needs it. */
    public record Summary(int batchCount, int offsetCount, int recordCount, long maxTimestamp, int sizeInBytes) {
    }

    /**
     * Encodes {@code messages} as one uncompressed v2 batch with base offset 0, no producer id.
     * A null timestamp becomes {@code defaultTimestamp}.
     */
    public static byte[] build(List<Message> messages, long defaultTimestamp) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Validates a run of batches (complete frames, magic 2, CRC, sane lengths) and summarises it.
     * {@code offsetCount} is the sum over batches of {@code lastOffsetDelta + 1}.
     * Throws {@link io.floe.model.FloeException} with {@code INVALID_RECORD} naming the problem.
     * Does not change the buffer's position.
     */
    public static Summary inspect(ByteBuffer batches) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Rewrites each batch's base offset in place so that the batches number consecutively from
     * {@code baseOffset} (batch i+1 starts at batch i's base + lastOffsetDelta + 1). Does not touch
     * the CRC (it does not cover the base offset). Does not change the buffer's position.
     */
    public static void assignOffsets(ByteBuffer batches, long baseOffset) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Decodes (and decompresses) the records of batches whose offsets are already assigned,
     * skipping records below {@code fromOffset}. Control batches are skipped.
     */
    public static List<FetchedRecord> decode(int partition, ByteBuffer batches, long fromOffset) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * The offset of the first record whose timestamp is >= {@code timestamp} in batches whose offsets
     * are assigned, or -1 when there is none.
     */
    public static long offsetForTimestamp(ByteBuffer batches, long timestamp) {
        throw new UnsupportedOperationException("TODO");
    }
}
