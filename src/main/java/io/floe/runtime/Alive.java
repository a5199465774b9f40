package io.floe.runtime;

import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Always up ({@code /q/health/live}): an unreachable bucket makes Floe unready, not dead, so an
 * orchestrator should stop routing to it rather than restart it.
 */
@Liveness
@Singleton
public class Alive implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.up("floe");
    }
}
