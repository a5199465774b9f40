package io.floe.format;

/** Encodes and decodes checkpoint objects (versioned, CRC32C-protected, object keys de-duplicated). */
public final class CheckpointFormat {

    private CheckpointFormat() {
    }

    public static byte[] encode(Checkpoint checkpoint) {
        throw new UnsupportedOperationException("TODO");
    }

    public static Checkpoint decode(byte[] object) {
        throw new UnsupportedOperationException("TODO");
    }
}
