package io.floe.log;

import org.apache.kafka.common.utils.Utils;

/**
 * Kafka's default partitioner for keyed records, so that a key lands on the same partition
 * whether it is produced through Floe's REST API or by a Kafka client:
 * {@code toPositive(murmur2(key)) % numPartitions}, computed with kafka-clients' own {@link Utils}.
 * Stateless and thread-safe.
 */
public final class Partitioner {

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
        return Utils.toPositive(Utils.murmur2(key)) % numPartitions;
    }
}
