package io.floe.format;

/**
 * Where a run of one partition's committed batches lives: offsets
 * {@code [baseOffset, baseOffset + offsetCount)} are the {@code length} bytes at {@code position}
 * of object {@code objectKey} (a segment, or a commit object that carries its data inline).
 * The stored batches have placeholder base offsets; readers assign them from {@code baseOffset}.
 */
public record IndexEntry(long baseOffset, int offsetCount, long maxTimestamp, String objectKey, long position, int length) {

    public long nextOffset() {
        return baseOffset + offsetCount;
    }
}
