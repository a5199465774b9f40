package io.floe.log;

/** Placeholder until the format branch lands its murmur2 partitioner. */
public final class Partitioner {
    private Partitioner() {
    }

    public static int partition(byte[] key, int numPartitions) {
        throw new UnsupportedOperationException("TODO");
    }
}
