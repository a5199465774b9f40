package io.floe.runtime.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.floe.group.GroupCoordinator;
import io.floe.janitor.Janitor;
import io.floe.log.LogEngine;
import io.floe.runtime.ScheduledMaintenance;
import io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler;
import io.quarkus.arc.Arc;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * The AWS Lambda entry point ({@code io.floe.runtime.lambda.FloeLambda::handleRequest}, java21
 * runtime). Loading the class starts Quarkus (in the Lambda init phase). Each invocation is one of:
 *
 * <ul>
 *   <li>an HTTP event (function URL, API Gateway): handed to Quarkus's Lambda HTTP handler, which
 *       runs it through the REST API exactly as the HTTP server would;</li>
 *   <li>a scheduled event (EventBridge {@code "source": "aws.events"}) or a manual
 *       {@code {"floe": "maintenance"}}: the background work of a long-running server, once —
 *       {@link ScheduledMaintenance}: {@link Janitor#runOnce()} (retention, compaction, merging,
 *       deletions; under its lease; a quiet check first), {@link LogEngine#runMaintenance()} (missed
 *       checkpoints; skipped when the janitor found the bucket unchanged) and
 *       {@link GroupCoordinator#tick()} (expired members, due rebalances) — answered with a small JSON
 *       summary.</li>
 * </ul>
 *
 * <p><b>Nothing outlives an invocation.</b> Lambda freezes the process as soon as this method
 * returns, so before returning it writes the consumer groups' deferred offset commits
 * ({@link GroupCoordinator#flush()}) and waits for the engine to be idle
 * ({@link LogEngine#awaitIdle}: flushes committed, checkpoints written). A produce is answered only
 * once its commit is durable anyway; this barrier is about follow-up work, which would otherwise be
 * frozen half-way and resumed, with dead connections, at the next invocation — or lost with the
 * instance. The background threads themselves are off in the Lambda package
 * (src/lambda/resources/META-INF/microprofile-config.properties).
 *
 * <p>Deliberately not a {@code RequestStreamHandler}: Quarkus would then take this class for the
 * user's handler instead of its HTTP handler. The Lambda Java runtime finds the method by its
 * signature. One invocation at a time per instance (Lambda's model), but nothing here relies on it.
 */
public final class FloeLambda {

    private static final Logger LOG = Logger.getLogger(FloeLambda.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Longest wait for in-flight work before returning anyway (a stuck S3 call must not eat the timeout). */
    private static final Duration QUIESCE_LIMIT = Duration.ofSeconds(10);
    /** Starts Quarkus when this class is loaded, i.e. during the Lambda init phase. */
    private static final QuarkusStreamHandler QUARKUS = new QuarkusStreamHandler();

    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] event = input.readAllBytes();
        try {
            if (isMaintenance(event)) {
                long start = System.nanoTime();
                ScheduledMaintenance.Result done = ScheduledMaintenance.run(engine(), bean(Janitor.class),
                        bean(GroupCoordinator.class));
                int checkpoints = done.checkpointsWritten();
                Janitor.Report janitor = done.janitor();
                long millis = (System.nanoTime() - start) / 1_000_000;
                LOG.infof("Scheduled maintenance done in %d ms: %d checkpoint(s) written; janitor: %s", millis, checkpoints,
                        janitor);
                output.write(("{\"maintenance\":\"done\",\"checkpoints_written\":" + checkpoints
                        + ",\"janitor_leader\":" + janitor.leader() + ",\"janitor_quiet\":" + janitor.quiet()
                        + ",\"millis\":" + millis + "}")
                        .getBytes(StandardCharsets.UTF_8));
            } else {
                QUARKUS.handleRequest(new ByteArrayInputStream(event), output, context);
            }
        } finally {
            quiesce();
        }
    }

    /** EventBridge scheduled events, and {@code {"floe":"maintenance"}} for a manual run. */
    static boolean isMaintenance(byte[] event) {
        JsonNode n;
        try {
            n = JSON.readTree(event);
        } catch (IOException e) {
            return false; // not JSON: let the HTTP handler answer it (with an error)
        }
        if (n == null || !n.isObject()) {
            return false;
        }
        return "aws.events".equals(n.path("source").asText(null))
                || "Scheduled Event".equals(n.path("detail-type").asText(null))
                || "maintenance".equals(n.path("floe").asText(null));
    }

    /** Writes what is deferred and waits until no work is in flight, so that none is frozen with the process. */
    private static void quiesce() {
        try {
            bean(GroupCoordinator.class).flush();
        } catch (RuntimeException e) {
            LOG.warnf("Writing deferred consumer-group commits failed; the next invocation retries: %s", e.getMessage());
        }
        try {
            if (!engine().awaitIdle(QUIESCE_LIMIT)) {
                LOG.warnf("The engine was still busy after %s; its work resumes at the next invocation", QUIESCE_LIMIT);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Flush at the end of the invocation failed (producers waiting on it were told): %s", e.getMessage());
        }
    }

    private static <T> T bean(Class<T> type) {
        return Arc.container().instance(type).get();
    }

    private static LogEngine engine() {
        return bean(LogEngine.class);
    }
}
