package io.floe.log;

/**
 * What the engine tells a listener as it works, for metrics: records and bytes acknowledged to
 * producers and delivered to consumers per topic, the size of each flush object, the time each
 * topic commit took. The engine calls it on its own threads, after the work is done; a listener
 * must be thread-safe and quick, and must not throw. Plain values only: the runtime binds them to
 * Micrometer ({@code io.floe.runtime.LogMetrics}), so that the engine imports no metrics library.
 */
public interface LogEvents {

    /** A listener that ignores everything (the default). */
    LogEvents NONE = new LogEvents() {
    };

    /** {@code records} records of {@code bytes} bytes (record batches) committed and acknowledged. */
    default void produced(String topic, long records, long bytes) {
    }

    /** A fetch delivered {@code records} offsets in {@code bytes} bytes of record batches. */
    default void fetched(String topic, long records, long bytes) {
    }

    /** One flush wrote an object of {@code bytes} bytes: a segment, or a commit carrying its records inline. */
    default void flushObject(long bytes) {
    }

    /** One topic's commit of a flush took {@code nanos}, retries included (failed commits too). */
    default void commitTook(String topic, long nanos, boolean failed) {
    }

    /** A fetch read one index entry's bytes: from the segment cache ({@code hit}) or from the store. */
    default void cacheRead(boolean hit) {
    }
}
