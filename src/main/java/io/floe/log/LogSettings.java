package io.floe.log;

import java.time.Duration;

/**
 * Tunables of the log engine, as plain values (the runtime maps {@code floe.*} settings to this).
 *
 * @param instanceId        names this engine in the objects it writes (debugging, segment keys)
 * @param linger            how long a flush waits for more records once the first one is buffered
 * @param flushBytes        flush as soon as this many bytes are buffered
 * @param flushRecords      flush as soon as this many records are buffered
 * @param inlineBytes       a flush at most this large carries its data inside the commit (one PUT)
 * @param maxBufferedBytes  producers wait (backpressure) while this many bytes await a flush
 * @param cacheBytes        weight budget of the segment-range cache
 * @param pollInterval      how often a waiting fetch looks for commits of other instances
 * @param checkpointEvery   write a checkpoint after every this many commits of a topic
 * @param metadataMaxAge    how long topic metadata read from the bucket is trusted
 * @param backgroundThreads whether the engine runs its own flush/poll timers (false in simulation:
 *                          the caller drives {@link LogEngine#flushNow()})
 * @param flushMaxInFlight  flushes whose segment PUTs may overlap (only a full buffer starts a
 *                          second one; commits stay in order)
 */
public record LogSettings(
        String instanceId,
        Duration linger,
        int flushBytes,
        int flushRecords,
        int inlineBytes,
        long maxBufferedBytes,
        long cacheBytes,
        Duration pollInterval,
        int checkpointEvery,
        Duration metadataMaxAge,
        boolean backgroundThreads,
        int flushMaxInFlight) {

    public static final int DEFAULT_FLUSH_MAX_IN_FLIGHT = 3;

    /** As the canonical constructor, with the default number of overlapping flushes. */
    public LogSettings(String instanceId, Duration linger, int flushBytes, int flushRecords, int inlineBytes,
                       long maxBufferedBytes, long cacheBytes, Duration pollInterval, int checkpointEvery,
                       Duration metadataMaxAge, boolean backgroundThreads) {
        this(instanceId, linger, flushBytes, flushRecords, inlineBytes, maxBufferedBytes, cacheBytes, pollInterval,
                checkpointEvery, metadataMaxAge, backgroundThreads, DEFAULT_FLUSH_MAX_IN_FLIGHT);
    }

    public static LogSettings defaults(String instanceId) {
        return new LogSettings(instanceId, Duration.ofMillis(10), 8 << 20, 100_000, 1 << 20, 64L << 20,
                128L << 20, Duration.ofMillis(100), 64, Duration.ofSeconds(10), true, DEFAULT_FLUSH_MAX_IN_FLIGHT);
    }

    public LogSettings withBackgroundThreads(boolean on) {
        return new LogSettings(instanceId, linger, flushBytes, flushRecords, inlineBytes, maxBufferedBytes,
                cacheBytes, pollInterval, checkpointEvery, metadataMaxAge, on, flushMaxInFlight);
    }
}
