package io.floe.runtime.lambda;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The order of one invocation: the answer is written into a buffer, then the invocation quiesces,
 * and only then is the answer handed to Lambda. Lambda freezes the process as soon as the handler
 * returns, so whatever the answer promised (an offset commit accepted as deferred, a produce) must
 * be durable before it leaves; when the quiesce says it is not, the answer is dropped and the
 * invocation fails, and the caller (a function URL client: HTTP 502; the schedule: the next tick)
 * retries. Kept apart from {@link FloeLambda}, whose loading starts Quarkus, so that it can be
 * tested on its own. Stateless.
 */
final class Invocation {

    /** Writes the answer to one event. */
    @FunctionalInterface
    interface Handler {
        void handle(byte[] event, OutputStream answer) throws IOException;
    }

    private Invocation() {
    }

    /**
     * Runs {@code handler} on {@code event}, then {@code quiesce} (always, also when the handler
     * failed), then copies the answer to {@code output}. A quiesce that throws fails the invocation
     * with nothing written.
     */
    static void run(byte[] event, OutputStream output, Handler handler, Runnable quiesce) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        try {
            handler.handle(event, answer);
        } catch (IOException | RuntimeException | Error e) {
            try {
                quiesce.run();
            } catch (RuntimeException q) {
                e.addSuppressed(q);
            }
            throw e;
        }
        quiesce.run();
        answer.writeTo(output);
    }
}
