package io.floe.format;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes commit objects (versioned, CRC32C-protected). Stateless and thread-safe.
 * All integers big-endian; strings are u16 length + UTF-8, length 0xFFFF meaning null.
 *
 * <pre>
 * +------------------------------------------------------------------+
 * | magic "FLCM" u32 | version u8 = 1                                 |
 * | sequence i64 | timestampMs i64                                   |
 * | commitId str | writerId str | segmentKey str (null: all inline)   |
 * | entryCount u32 | inlineLength u32                                 |
 * +------------------------------------------------------------------+
 * | entryCount x entry (37 bytes each)                               |
 * |   partition i32 | baseOffset i64 | offsetCount i32 |             |
 * |   maxTimestamp i64 | flags u8 (bit 0: inline) | position i64 |   |
 * |   length i32                                                     |
 * +------------------------------------------------------------------+
 * | inline data: inlineLength bytes, the inline entries' batches     |
 * |   back to back in entry order                                    |
 * +------------------------------------------------------------------+
 * | version 2 only: controls (see below)                             |
 * +------------------------------------------------------------------+
 * | crc32c u32 of every byte before it                               |
 * +------------------------------------------------------------------+
 * </pre>
 *
 * Version 2 adds {@code controlCount u32} after {@code inlineLength} in the header and, between the
 * inline data and the CRC, {@code controlCount} control records:
 *
 * <pre>
 *   kind u8 = 1 (TRUNCATE) | partition i32 | newLogStartOffset i64
 *   kind u8 = 2 (REPLACE)  | partition i32 | fromOffset i64 | toOffset i64 | cleanedUpTo i64 |
 *                            newEntryCount u32 | newEntryCount x { baseOffset i64 | offsetCount i32 |
 *                            maxTimestamp i64 | objectKey str | position i64 | length i32 }
 * </pre>
 *
 * A commit without controls is written as version 1, byte for byte as before; both versions decode.
 *
 * Version 3 (a commit holding batches of producers with an id: idempotent, transactional, markers)
 * has the version 2 layout plus {@code producerBatchCount u32} after {@code controlCount} and,
 * after the controls, that many producer batches (39 bytes each):
 *
 * <pre>
 *   partition i32 | baseOffset i64 | lastOffset i64 | producerId i64 | epoch i16 |
 *   firstSeq i32 | lastSeq i32 | kind u8 (0 IDEMPOTENT, 1 TRANSACTIONAL, 2 COMMIT_MARKER, 3 ABORT_MARKER)
 * </pre>
 *
 * An entry's {@code position} is absolute within the object that holds its bytes: the segment
 * named by {@code segmentKey}, or for inline entries this commit object itself. So a ranged GET of
 * the commit object (or a slice of its bytes) at {@code [position, position + length)} yields
 * exactly that entry's batches, and readers need not know this layout.
 */
public final class CommitFormat {

    static final int MAGIC = 0x464C434D; // "FLCM"
    static final int VERSION = 1;
    static final int VERSION_WITH_CONTROLS = 2;
    static final int VERSION_WITH_PRODUCERS = 3;
    static final int PRODUCER_BATCH_SIZE = 39;
    static final int KIND_TRUNCATE = 1;
    static final int KIND_REPLACE = 2;
    static final int ENTRY_SIZE = 37;
    static final int FLAG_INLINE = 0x01;
    /** magic, version, sequence, timestamp, three empty strings, entryCount, inlineLength, crc. */
    static final int MIN_SIZE = 4 + 1 + 8 + 8 + 3 * 2 + 4 + 4 + 4;

    private CommitFormat() {
    }

    /**
     * An entry to encode: either it points into the segment ({@code inlineBytes == null}, with
     * {@code segmentPosition} and {@code length}), or it carries its bytes inline
     * (its remaining bytes; {@code segmentPosition} and {@code length} are then ignored).
     */
    public record Draft(int partition, long baseOffset, int offsetCount, long maxTimestamp,
                        long segmentPosition, int length, ByteBuffer inlineBytes) {
    }

    public static byte[] encode(long sequence, String commitId, String writerId, long timestampMs,
                                String segmentKey, List<Draft> entries) {
        return encode(sequence, commitId, writerId, timestampMs, segmentKey, entries, List.of());
    }

    /** Encodes a commit; with controls it is version 2, without version 1. */
    public static byte[] encode(long sequence, String commitId, String writerId, long timestampMs,
                                String segmentKey, List<Draft> entries, List<Commit.Control> controls) {
        return encode(sequence, commitId, writerId, timestampMs, segmentKey, entries, controls, List.of());
    }

    /** Encodes a commit; with producer batches it is version 3, else with controls 2, else 1. */
    public static byte[] encode(long sequence, String commitId, String writerId, long timestampMs,
                                String segmentKey, List<Draft> entries, List<Commit.Control> controls,
                                List<Commit.ProducerBatch> producerBatches) {
        boolean v3 = !producerBatches.isEmpty();
        byte[] controlBytes = controls.isEmpty() && !v3 ? null : encodeControls(controls);
        int producerBytes = PRODUCER_BATCH_SIZE * producerBatches.size();
        if (commitId == null || writerId == null) {
            throw new IllegalArgumentException("A commit needs a commitId and a writerId.");
        }
        byte[] commitIdBytes = ObjectWriter.utf8(commitId, "commitId");
        byte[] writerIdBytes = ObjectWriter.utf8(writerId, "writerId");
        byte[] segmentKeyBytes = segmentKey == null ? null : ObjectWriter.utf8(segmentKey, "segmentKey");
        long inlineLength = 0;
        for (Draft d : entries) {
            if (d.inlineBytes() != null) {
                inlineLength += d.inlineBytes().remaining();
            } else if (segmentKey == null) {
                throw new IllegalArgumentException("Entry of partition " + d.partition() + " points into a segment but segmentKey is null.");
            }
        }
        long headerSize = 4 + 1 + 8 + 8 + 2 + commitIdBytes.length + 2 + writerIdBytes.length
                + 2 + (segmentKeyBytes == null ? 0 : segmentKeyBytes.length) + 4 + 4 + (long) ENTRY_SIZE * entries.size()
                + (controlBytes == null ? 0 : 4) + (v3 ? 4 : 0);
        long total = headerSize + inlineLength + (controlBytes == null ? 0 : controlBytes.length) + producerBytes + 4;
        if (total > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("A commit of " + total + " bytes does not fit in one object.");
        }
        ObjectWriter w = new ObjectWriter((int) total);
        w.i32(MAGIC).u8(v3 ? VERSION_WITH_PRODUCERS : controlBytes == null ? VERSION : VERSION_WITH_CONTROLS)
                .i64(sequence).i64(timestampMs);
        w.i16(commitIdBytes.length).bytes(commitIdBytes);
        w.i16(writerIdBytes.length).bytes(writerIdBytes);
        if (segmentKeyBytes == null) {
            w.i16(ObjectWriter.NULL_STRING);
        } else {
            w.i16(segmentKeyBytes.length).bytes(segmentKeyBytes);
        }
        w.i32(entries.size()).i32((int) inlineLength);
        if (controlBytes != null) {
            w.i32(controls.size());
        }
        if (v3) {
            w.i32(producerBatches.size());
        }
        long inlinePosition = headerSize;
        for (Draft d : entries) {
            boolean inline = d.inlineBytes() != null;
            int length = inline ? d.inlineBytes().remaining() : d.length();
            long position = inline ? inlinePosition : d.segmentPosition();
            w.i32(d.partition()).i64(d.baseOffset()).i32(d.offsetCount()).i64(d.maxTimestamp())
                    .u8(inline ? FLAG_INLINE : 0).i64(position).i32(length);
            if (inline) {
                inlinePosition += length;
            }
        }
        for (Draft d : entries) {
            if (d.inlineBytes() != null) {
                w.bytes(d.inlineBytes());
            }
        }
        if (controlBytes != null) {
            w.bytes(controlBytes);
        }
        for (Commit.ProducerBatch b : producerBatches) {
            w.i32(b.partition()).i64(b.baseOffset()).i64(b.lastOffset()).i64(b.producerId()).i16(b.epoch())
                    .i32(b.firstSeq()).i32(b.lastSeq()).u8(b.kind().ordinal());
        }
        return w.crc32cOfAll().toByteArray();
    }

    private static byte[] encodeControls(List<Commit.Control> controls) {
        long size = 0;
        for (Commit.Control c : controls) {
            size += 1 + 4 + 8;
            if (c instanceof Commit.Replace r) {
                size += 8 + 8 + 4;
                for (IndexEntry e : r.entries()) {
                    size += 8 + 4 + 8 + 2 + 3L * e.objectKey().length() + 8 + 4;
                }
            }
        }
        ObjectWriter w = new ObjectWriter((int) Math.min(size, Integer.MAX_VALUE - 64));
        for (Commit.Control c : controls) {
            switch (c) {
                case Commit.Truncate t -> w.u8(KIND_TRUNCATE).i32(t.partition()).i64(t.newLogStartOffset());
                case Commit.Replace r -> {
                    w.u8(KIND_REPLACE).i32(r.partition()).i64(r.fromOffset()).i64(r.toOffset()).i64(r.cleanedUpTo())
                            .i32(r.entries().size());
                    for (IndexEntry e : r.entries()) {
                        w.i64(e.baseOffset()).i32(e.offsetCount()).i64(e.maxTimestamp()).string(e.objectKey(), "objectKey")
                                .i64(e.position()).i32(e.length());
                    }
                }
            }
        }
        return w.toByteArray();
    }

    /** Decodes and validates a whole commit object; throws {@link CorruptObjectException} naming the problem. */
    public static Commit decode(byte[] object) {
        ObjectReader r = new ObjectReader(object, "Commit object");
        r.expectMagic(MAGIC, "magic");
        int version = r.u8("version");
        if (version != VERSION && version != VERSION_WITH_CONTROLS && version != VERSION_WITH_PRODUCERS) {
            throw r.corrupt("unsupported version " + version + " (this Floe reads versions " + VERSION + " to "
                    + VERSION_WITH_PRODUCERS + ")");
        }
        r.checkTrailingCrc32c(MIN_SIZE);
        long sequence = r.i64("sequence");
        long timestampMs = r.i64("timestampMs");
        String commitId = r.string("commitId");
        String writerId = r.string("writerId");
        String segmentKey = r.nullableString("segmentKey");
        int entryCount = r.count("entry count", ENTRY_SIZE);
        int inlineLength = r.i32("inline length");
        int controlCount = version >= VERSION_WITH_CONTROLS ? r.count("control count", 13) : 0;
        int producerCount = version >= VERSION_WITH_PRODUCERS ? r.count("producer batch count", PRODUCER_BATCH_SIZE) : 0;
        long dataStart = r.position() + (long) ENTRY_SIZE * entryCount;
        int crcAt = object.length - 4;
        if (sequence < 0) {
            throw r.corrupt("negative sequence " + sequence);
        }
        boolean v1 = version == VERSION;
        if (inlineLength < 0 || (v1 ? dataStart + inlineLength != crcAt : dataStart + inlineLength > crcAt)) {
            throw r.corrupt("inline length " + inlineLength + " after " + entryCount + " entries ending at " + dataStart
                    + " does not reach the CRC at " + crcAt);
        }
        List<Commit.Entry> entries = new ArrayList<>(entryCount);
        long nextInline = dataStart;
        int inlineEnd = (int) (dataStart + inlineLength);
        for (int i = 0; i < entryCount; i++) {
            int partition = r.i32("partition of entry " + i);
            long baseOffset = r.i64("baseOffset of entry " + i);
            int offsetCount = r.i32("offsetCount of entry " + i);
            long maxTimestamp = r.i64("maxTimestamp of entry " + i);
            int flags = r.u8("flags of entry " + i);
            long position = r.i64("position of entry " + i);
            int length = r.i32("length of entry " + i);
            if (partition < 0 || baseOffset < 0 || offsetCount < 0 || baseOffset + offsetCount < 0) {
                throw r.corrupt("entry " + i + " has partition " + partition + ", baseOffset " + baseOffset
                        + ", offsetCount " + offsetCount + "; none may be negative");
            }
            if ((flags & ~FLAG_INLINE) != 0) {
                throw r.corrupt("entry " + i + " has unknown flags 0x" + Integer.toHexString(flags));
            }
            boolean inline = (flags & FLAG_INLINE) != 0;
            if (length < 0 || position < 0) {
                throw r.corrupt("entry " + i + " has position " + position + " and length " + length + "; neither may be negative");
            }
            if (inline) {
                if (position != nextInline || position + length > inlineEnd) {
                    throw r.corrupt("inline entry " + i + " at " + position + " with length " + length
                            + " does not follow the previous inline bytes (expected at " + nextInline + ", data ends at " + inlineEnd + ")");
                }
                nextInline += length;
            } else if (segmentKey == null) {
                throw r.corrupt("entry " + i + " points into a segment but the commit names no segment");
            }
            entries.add(new Commit.Entry(partition, baseOffset, offsetCount, maxTimestamp, inline, position, length));
        }
        if (nextInline != inlineEnd) {
            throw r.corrupt("inline entries cover bytes up to " + nextInline + " but the inline data ends at " + inlineEnd);
        }
        r.position(inlineEnd);
        r.limit(crcAt);
        List<Commit.Control> controls = new ArrayList<>(controlCount);
        for (int i = 0; i < controlCount; i++) {
            controls.add(decodeControl(r, i));
        }
        List<Commit.ProducerBatch> producers = new ArrayList<>(producerCount);
        for (int i = 0; i < producerCount; i++) {
            producers.add(decodeProducerBatch(r, i));
        }
        r.expectEnd(producerCount > 0 ? "the last producer batch" : "the last control");
        return new Commit(sequence, commitId, writerId, timestampMs, segmentKey, entries, controls, producers);
    }

    private static Commit.ProducerBatch decodeProducerBatch(ObjectReader r, int i) {
        int partition = r.i32("partition of producer batch " + i);
        long base = r.i64("baseOffset of producer batch " + i);
        long last = r.i64("lastOffset of producer batch " + i);
        long producerId = r.i64("producerId of producer batch " + i);
        short epoch = (short) r.u16("epoch of producer batch " + i);
        int firstSeq = r.i32("firstSeq of producer batch " + i);
        int lastSeq = r.i32("lastSeq of producer batch " + i);
        int kind = r.u8("kind of producer batch " + i);
        if (partition < 0 || base < 0 || last < base || producerId < 0 || kind >= Commit.BatchKind.values().length) {
            throw r.corrupt("producer batch " + i + " has partition " + partition + ", offsets [" + base + ", " + last
                    + "], producer id " + producerId + ", kind " + kind + "; expected non-negative values, base <= last"
                    + " and a kind below " + Commit.BatchKind.values().length);
        }
        return new Commit.ProducerBatch(partition, base, last, producerId, epoch, firstSeq, lastSeq,
                Commit.BatchKind.values()[kind]);
    }

    private static Commit.Control decodeControl(ObjectReader r, int i) {
        int kind = r.u8("kind of control " + i);
        int partition = r.i32("partition of control " + i);
        if (partition < 0) {
            throw r.corrupt("control " + i + " has negative partition " + partition);
        }
        if (kind == KIND_TRUNCATE) {
            long start = r.i64("newLogStartOffset of control " + i);
            if (start < 0) {
                throw r.corrupt("control " + i + " truncates to negative offset " + start);
            }
            return new Commit.Truncate(partition, start);
        }
        if (kind != KIND_REPLACE) {
            throw r.corrupt("control " + i + " has unknown kind " + kind);
        }
        long from = r.i64("fromOffset of control " + i);
        long to = r.i64("toOffset of control " + i);
        long cleanedUpTo = r.i64("cleanedUpTo of control " + i);
        int n = r.count("entry count of control " + i, 8 + 4 + 8 + 2 + 8 + 4);
        if (from < 0 || to < from || cleanedUpTo < -1) {
            throw r.corrupt("control " + i + " replaces [" + from + ", " + to + ") with cleanedUpTo " + cleanedUpTo
                    + "; expected 0 <= from <= to and cleanedUpTo >= -1");
        }
        List<IndexEntry> entries = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            long base = r.i64("baseOffset");
            int count = r.i32("offsetCount");
            long maxTs = r.i64("maxTimestamp");
            String key = r.string("objectKey");
            long position = r.i64("position");
            int length = r.i32("length");
            if (base < 0 || count < 0 || position < 0 || length < 0) {
                throw r.corrupt("entry " + k + " of control " + i + " has a negative baseOffset, offsetCount, position or length");
            }
            entries.add(new IndexEntry(base, count, maxTs, key, position, length));
        }
        return new Commit.Replace(partition, from, to, entries, cleanedUpTo);
    }
}
