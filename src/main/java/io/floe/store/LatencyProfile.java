package io.floe.store;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Named per-request latency distributions of object stores, used by {@link LatencyModelObjectStore} to
 * make a fast local store (radosgw on loopback, files, memory) answer as slowly as a real one. Sources
 * and fitting are in docs/BENCHMARKS.md ("S3 latency model").
 *
 * <p>Each request takes {@code base + bytes / bandwidth}: {@code base} is lognormal (a fixed median and
 * 99th percentile per kind of request, the shape measured request latencies of S3 have: a narrow body
 * and a long right tail), {@code bytes / bandwidth} the transfer time of the request's body at one
 * connection's throughput. For reads {@code base} is the time to first byte.
 *
 * <p>A pure function of its arguments (the random source is passed in). Immutable, thread-safe.
 */
public enum LatencyProfile {
    /** Adds nothing. */
    NONE("none", null, null, null),
    /**
     * S3 Standard, same region: small PUT median 30 ms (p99 120 ms), 40 MB/s per PUT stream (an 8 MiB
     * PUT ≈ 240 ms median, ≈ 330 ms p99); GET first byte median 20 ms (p99 80 ms), 90 MB/s per stream;
     * LIST median 25 ms (p99 100 ms).
     */
    S3_STANDARD("s3-standard", new Dist(30, 120, 40e6), new Dist(20, 80, 90e6), new Dist(25, 100, 0)),
    /**
     * S3 Express One Zone, same zone: "single-digit millisecond" first-byte and write latency — PUT
     * median 5 ms (p99 15 ms), GET first byte median 3 ms (p99 9 ms), LIST median 4 ms (p99 12 ms);
     * 150 MB/s per stream.
     */
    S3_EXPRESS("s3-express", new Dist(5, 15, 150e6), new Dist(3, 9, 150e6), new Dist(4, 12, 0));

    /** The p99 of a standard normal distribution: p99 / median = exp(sigma * Z99) for a lognormal. */
    static final double Z99 = 2.3263478740408408;

    /**
     * A request's latency: lognormal base with this median and 99th percentile (ms), plus the body
     * at {@code bytesPerSecond} (0: size does not matter).
     */
    record Dist(double medianMs, double p99Ms, double bytesPerSecond) {
        Dist {
            if (!(medianMs > 0 && p99Ms >= medianMs && bytesPerSecond >= 0)) {
                throw new IllegalArgumentException("need 0 < median <= p99 and bandwidth >= 0");
            }
        }

        /** The lognormal's sigma. */
        double sigma() {
            return Math.log(p99Ms / medianMs) / Z99;
        }

        Duration draw(long bytes, RandomGenerator random) {
            double baseMs = medianMs * Math.exp(sigma() * random.nextGaussian());
            double transferMs = bytesPerSecond == 0 ? 0 : bytes * 1000.0 / bytesPerSecond;
            return Duration.ofNanos((long) ((baseMs + transferMs) * 1_000_000));
        }
    }

    private final String settingName;
    private final Dist write;
    private final Dist read;
    private final Dist list;

    LatencyProfile(String settingName, Dist write, Dist read, Dist list) {
        this.settingName = settingName;
        this.write = write;
        this.read = read;
        this.list = list;
    }

    /** The name used by the setting {@code floe.s3.latency-model}. */
    public String settingName() {
        return settingName;
    }

    /**
     * The profile named {@code name} ({@code none}, {@code s3-standard}, {@code s3-express}; case and
     * surrounding blanks ignored).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static LatencyProfile named(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (LatencyProfile p : values()) {
            if (p.settingName.equals(n)) {
                return p;
            }
        }
        throw new IllegalArgumentException("'" + name + "': expected one of "
                + String.join(", ", Arrays.stream(values()).map(LatencyProfile::settingName).toList()));
    }

    /**
     * The latency of one request of {@code operation} moving {@code bytes} of body (written, or read
     * back). Draws exactly one Gaussian from {@code random} (none for {@link #NONE}).
     */
    public Duration latency(Operation operation, long bytes, RandomGenerator random) {
        if (this == NONE) {
            return Duration.ZERO;
        }
        return switch (operation) {
            case GET, RANGE_GET -> read.draw(bytes, random);
            case LIST -> list.draw(0, random);
            case DELETE -> write.draw(0, random);
            case PUT, CREATE_IF_ABSENT, REPLACE_IF_MATCH -> write.draw(bytes, random);
        };
    }
}
