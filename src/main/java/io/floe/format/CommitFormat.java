package io.floe.format;

import java.nio.ByteBuffer;
import java.util.List;

/** Encodes and decodes commit objects (versioned, CRC32C-protected). */
public final class CommitFormat {

    private CommitFormat() {
    }

    /**
     * An entry to encode: either it points into the segment ({@code inlineBytes == null}, with
     * {@code segmentPosition} and {@code length}), or it carries its bytes inline.
     */
    public record Draft(int partition, long baseOffset, int offsetCount, long maxTimestamp,
                        long segmentPosition, int length, ByteBuffer inlineBytes) {
    }

    public static byte[] encode(long sequence, String commitId, String writerId, long timestampMs,
                                String segmentKey, List<Draft> entries) {
        throw new UnsupportedOperationException("TODO");
    }

    public static Commit decode(byte[] object) {
        throw new UnsupportedOperationException("TODO");
    }
}
