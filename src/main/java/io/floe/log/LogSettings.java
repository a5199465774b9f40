package io.floe.log;

import java.time.Duration;

/**
 * Tunables of the log engine, as plain values. The runtime maps {@code floe.*} settings to this and
 * checks the values (io.floe.runtime.FloeSettings); the defaults are FloeConfig's.
 *
 * @param instanceId        names this engine in the objects it writes (debugging, segment keys)
 * @param linger            how long a flush waits for more records once the first one is buffered
 * @param flushBytes        flush as soon as this many bytes are buffered
 * @param flushRecords      flush as soon as this many records are buffered
 * @param inlineBytes       a flush at most this large carries its data inside the commit (one PUT)
 * @param maxBufferedBytes  while this many bytes await a flush or its commit, produce requests are refused as
 *                          unavailable (retriable: Kafka clients retry, REST answers 503)
 * @param cacheBytes        weight budget of the segment-range cache
 * @param pollInterval      how often a waiting fetch looks for commits of other instances
 * @param checkpointEvery   write a checkpoint after every this many commits of a topic
 * @param metadataMaxAge    how long topic metadata read from the bucket is trusted
 * @param backgroundThreads whether the engine runs its own flush/poll timers (false in simulation:
 *                          the caller drives {@link LogEngine#flushNow()})
 * @param flushMaxInFlight  flushes whose segment PUTs may overlap (only a full buffer starts a
 *                          second one; commits stay in order)
 * @param flushMaxLinger    the longest a flush waits for more records while they keep arriving at a
 *                          high rate: the adaptive hold of {@link FlushPolicy} (D91); equal to
 *                          {@code linger}, every flush waits {@code linger} at most
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
        int flushMaxInFlight,
        Duration flushMaxLinger) {

    /** Settings whose flushes never wait longer than {@code linger} (no adaptive hold). */
    public LogSettings(String instanceId, Duration linger, int flushBytes, int flushRecords, int inlineBytes,
                       long maxBufferedBytes, long cacheBytes, Duration pollInterval, int checkpointEvery,
                       Duration metadataMaxAge, boolean backgroundThreads, int flushMaxInFlight) {
        this(instanceId, linger, flushBytes, flushRecords, inlineBytes, maxBufferedBytes, cacheBytes, pollInterval,
                checkpointEvery, metadataMaxAge, backgroundThreads, flushMaxInFlight, linger);
    }

    public LogSettings withBackgroundThreads(boolean on) {
        return new LogSettings(instanceId, linger, flushBytes, flushRecords, inlineBytes, maxBufferedBytes,
                cacheBytes, pollInterval, checkpointEvery, metadataMaxAge, on, flushMaxInFlight, flushMaxLinger);
    }
}
