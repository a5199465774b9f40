package io.floe.format;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A segment: the immutable object one flush writes, holding chunks (runs of batches) of many
 * partitions of many topics, followed by an index so that the object describes itself.
 * Stateless and thread-safe. All integers big-endian; strings are u16 length + UTF-8.
 *
 * <pre>
 * +--------------------------------------------------------------+
 * | header (8 bytes)                                             |
 * |   magic "FLSG" u32 | version u8 = 1 | reserved u8[3] = 0     |
 * +--------------------------------------------------------------+
 * | chunk 0 | chunk 1 | ... | chunk n-1     (back to back, from   |
 * |   byte 8; each a run of RecordBatch v2 batches, CRC-covered   |
 * |   by the batches themselves)                                  |
 * +--------------------------------------------------------------+
 * | index @ indexPosition                                         |
 * |   topicCount u32, topicCount x topicId (u16 len + UTF-8)      |
 * |   n x { topicIndex u32 | partition i32 | position i64 |       |
 * |         length i32 }                      (20 bytes each)     |
 * +--------------------------------------------------------------+
 * | footer (28 bytes, the last bytes of the object)               |
 * |   indexPosition i64 | indexLength i32 | chunkCount i32 |      |
 * |   indexCrc32c u32 | version u8 = 1 | reserved u8[3] = 0 |     |
 * |   footerMagic "FLSX" u32                                      |
 * +--------------------------------------------------------------+
 * </pre>
 *
 * The index de-duplicates topic ids (a flush usually touches many partitions of a few topics).
 * {@link #readIndex} validates from the tail: footer magic and version, index bounds, index CRC,
 * then that the chunks tile the bytes between the header and the index exactly.
 */
public final class SegmentFormat {

    static final int MAGIC = 0x464C5347; // "FLSG"
    static final int FOOTER_MAGIC = 0x464C5358; // "FLSX"
    static final int VERSION = 1;
    static final int HEADER_SIZE = 8;
    static final int FOOTER_SIZE = 28;
    static final int INDEX_ENTRY_SIZE = 20;

    private SegmentFormat() {
    }

    /** One partition's bytes in a flush: {@code parts} written one after the other (not copied first). */
    public record Chunk(String topicId, int partition, List<ByteBuffer> parts) {
        public Chunk {
            parts = List.copyOf(parts);
        }

        public Chunk(String topicId, int partition, ByteBuffer bytes) {
            this(topicId, partition, List.of(bytes));
        }

        /** The parts concatenated (a copy when there are several). */
        public ByteBuffer bytes() {
            if (parts.size() == 1) {
                return parts.get(0).duplicate();
            }
            ByteBuffer all = ByteBuffer.allocate(length());
            parts.forEach(p -> all.put(p.duplicate()));
            return all.flip();
        }

        int length() {
            int n = 0;
            for (ByteBuffer b : parts) {
                n += b.remaining();
            }
            return n;
        }
    }

    /** Where a chunk landed in the encoded object. */
    public record Located(String topicId, int partition, long position, int length) {
    }

    public record Encoded(byte[] bytes, List<Located> chunks) {
    }

    /** Encodes the chunks; {@code Encoded.chunks} is in the order of the input. */
    public static Encoded encode(List<Chunk> chunks) {
        // The exact size, so that the object is written into one array and handed out without a copy.
        long total = HEADER_SIZE + 4 + FOOTER_SIZE;
        java.util.Set<String> distinct = new java.util.HashSet<>();
        for (Chunk c : chunks) {
            total += (long) c.length() + INDEX_ENTRY_SIZE;
            if (c.topicId() != null && distinct.add(c.topicId())) {
                total += 2 + c.topicId().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            }
        }
        if (total > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("A segment of " + total + " bytes does not fit in one object (2 GiB max).");
        }
        ObjectWriter w = new ObjectWriter((int) total);
        w.i32(MAGIC).u8(VERSION).u8(0).u8(0).u8(0);
        List<Located> located = new ArrayList<>(chunks.size());
        Map<String, Integer> topicIndex = new HashMap<>();
        List<String> topics = new ArrayList<>();
        for (Chunk c : chunks) {
            if (c.topicId() == null) {
                throw new IllegalArgumentException("Chunk of partition " + c.partition() + " has no topic id.");
            }
            if (topicIndex.putIfAbsent(c.topicId(), topics.size()) == null) {
                topics.add(c.topicId());
            }
            int position = w.position();
            for (ByteBuffer part : c.parts()) {
                w.bytes(part);
            }
            located.add(new Located(c.topicId(), c.partition(), position, w.position() - position));
        }
        int indexPosition = w.position();
        w.i32(topics.size());
        for (String t : topics) {
            w.string(t, "topic id");
        }
        for (Located l : located) {
            w.i32(topicIndex.get(l.topicId())).i32(l.partition()).i64(l.position()).i32(l.length());
        }
        int indexLength = w.position() - indexPosition;
        int indexCrc = w.crc32c(indexPosition, indexLength);
        w.i64(indexPosition).i32(indexLength).i32(located.size()).i32(indexCrc)
                .u8(VERSION).u8(0).u8(0).u8(0).i32(FOOTER_MAGIC);
        return new Encoded(w.toByteArray(), List.copyOf(located));
    }

    /** Reads and validates the index of a whole segment object. */
    public static List<Located> readIndex(byte[] object) {
        ObjectReader r = new ObjectReader(object, "Segment");
        if (object.length < HEADER_SIZE + FOOTER_SIZE) {
            throw r.corrupt("truncated: " + object.length + " bytes, the smallest segment is " + (HEADER_SIZE + FOOTER_SIZE));
        }
        r.expectMagic(MAGIC, "header magic");
        checkVersion(r, "header version");
        int footerAt = object.length - FOOTER_SIZE;
        r.position(footerAt);
        long indexPosition = r.i64("index position");
        int indexLength = r.i32("index length");
        int chunkCount = r.i32("chunk count");
        int indexCrc = r.i32("index CRC");
        checkVersion(r, "footer version");
        r.position(object.length - 4);
        r.expectMagic(FOOTER_MAGIC, "footer magic");
        if (indexPosition < HEADER_SIZE || indexLength < 4 || indexPosition + indexLength != footerAt) {
            throw r.corrupt("footer places the index at " + indexPosition + " with length " + indexLength
                    + ", but it must end where the footer starts (" + footerAt + ")");
        }
        int actualCrc = ObjectWriter.crc32c(object, (int) indexPosition, indexLength);
        if (actualCrc != indexCrc) {
            throw r.corrupt("index CRC-32C mismatch: stored 0x" + Integer.toHexString(indexCrc)
                    + ", computed 0x" + Integer.toHexString(actualCrc));
        }
        r.position((int) indexPosition);
        r.limit(footerAt);
        int topicCount = r.count("topic count", 2);
        String[] topics = new String[topicCount];
        for (int i = 0; i < topicCount; i++) {
            topics[i] = r.string("topic id " + i);
        }
        if (chunkCount < 0 || (long) chunkCount * INDEX_ENTRY_SIZE != r.remaining()) {
            throw r.corrupt("footer says " + chunkCount + " chunks but the index has " + r.remaining()
                    + " bytes of entries (" + INDEX_ENTRY_SIZE + " each)");
        }
        List<Located> out = new ArrayList<>(chunkCount);
        long expected = HEADER_SIZE;
        for (int i = 0; i < chunkCount; i++) {
            int t = r.i32("topic index of chunk " + i);
            int partition = r.i32("partition of chunk " + i);
            long position = r.i64("position of chunk " + i);
            int length = r.i32("length of chunk " + i);
            if (t < 0 || t >= topicCount) {
                throw r.corrupt("chunk " + i + " names topic " + t + " of " + topicCount);
            }
            if (position != expected || length < 0 || position + length > indexPosition) {
                throw r.corrupt("chunk " + i + " at " + position + " with length " + length
                        + " does not follow the previous chunk (expected at " + expected + ") within the data ending at " + indexPosition);
            }
            expected = position + length;
            out.add(new Located(topics[t], partition, position, length));
        }
        if (expected != indexPosition) {
            throw r.corrupt("chunks end at " + expected + " but the index starts at " + indexPosition);
        }
        return List.copyOf(out);
    }

    private static void checkVersion(ObjectReader r, String field) {
        int version = r.u8(field);
        if (version != VERSION) {
            throw r.corrupt("unsupported " + field + " " + version + " (this Floe reads version " + VERSION + ")");
        }
    }
}
