package io.floe.runtime;

import io.floe.log.LogEngine;
import io.floe.log.LogEvents;
import io.floe.store.Operation;
import io.floe.store.TimedObjectStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;

/**
 * The engine's and the store's work as Prometheus metrics at /q/metrics (docs/OPERATIONS.md,
 * "Metrics"): {@code floe_produce_records_total{topic}}, {@code floe_produce_bytes_total{topic}},
 * {@code floe_fetch_records_total{topic}}, {@code floe_fetch_bytes_total{topic}},
 * {@code floe_flush_object_size_bytes} (histogram), {@code floe_commit_duration_seconds{outcome}}
 * (histogram), {@code floe_store_request_duration_seconds{operation,outcome}} (histogram) and
 * {@code floe_cache_gets_total{cache="segments",result}} (hit or miss: the hit ratio). The
 * engine and the store know nothing of Micrometer: this class listens to them
 * ({@link LogEvents}, {@link TimedObjectStore.Listener}). Thread-safe: Micrometer's meters are.
 */
@Startup
@Singleton
public class LogMetrics implements LogEvents {

    private final MeterRegistry registry;
    private final DistributionSummary flushObjects;
    private final Counter cacheHits;
    private final Counter cacheMisses;

    LogMetrics(MeterRegistry registry, LogEngine engine) {
        this.registry = registry;
        this.flushObjects = DistributionSummary.builder("floe.flush.object.size").baseUnit("bytes")
                .description("Size of each object a flush wrote (a segment, or a commit with its records inline)")
                .publishPercentileHistogram().register(registry);
        this.cacheHits = cacheGets(registry, "hit");
        this.cacheMisses = cacheGets(registry, "miss");
        engine.listen(this);
    }

    /** The store listener that {@link FloeWiring} puts around the store before anything uses it. */
    static TimedObjectStore.Listener storeListener(MeterRegistry registry) {
        return (Operation op, long nanos, boolean failed, long bytes) -> Timer.builder("floe.store.request.duration")
                .description("Time a request to the object store took, by operation; outcome=error when it threw")
                .tag("operation", op.name()).tag("outcome", failed ? "error" : "ok")
                .publishPercentileHistogram().register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void produced(String topic, long records, long bytes) {
        counter("floe.produce.records", topic, "Records acknowledged to producers", null).increment(records);
        counter("floe.produce.bytes", topic, "Bytes of record batches acknowledged to producers", "bytes").increment(bytes);
    }

    @Override
    public void fetched(String topic, long records, long bytes) {
        counter("floe.fetch.records", topic, "Offsets delivered to consumers (records, compacted gaps included)", null)
                .increment(records);
        counter("floe.fetch.bytes", topic, "Bytes of record batches delivered to consumers", "bytes").increment(bytes);
    }

    @Override
    public void flushObject(long bytes) {
        flushObjects.record(bytes);
    }

    @Override
    public void commitTook(String topic, long nanos, boolean failed) {
        Timer.builder("floe.commit.duration").description("Time one topic's commit of a flush took, retries included")
                .tag("outcome", failed ? "error" : "ok").publishPercentileHistogram().register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void cacheRead(boolean hit) {
        (hit ? cacheHits : cacheMisses).increment();
    }

    private static Counter cacheGets(MeterRegistry registry, String result) {
        return Counter.builder("floe.cache.gets").description("Reads of record bytes by fetches: from the segment cache (hit) or "
                + "loaded from the store (miss)").tag("cache", "segments").tag("result", result).register(registry);
    }

    private Counter counter(String name, String topic, String description, String unit) {
        return Counter.builder(name).description(description).baseUnit(unit).tag("topic", topic).register(registry);
    }
}
