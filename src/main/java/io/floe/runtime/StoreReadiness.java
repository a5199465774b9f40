package io.floe.runtime;

import io.floe.log.LogEngine;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the bucket answers ({@code /q/health/ready}); Floe has no other state to wait for. */
@Readiness
@Singleton
public class StoreReadiness implements HealthCheck {

    private final LogEngine engine;
    private final FloeWiring wiring;

    StoreReadiness(LogEngine engine, FloeWiring wiring) {
        this.engine = engine;
        this.wiring = wiring;
    }

    @Override
    public HealthCheckResponse call() {
        boolean up;
        try {
            up = engine.storeReachable();
        } catch (RuntimeException e) {
            up = false;
        }
        return HealthCheckResponse.named("object-store").status(up).withData("url", wiring.storageUrl()).build();
    }
}
