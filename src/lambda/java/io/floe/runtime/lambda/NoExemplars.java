package io.floe.runtime.lambda;

import io.prometheus.client.exemplars.ExemplarSampler;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * The Lambda package carries no tracing (D78), so its Prometheus metrics carry no exemplars: this
 * stands in for Quarkus Micrometer's OpenTelemetry exemplar sampler, which the package leaves out
 * ({@code quarkus.arc.exclude-types}) because it would call the OpenTelemetry API removed from it.
 */
@Singleton
public class NoExemplars {

    @Produces
    @Singleton
    Optional<ExemplarSampler> exemplarSampler() {
        return Optional.empty();
    }
}
