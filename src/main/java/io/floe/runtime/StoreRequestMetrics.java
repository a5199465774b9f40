package io.floe.runtime;

import io.floe.store.Operation;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;

/**
 * What the bucket bills, as metrics at /q/metrics: {@code floe_store_requests_total{operation}} (one
 * series per {@link Operation}, counted when sent) and {@code floe_store_bytes_written_total} /
 * {@code floe_store_bytes_read_total}. Read from the counting store on scrape (no S3 request).
 * Thread-safe: holds only the registry's counters, which read atomic adders.
 */
@Startup
@Singleton
public class StoreRequestMetrics {

    StoreRequestMetrics(MeterRegistry registry, FloeWiring wiring) {
        for (Operation op : Operation.values()) {
            FunctionCounter.builder("floe.store.requests", wiring, w -> w.storeCounts().requests(op))
                    .description("Requests sent to the object store").tag("operation", op.name()).register(registry);
        }
        FunctionCounter.builder("floe.store.bytes.written", wiring, w -> w.storeCounts().bytesWritten())
                .description("Bytes of object content sent to the store").baseUnit("bytes").register(registry);
        FunctionCounter.builder("floe.store.bytes.read", wiring, w -> w.storeCounts().bytesRead())
                .description("Bytes of object content read from the store").baseUnit("bytes").register(registry);
    }
}
