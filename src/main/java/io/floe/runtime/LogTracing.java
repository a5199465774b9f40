package io.floe.runtime;

import io.floe.log.LogEngine;
import io.floe.log.LogTracer;
import io.opentelemetry.api.common.AttributeKey;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;

/**
 * The engine's spans ({@link LogTracer}) as OpenTelemetry spans, through Quarkus' OpenTelemetry
 * extension: {@code floe.produce}, {@code floe.fetch} (children of the HTTP request's span when there
 * is one), {@code floe.flush} and its {@code floe.commit} children, each with the topic as
 * {@code messaging.destination.name}. Off by default ({@code quarkus.otel.sdk.disabled=true}): the
 * extension's tracer is then a no-op and the engine keeps {@link LogTracer#NONE}. docs/OPERATIONS.md,
 * "Tracing". Thread-safe: OpenTelemetry's tracer and spans are.
 */
@Startup
@Singleton
public class LogTracing implements LogTracer {

    static final AttributeKey<String> TOPIC = AttributeKey.stringKey("messaging.destination.name");

    private final Tracer tracer;

    LogTracing(Tracer tracer, LogEngine engine, @org.eclipse.microprofile.config.inject.ConfigProperty(
            name = "quarkus.otel.sdk.disabled", defaultValue = "true") boolean disabled) {
        this.tracer = tracer;
        if (!disabled) {
            engine.trace(this);
        }
    }

    @Override
    public LogTracer.Span start(String name, String topic) {
        return new Otel(tracer, start(tracer, name, topic, Context.current()));
    }

    private static io.opentelemetry.api.trace.Span start(Tracer tracer, String name, String topic, Context parent) {
        var b = tracer.spanBuilder(name).setParent(parent).setSpanKind(SpanKind.INTERNAL);
        if (topic != null) {
            b.setAttribute(TOPIC, topic);
        }
        return b.startSpan();
    }

    /** One OpenTelemetry span. */
    private record Otel(Tracer tracer, io.opentelemetry.api.trace.Span span) implements LogTracer.Span {

        @Override
        public LogTracer.Span child(String name, String topic) {
            return new Otel(tracer, start(tracer, name, topic, Context.root().with(span)));
        }

        @Override
        public void set(String key, long value) {
            span.setAttribute(key, value);
        }

        @Override
        public void failed(Throwable error) {
            span.recordException(error);
            span.setStatus(StatusCode.ERROR, error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage());
        }

        @Override
        public void end() {
            span.end();
        }
    }
}
