package io.floe.format;

import io.floe.model.ErrorCode;
import io.floe.model.FetchedRecord;
import io.floe.model.FloeException;
import io.floe.model.Header;
import io.floe.model.Message;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.BufferSupplier;
import org.apache.kafka.common.utils.CloseableIterator;

/**
 * Helpers over byte buffers holding one or more Kafka RecordBatch v2 (magic 2) batches back to back.
 * The header layout is in {@link BatchHeader}; the record encoding (and decompression) is Kafka's.
 * Stateless and thread-safe.
 */
public final class RecordBatches {

    private RecordBatches() {
    }

    /**
     * The producer of a run of batches that carries a producer id: its id and epoch, the first and last
     * sequence, whether the batches are transactional, and for a control batch whether it commits.
     */
    public record ProducerRun(long producerId, short epoch, int firstSeq, int lastSeq, boolean transactional,
                              boolean control, boolean commits) {
    }

    /**
     * The producer of an inspected run of batches, or null when its batches carry no producer id.
     * Throws INVALID_RECORD when batches of one run mix producers, epochs or transactional flags, when
     * their sequences do not follow one another, or when a control batch is not a single COMMIT/ABORT marker.
     */
    public static ProducerRun producerRun(ByteBuffer batches) {
        ProducerRun run = null;
        int index = 0;
        for (MutableRecordBatch b : MemoryRecords.readableRecords(batches.slice()).batches()) {
            if (b.producerId() == RecordBatch.NO_PRODUCER_ID) {
                if (run != null) {
                    throw new FloeException(ErrorCode.INVALID_RECORD, "Record batch " + index + " has no producer id but"
                            + " an earlier batch of the same request does.");
                }
                index++;
                continue;
            }
            boolean commits = false;
            if (b.isControlBatch()) {
                if (index > 0 || batches.remaining() != b.sizeInBytes()) {
                    throw new FloeException(ErrorCode.INVALID_RECORD, "A control batch must be appended alone.");
                }
                try (CloseableIterator<Record> records = b.skipKeyValueIterator(BufferSupplier.NO_CACHING)) {
                    Record first = records.hasNext() ? records.next() : null;
                    var type = first == null ? org.apache.kafka.common.record.internal.ControlRecordType.UNKNOWN
                            : org.apache.kafka.common.record.internal.ControlRecordType.parse(first.key());
                    if (type != org.apache.kafka.common.record.internal.ControlRecordType.COMMIT
                            && type != org.apache.kafka.common.record.internal.ControlRecordType.ABORT) {
                        throw new FloeException(ErrorCode.INVALID_RECORD, "A control batch must hold a COMMIT or ABORT marker;"
                                + " this one holds " + type + ".");
                    }
                    commits = type == org.apache.kafka.common.record.internal.ControlRecordType.COMMIT;
                } catch (RuntimeException e) {
                    if (e instanceof FloeException) {
                        throw e;
                    }
                    throw new FloeException(ErrorCode.INVALID_RECORD, "Malformed control batch: " + e.getMessage());
                }
                return new ProducerRun(b.producerId(), b.producerEpoch(), -1, -1, b.isTransactional(), true, commits);
            }
            if (run == null) {
                run = new ProducerRun(b.producerId(), b.producerEpoch(), b.baseSequence(), b.lastSequence(),
                        b.isTransactional(), false, false);
            } else {
                int expected = run.lastSeq() == Integer.MAX_VALUE ? 0 : run.lastSeq() + 1;
                if (b.producerId() != run.producerId() || b.producerEpoch() != run.epoch()
                        || b.isTransactional() != run.transactional() || b.baseSequence() != expected) {
                    throw new FloeException(ErrorCode.INVALID_RECORD, "Record batch " + index + " does not continue the"
                            + " batches before it in the request (one producer, one epoch, consecutive sequences).");
                }
                run = new ProducerRun(run.producerId(), run.epoch(), run.firstSeq(), b.lastSequence(), run.transactional(),
                        false, false);
            }
            index++;
        }
        return run;
    }

    /**
     * Summary of a run of batches, as the commit needs it; {@code largestBatch} is the size of the largest batch in
     * bytes; {@code minTimestamp} the smallest record timestamp ({@code -1}: no record has one).
     */
    public record Summary(int batchCount, int offsetCount, int recordCount, long maxTimestamp, int sizeInBytes, int largestBatch,
                          long minTimestamp) {
    }

    /**
     * Encodes {@code messages} as one uncompressed v2 batch with base offset 0, no producer id.
     * A null timestamp becomes {@code defaultTimestamp}.
     */
    public static byte[] build(List<Message> messages, long defaultTimestamp) {
        if (messages.isEmpty()) {
            throw new FloeException(ErrorCode.INVALID_RECORD, "A record batch needs at least one record.");
        }
        int estimate = BatchHeader.HEADER_SIZE;
        for (Message m : messages) {
            estimate += 32 + length(m.key()) + length(m.value());
            for (Header h : m.headers()) {
                estimate += 8 + h.key().length() * 3 + length(h.value());
            }
        }
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(estimate), RecordBatch.MAGIC_VALUE_V2,
                Compression.NONE, TimestampType.CREATE_TIME, 0L);
        int i = 0;
        for (Message m : messages) {
            long timestamp = m.timestamp() == null ? defaultTimestamp : m.timestamp();
            if (timestamp < 0 && timestamp != RecordBatch.NO_TIMESTAMP) {
                throw new FloeException(ErrorCode.INVALID_RECORD,
                        "Record " + i + " has timestamp " + timestamp + "; timestamps must be >= 0 (or -1 for none).");
            }
            org.apache.kafka.common.header.Header[] headers = new org.apache.kafka.common.header.Header[m.headers().size()];
            for (int h = 0; h < headers.length; h++) {
                Header header = m.headers().get(h);
                headers[h] = new RecordHeader(header.key(), header.value());
            }
            builder.append(timestamp, m.key(), m.value(), headers);
            i++;
        }
        ByteBuffer built = builder.build().buffer();
        byte[] out = new byte[built.remaining()];
        built.get(out);
        return out;
    }

    private static int length(byte[] b) {
        return b == null ? 0 : b.length;
    }

    /**
     * Validates a run of batches (complete frames, magic 2, CRC, sane lengths) and summarises it.
     * {@code offsetCount} is the sum over batches of {@code lastOffsetDelta + 1}.
     * Throws {@link io.floe.model.FloeException} with {@code INVALID_RECORD} naming the problem
     * ({@code CORRUPT_RECORD} for a batch that fails its CRC).
     * Does not change the buffer's position.
     *
     * <p>Beyond the header checks of {@link BatchHeader#check}, the records of each batch are parsed
     * (and decompressed) once, as Kafka's broker does, so that a batch with a valid CRC but malformed
     * records is refused here rather than failing every consumer later. An empty run is refused.
     */
    public static Summary inspect(ByteBuffer batches) {
        ByteBuffer b = batches.slice(); // big-endian, byte 0 = the caller's position
        int start = 0;
        int limit = b.limit();
        if (start == limit) {
            throw new FloeException(ErrorCode.INVALID_RECORD, "No record batch: the data is empty.");
        }
        int batchCount = 0;
        long offsetCount = 0;
        long recordCount = 0;
        long maxTimestamp = RecordBatch.NO_TIMESTAMP;
        long minTimestamp = Long.MAX_VALUE;
        int largest = 0;
        for (int at = start; at < limit; ) {
            int size = BatchHeader.check(b, at, limit, batchCount);
            largest = Math.max(largest, size);
            minTimestamp = Math.min(minTimestamp, checkRecords(b, at, size, batchCount));
            offsetCount += (long) BatchHeader.lastOffsetDelta(b, at) + 1;
            recordCount += BatchHeader.recordCount(b, at);
            maxTimestamp = Math.max(maxTimestamp, BatchHeader.maxTimestamp(b, at));
            batchCount++;
            at += size;
        }
        if (offsetCount > Integer.MAX_VALUE) {
            throw new FloeException(ErrorCode.INVALID_RECORD,
                    "The " + batchCount + " b span " + offsetCount + " offsets; at most " + Integer.MAX_VALUE + " fit in one append.");
        }
        return new Summary(batchCount, (int) offsetCount, (int) recordCount, maxTimestamp, limit - start, largest,
                minTimestamp == Long.MAX_VALUE ? RecordBatch.NO_TIMESTAMP : minTimestamp);
    }

    /**
     * Parses every record of one header-checked batch; the count and offset deltas must agree with the header.
     * Returns the smallest record timestamp ({@link Long#MAX_VALUE} when none has one).
     */
    private static long checkRecords(ByteBuffer b, int at, int size, int index) {
        MutableRecordBatch batch = batchAt(b, at, size);
        long base = batch.baseOffset();
        long last = base + BatchHeader.lastOffsetDelta(b, at);
        int declared = BatchHeader.recordCount(b, at);
        int count = 0;
        long previous = Long.MIN_VALUE;
        long minTimestamp = Long.MAX_VALUE;
        try (CloseableIterator<Record> records = batch.skipKeyValueIterator(BufferSupplier.NO_CACHING)) {
            while (records.hasNext()) {
                Record r = records.next();
                if (r.offset() < base || r.offset() > last || r.offset() <= previous) {
                    throw invalid(index, at, "has a record with offset delta " + (r.offset() - base)
                            + " outside 0.." + (last - base) + " or not increasing");
                }
                previous = r.offset();
                if (r.timestamp() >= 0) {
                    minTimestamp = Math.min(minTimestamp, r.timestamp());
                }
                count++;
            }
        } catch (FloeException e) {
            throw e;
        } catch (RuntimeException e) {
            throw invalid(index, at, "has malformed records: " + e.getMessage());
        } catch (Error e) {
            rethrowIfFatal(e);
            throw invalid(index, at, "has malformed compressed records: " + e.getMessage());
        }
        if (count != declared) {
            throw invalid(index, at, "declares " + declared + " records but holds " + count);
        }
        return minTimestamp;
    }

    /**
     * Rewrites each batch's base offset in place so that the batches number consecutively from
     * {@code baseOffset} (batch i+1 starts at batch i's base + lastOffsetDelta + 1). Does not touch
     * the CRC (it does not cover the base offset). Does not change the buffer's position.
     */
    public static void assignOffsets(ByteBuffer batches, long baseOffset) {
        ByteBuffer b = batches.slice(); // shares the bytes; big-endian, byte 0 = the caller's position
        int limit = b.limit();
        long next = baseOffset;
        int index = 0;
        for (int at = 0; at < limit; index++) {
            int size = frame(b, at, limit, index, false);
            BatchHeader.baseOffset(b, at, next);
            next += (long) BatchHeader.lastOffsetDelta(b, at) + 1;
            at += size;
        }
    }

    /**
     * The offset after the last batch of a run whose offsets are assigned (base + lastOffsetDelta + 1
     * of the last batch), or -1 for an empty run. A compacted batch may hold no records at all; a
     * reader continues from here, as Kafka consumers do.
     */
    public static long nextOffset(ByteBuffer batches) {
        ByteBuffer b = batches.slice();
        long next = -1;
        for (int at = 0; b.limit() - at >= BatchHeader.HEADER_SIZE; at += BatchHeader.sizeInBytes(b, at)) {
            next = BatchHeader.baseOffset(b, at) + BatchHeader.lastOffsetDelta(b, at) + 1;
        }
        return next;
    }

    /**
     * Stamps every batch of a run with the log append time, as Kafka's broker does for topics with
     * {@code message.timestamp.type=LogAppendTime}: the batch's max timestamp becomes {@code nowMs},
     * its timestamp-type bit says LOG_APPEND_TIME (so every record reads that timestamp), and the
     * CRC is recomputed. In place; the run must have passed {@link #inspect}.
     */
    public static void stampLogAppendTime(ByteBuffer batches, long nowMs) {
        // The batches are views of the same bytes, so the stamp lands in place.
        for (MutableRecordBatch batch : MemoryRecords.readableRecords(batches.duplicate()).batches()) {
            batch.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, nowMs);
        }
    }

    /**
     * The longest prefix of whole batches of a run that fits in {@code maxBytes}, but at least the
     * first batch (as Kafka's fetch: a batch larger than the limit still goes out alone). Returns a
     * slice; the input is not changed.
     */
    public static ByteBuffer upTo(ByteBuffer batches, int maxBytes) {
        ByteBuffer b = batches.duplicate();
        int start = b.position();
        int end = start;
        while (b.limit() - end >= BatchHeader.HEADER_SIZE) {
            int size = BatchHeader.sizeInBytes(b, end);
            if (end > start && end + size - start > maxBytes) {
                break;
            }
            end += size;
        }
        b.limit(end);
        return b.slice();
    }

    /**
     * The batches of a run (offsets assigned) from the one that holds {@code offset} on: whole
     * batches ending before it are dropped, as Kafka's fetch does; the batch holding it is kept
     * whole. Returns a slice; the input is not changed.
     */
    public static ByteBuffer fromOffset(ByteBuffer batches, long offset) {
        ByteBuffer b = batches.duplicate();
        int at = b.position();
        while (b.limit() - at >= BatchHeader.HEADER_SIZE) {
            if (BatchHeader.baseOffset(b, at) + BatchHeader.lastOffsetDelta(b, at) >= offset) {
                break;
            }
            at += BatchHeader.sizeInBytes(b, at);
        }
        b.position(at);
        return b.slice();
    }

    /** The leading batches (offsets assigned) whose base offset is below {@code offset}: a read_committed cut. */
    public static ByteBuffer below(ByteBuffer batches, long offset) {
        ByteBuffer b = batches.duplicate();
        int at = b.position();
        while (b.limit() - at >= BatchHeader.HEADER_SIZE && BatchHeader.baseOffset(b, at) < offset) {
            at += BatchHeader.sizeInBytes(b, at);
        }
        b.limit(at);
        return b.slice();
    }

    /**
     * Decodes (and decompresses) the records of batches whose offsets are already assigned,
     * skipping records below {@code fromOffset}. Control batches are skipped.
     * Stored bytes that do not parse raise {@link CorruptObjectException}.
     */
    public static List<FetchedRecord> decode(int partition, ByteBuffer batches, long fromOffset) {
        return decode(partition, batches, fromOffset, (producerId, baseOffset) -> false);
    }

    /** As {@link #decode(int, ByteBuffer, long)}, also skipping the batches {@code skip(producerId, baseOffset)} names. */
    public static List<FetchedRecord> decode(int partition, ByteBuffer batches, long fromOffset,
                                             java.util.function.BiPredicate<Long, Long> skip) {
        ByteBuffer b = batches.slice();
        List<FetchedRecord> out = new ArrayList<>();
        int limit = b.limit();
        int index = 0;
        for (int at = 0; at < limit; index++) {
            int size = frame(b, at, limit, index, true);
            long last = BatchHeader.baseOffset(b, at) + BatchHeader.lastOffsetDelta(b, at);
            if (!BatchHeader.isControl(b, at) && last >= fromOffset
                    && !skip.test(BatchHeader.producerId(b, at), BatchHeader.baseOffset(b, at))) {
                try {
                    for (Record r : batchAt(b, at, size)) {
                        if (r.offset() >= fromOffset) {
                            out.add(new FetchedRecord(partition, r.offset(), r.timestamp(),
                                    bytes(r.key()), bytes(r.value()), headers(r)));
                        }
                    }
                } catch (FloeException e) {
                    throw e;
                } catch (RuntimeException e) {
                    throw new CorruptObjectException("Batch " + index + " at byte " + at
                            + " of partition " + partition + " does not decode: " + e.getMessage());
                } catch (Error e) {
                    rethrowIfFatal(e);
                    throw new CorruptObjectException("Batch " + index + " at byte " + at
                            + " of partition " + partition + " does not decompress: " + e.getMessage());
                }
            }
            at += size;
        }
        return out;
    }

    /**
     * The offset of the first record whose timestamp is >= {@code timestamp} in batches whose offsets
     * are assigned, or -1 when there is none. Control batches are not considered.
     */
    public static long offsetForTimestamp(ByteBuffer batches, long timestamp) {
        ByteBuffer b = batches.slice();
        int limit = b.limit();
        int index = 0;
        for (int at = 0; at < limit; index++) {
            int size = frame(b, at, limit, index, true);
            if (!BatchHeader.isControl(b, at) && BatchHeader.maxTimestamp(b, at) >= timestamp) {
                try {
                    for (Record r : batchAt(b, at, size)) {
                        if (r.timestamp() >= timestamp) {
                            return r.offset();
                        }
                    }
                } catch (RuntimeException e) {
                    throw new CorruptObjectException("Batch " + index + " at byte " + at
                            + " does not decode: " + e.getMessage());
                } catch (Error e) {
                    rethrowIfFatal(e);
                    throw new CorruptObjectException("Batch " + index + " at byte " + at
                            + " does not decompress: " + e.getMessage());
                }
            }
            at += size;
        }
        return -1;
    }

    /** Checks only the framing of the batch at {@code at} (no CRC) and returns its size. */
    private static int frame(ByteBuffer b, int at, int limit, int index, boolean stored) {
        int available = limit - at;
        String problem = null;
        if (available < BatchHeader.HEADER_SIZE) {
            problem = "is truncated: " + available + " bytes, a batch header needs " + BatchHeader.HEADER_SIZE;
        } else {
            int batchLength = b.getInt(at + BatchHeader.BATCH_LENGTH);
            if (batchLength < BatchHeader.MIN_BATCH_LENGTH || (long) batchLength + BatchHeader.LOG_OVERHEAD > available) {
                problem = "has batchLength " + batchLength + " with " + available + " bytes available";
            } else if (b.get(at + BatchHeader.MAGIC) != BatchHeader.MAGIC_V2) {
                problem = "has magic " + b.get(at + BatchHeader.MAGIC) + ", not 2";
            } else {
                return batchLength + BatchHeader.LOG_OVERHEAD;
            }
        }
        if (stored) {
            throw new CorruptObjectException("Stored batch " + index + " at byte " + at + " " + problem);
        }
        throw invalid(index, at, problem);
    }

    private static MutableRecordBatch batchAt(ByteBuffer b, int at, int size) {
        ByteBuffer slice = b.duplicate().limit(at + size).position(at).slice();
        return MemoryRecords.readableRecords(slice).batches().iterator().next();
    }

    private static byte[] bytes(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static List<Header> headers(Record r) {
        org.apache.kafka.common.header.Header[] hs = r.headers();
        if (hs.length == 0) {
            return List.of();
        }
        List<Header> out = new ArrayList<>(hs.length);
        for (org.apache.kafka.common.header.Header h : hs) {
            out.add(new Header(h.key(), h.value()));
        }
        return List.copyOf(out);
    }

    /**
     * Some codecs report damaged input with an {@link Error} (snappy-java's SnappyError). Those
     * are translated by the caller; errors of the JVM itself (out of memory, stack overflow) and a
     * codec library that fails to load (LinkageError) do not: they are not the data's fault.
     */
    private static void rethrowIfFatal(Error e) {
        if (e instanceof VirtualMachineError || e instanceof LinkageError) {
            throw e;
        }
    }

    static FloeException invalid(int index, int at, String problem) {
        return new FloeException(ErrorCode.INVALID_RECORD, "Record batch " + index + " (at byte " + at + ") " + problem + ".");
    }
}
