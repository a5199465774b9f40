package io.floe.log;

/**
 * Spans around the engine's work, for tracing: {@code floe.produce} (a produce call until its records
 * are durable or refused), {@code floe.flush} (one flush: its segment and its commits),
 * {@code floe.commit} (one topic's commit of a flush, a child of its flush) and {@code floe.fetch}
 * (one partition's fetch). Plain values only: the runtime binds it to OpenTelemetry
 * ({@code io.floe.runtime.LogTracing}), so the engine imports no tracing library; {@link #NONE} (the
 * default) costs nothing. Implementations are thread-safe; a span may end on another thread than the
 * one that started it.
 */
public interface LogTracer {

    /** Traces nothing. */
    LogTracer NONE = (name, topic) -> Span.NONE;

    /** Starts a span, a child of whatever span is current on the calling thread (an HTTP request's). */
    Span start(String name, String topic);

    /** One traced piece of work. */
    interface Span {

        /** A span that records nothing. */
        Span NONE = new Span() {
        };

        /** Starts a span that is a child of this one (work this one handed to another thread). */
        default Span child(String name, String topic) {
            return NONE;
        }

        /** A number worth seeing next to the span (records, bytes, partition). */
        default void set(String key, long value) {
        }

        /** The work failed with {@code error}. */
        default void failed(Throwable error) {
        }

        /** The work is done; call once. */
        default void end() {
        }
    }
}
