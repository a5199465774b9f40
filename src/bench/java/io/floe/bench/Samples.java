package io.floe.bench;

import java.util.Arrays;

/** Latency samples in nanoseconds and their percentiles. Thread-safe (synchronized). */
final class Samples {

    private long[] values = new long[1024];
    private int size;

    synchronized void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    synchronized void clear() {
        size = 0;
    }

    synchronized int count() {
        return size;
    }

    synchronized long sumNanos() {
        long s = 0;
        for (int i = 0; i < size; i++) {
            s += values[i];
        }
        return s;
    }

    /** The {@code q}-quantile (0..1) in milliseconds, by the nearest-rank method; NaN when empty. */
    synchronized double millis(double q) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * size);
        return sorted[Math.max(0, Math.min(size - 1, rank - 1))] / 1e6;
    }

    synchronized double meanMillis() {
        return size == 0 ? Double.NaN : sumNanos() / 1e6 / size;
    }

    /** "p50 a / p99 b / p99.9 c / max d ms (n samples)". */
    String summary() {
        return String.format("p50 %.1f / p99 %.1f / p99.9 %.1f / max %.1f ms (n=%d)",
                millis(0.50), millis(0.99), millis(0.999), millis(1.0), count());
    }
}
