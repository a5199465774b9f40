package io.floe.log;

/**
 * Kafka's default partitioner for keyed records, so that a key lands on the same partition
 * whether it is produced through Floe's REST API or by a Kafka client:
 * {@code toPositive(murmur2(key)) % numPartitions}. Stateless and thread-safe.
 */
public final class Partitioner {

    private static final int SEED = 0x9747b28c;
    private static final int M = 0x5bd1e995;
    private static final int R = 24;

    private Partitioner() {
    }

    /** The partition of a non-null key among {@code numPartitions} (>= 1). */
    public static int partition(byte[] key, int numPartitions) {
        if (key == null) {
            throw new IllegalArgumentException("A null key has no partition; spread keyless records instead.");
        }
        if (numPartitions < 1) {
            throw new IllegalArgumentException("numPartitions must be >= 1, got " + numPartitions + ".");
        }
        return toPositive(murmur2(key)) % numPartitions;
    }

    /** Kafka's murmur2 (32-bit MurmurHash2, seed 0x9747b28c, little-endian 4-byte blocks). */
    static int murmur2(byte[] data) {
        int length = data.length;
        int h = SEED ^ length;
        int blocks = length / 4;
        for (int i = 0; i < blocks; i++) {
            int i4 = i * 4;
            int k = (data[i4] & 0xff) + ((data[i4 + 1] & 0xff) << 8) + ((data[i4 + 2] & 0xff) << 16) + ((data[i4 + 3] & 0xff) << 24);
            k *= M;
            k ^= k >>> R;
            k *= M;
            h *= M;
            h ^= k;
        }
        int tail = blocks * 4;
        switch (length % 4) {
            case 3:
                h ^= (data[tail + 2] & 0xff) << 16;
                // fall through
            case 2:
                h ^= (data[tail + 1] & 0xff) << 8;
                // fall through
            case 1:
                h ^= data[tail] & 0xff;
                h *= M;
                break;
            default:
                break;
        }
        h ^= h >>> 13;
        h *= M;
        h ^= h >>> 15;
        return h;
    }

    /** Kafka's toPositive: clears the sign bit (not Math.abs, which keeps MIN_VALUE negative). */
    static int toPositive(int n) {
        return n & 0x7fffffff;
    }
}
