package io.floe.format;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A segment: the immutable object one flush writes, holding chunks (runs of batches) of many
 * partitions of many topics, followed by an index so that the object describes itself.
 * Layout in the class Javadoc of the implementation and in docs/FORMAT.md.
 */
public final class SegmentFormat {

    private SegmentFormat() {
    }

    /** One partition's bytes in a flush. */
    public record Chunk(String topicId, int partition, ByteBuffer bytes) {
    }

    /** Where a chunk landed in the encoded object. */
    public record Located(String topicId, int partition, long position, int length) {
    }

    public record Encoded(byte[] bytes, List<Located> chunks) {
    }

    /** Encodes the chunks; {@code Encoded.chunks} is in the order of the input. */
    public static Encoded encode(List<Chunk> chunks) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Reads and validates the index of a whole segment object. */
    public static List<Located> readIndex(byte[] object) {
        throw new UnsupportedOperationException("TODO");
    }
}
