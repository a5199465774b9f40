package io.floe.format;

import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The fixed 61-byte header of a Kafka RecordBatch v2 (magic 2), read in place from a buffer.
 * All fields are big-endian. Stateless.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    baseOffset  int64  @0                      |  patched by Floe;
 * |                                                               |  not under the CRC
 * +---------------------------------------------------------------+
 * |  batchLength int32 @8  (bytes after this field, >= 49)        |
 * +---------------------------------------------------------------+
 * |  partitionLeaderEpoch int32 @12                               |
 * +---------------+-----------------------------------------------+
 * | magic int8 @16|  crc uint32 @17 (CRC-32C of @21 .. end)       |
 * +---------------+---------------+-------------------------------+
 * |      ...crc   | attributes int16 @21  | lastOffsetDelta int32 @23
 * +---------------------------------------------------------------+
 * |  baseTimestamp int64 @27   |  maxTimestamp int64 @35          |
 * |  producerId int64 @43      |  producerEpoch int16 @51         |
 * |  baseSequence int32 @53    |  recordCount int32 @57           |
 * +---------------------------------------------------------------+
 * |  records @61 (varint-framed; compressed as a whole when        |
 * |  attributes bits 0-2 name a codec)                             |
 * +---------------------------------------------------------------+
 * attributes: bits 0-2 compression (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd),
 *             bit 3 timestamp type (1 = LogAppendTime), bit 4 transactional, bit 5 control
 * </pre>
 */
final class BatchHeader {

    static final int BASE_OFFSET = 0;
    static final int BATCH_LENGTH = 8;
    static final int PARTITION_LEADER_EPOCH = 12;
    static final int MAGIC = 16;
    static final int CRC = 17;
    static final int ATTRIBUTES = 21;
    static final int LAST_OFFSET_DELTA = 23;
    static final int BASE_TIMESTAMP = 27;
    static final int MAX_TIMESTAMP = 35;
    static final int PRODUCER_ID = 43;
    static final int PRODUCER_EPOCH = 51;
    static final int BASE_SEQUENCE = 53;
    static final int RECORD_COUNT = 57;
    static final int RECORDS = 61;

    /** Size of the header, and of the smallest batch (no records). */
    static final int HEADER_SIZE = RECORDS;
    /** Bytes before batchLength's count starts: baseOffset + batchLength. */
    static final int LOG_OVERHEAD = BATCH_LENGTH + 4;
    static final int MIN_BATCH_LENGTH = HEADER_SIZE - LOG_OVERHEAD;
    static final byte MAGIC_V2 = 2;
    static final int COMPRESSION_MASK = 0x07;
    static final int MAX_COMPRESSION_CODEC = 4;
    static final int CONTROL_FLAG = 0x20;

    private BatchHeader() {
    }

    /** Total size of the batch starting at absolute {@code at} (header fields must be present). */
    static int sizeInBytes(ByteBuffer b, int at) {
        return b.getInt(at + BATCH_LENGTH) + LOG_OVERHEAD;
    }

    static long baseOffset(ByteBuffer b, int at) {
        return b.getLong(at + BASE_OFFSET);
    }

    static void baseOffset(ByteBuffer b, int at, long baseOffset) {
        b.putLong(at + BASE_OFFSET, baseOffset);
    }

    static int lastOffsetDelta(ByteBuffer b, int at) {
        return b.getInt(at + LAST_OFFSET_DELTA);
    }

    static long maxTimestamp(ByteBuffer b, int at) {
        return b.getLong(at + MAX_TIMESTAMP);
    }

    static long producerId(ByteBuffer b, int at) {
        return b.getLong(at + PRODUCER_ID);
    }

    static int recordCount(ByteBuffer b, int at) {
        return b.getInt(at + RECORD_COUNT);
    }

    static boolean isControl(ByteBuffer b, int at) {
        return (b.getShort(at + ATTRIBUTES) & CONTROL_FLAG) != 0;
    }

    /**
     * Checks the batch at absolute {@code at}, before {@code limit}, and returns its size in bytes.
     * {@code index} only names the batch in the message.
     */
    static int check(ByteBuffer b, int at, int limit, int index) {
        int available = limit - at;
        if (available < HEADER_SIZE) {
            throw RecordBatches.invalid(index, at, "is truncated: " + available + " bytes, a batch header needs " + HEADER_SIZE);
        }
        int batchLength = b.getInt(at + BATCH_LENGTH);
        if (batchLength < MIN_BATCH_LENGTH) {
            throw RecordBatches.invalid(index, at, "has batchLength " + batchLength + ", the minimum is " + MIN_BATCH_LENGTH);
        }
        if ((long) batchLength + LOG_OVERHEAD > available) {
            throw RecordBatches.invalid(index, at, "has batchLength " + batchLength + " but only "
                    + (available - LOG_OVERHEAD) + " bytes follow the field (truncated or too large)");
        }
        byte magic = b.get(at + MAGIC);
        if (magic != MAGIC_V2) {
            throw RecordBatches.invalid(index, at, "has magic " + magic + "; only RecordBatch v2 (magic 2) is accepted");
        }
        int size = batchLength + LOG_OVERHEAD;
        int stored = b.getInt(at + CRC);
        CRC32C crc = new CRC32C();
        crc.update(b.duplicate().limit(at + size).position(at + ATTRIBUTES));
        if ((int) crc.getValue() != stored) {
            // Kafka answers CORRUPT_MESSAGE, which clients retry: the bytes were damaged on the way.
            throw new FloeException(ErrorCode.CORRUPT_RECORD, "Record batch " + index
                    + " (at byte " + at + ") fails its CRC: stored 0x" + Integer.toHexString(stored)
                    + ", computed 0x" + Long.toHexString(crc.getValue()) + ".");
        }
        int codec = b.getShort(at + ATTRIBUTES) & COMPRESSION_MASK;
        if (codec > MAX_COMPRESSION_CODEC) {
            throw RecordBatches.invalid(index, at, "names unknown compression codec " + codec);
        }
        int lastOffsetDelta = b.getInt(at + LAST_OFFSET_DELTA);
        if (lastOffsetDelta < 0) {
            throw RecordBatches.invalid(index, at, "has negative lastOffsetDelta " + lastOffsetDelta);
        }
        int recordCount = b.getInt(at + RECORD_COUNT);
        if (recordCount < 0) {
            throw RecordBatches.invalid(index, at, "has negative recordCount " + recordCount);
        }
        if ((long) recordCount > (long) lastOffsetDelta + 1) {
            throw RecordBatches.invalid(index, at, "has recordCount " + recordCount
                    + " but lastOffsetDelta " + lastOffsetDelta + " leaves room for only " + ((long) lastOffsetDelta + 1));
        }
        return size;
    }
}
