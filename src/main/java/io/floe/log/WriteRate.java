package io.floe.log;

/**
 * The rate at which bytes were appended over the last second, from ten buckets of 100 ms. Pure: the
 * caller passes the time. Not thread-safe (the write buffer calls it under its lock).
 */
final class WriteRate {

    static final int BUCKETS = 10;
    static final long BUCKET_MS = 100;

    private final long[] bytes = new long[BUCKETS];
    /** The bucket number (time / BUCKET_MS) each slot holds; a slot of an older number counts as empty. */
    private final long[] bucketOf = new long[BUCKETS];

    WriteRate() {
        java.util.Arrays.fill(bucketOf, Long.MIN_VALUE);
    }

    void add(long appended, long nowMs) {
        long bucket = Math.floorDiv(nowMs, BUCKET_MS);
        int slot = (int) Math.floorMod(bucket, BUCKETS);
        if (bucketOf[slot] != bucket) {
            bucketOf[slot] = bucket;
            bytes[slot] = 0;
        }
        bytes[slot] += appended;
    }

    /** Bytes appended per second over the second up to {@code nowMs}. */
    long bytesPerSecond(long nowMs) {
        long current = Math.floorDiv(nowMs, BUCKET_MS);
        long sum = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (bucketOf[i] > current - BUCKETS && bucketOf[i] <= current) {
                sum += bytes[i];
            }
        }
        return sum * 1000 / (BUCKETS * BUCKET_MS);
    }
}
