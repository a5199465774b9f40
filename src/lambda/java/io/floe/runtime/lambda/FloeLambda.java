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
import org.eclipse.microprofile.config.ConfigProvider;
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
 * <p><b>Nothing outlives an invocation, and nothing is answered before it is durable.</b> Lambda
 * freezes the process as soon as this method returns, so the answer is written into a buffer and
 * handed over only after the invocation quiesced ({@link Invocation}, {@link Quiesce}): the
 * consumer groups' deferred offset commits are written ({@link GroupCoordinator#flush()}; if they
 * cannot be, the invocation fails instead of answering) and the engine is idle
 * ({@link LogEngine#awaitIdle}: flushes committed, checkpoints written; at most
 * {@code floe.lambda.quiesce-limit}). A produce is answered only once its commit is durable
 * anyway; the wait is about follow-up work, which would otherwise be frozen half-way and resumed,
 * with dead connections, at the next invocation — or lost with the instance. The background
 * threads themselves are off in the Lambda package
 * (src/lambda/resources/META-INF/microprofile-config.properties), which also lowers the REST
 * fetch limits to what the function's timeout and a function URL's 6 MB answer allow.
 *
 * <p>Deliberately not a {@code RequestStreamHandler}: Quarkus would then take this class for the
 * user's handler instead of its HTTP handler. The Lambda Java runtime finds the method by its
 * signature. One invocation at a time per instance (Lambda's model), but nothing here relies on it.
 */
public final class FloeLambda {

    private static final Logger LOG = Logger.getLogger(FloeLambda.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Starts Quarkus when this class is loaded, i.e. during the Lambda init phase. */
    private static final QuarkusStreamHandler QUARKUS = new QuarkusStreamHandler();
    /** Longest wait for in-flight work before answering anyway (a stuck S3 call must not eat the timeout). */
    private static final Duration QUIESCE_LIMIT = ConfigProvider.getConfig()
            .getOptionalValue("floe.lambda.quiesce-limit", Duration.class).orElse(Duration.ofSeconds(10));

    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Invocation.run(input.readAllBytes(), output, (event, answer) -> handle(event, answer, context),
                new Quiesce(bean(GroupCoordinator.class), engine(), QUIESCE_LIMIT));
    }

    private static void handle(byte[] event, OutputStream output, Context context) throws IOException {
        if (!isMaintenance(event)) {
            QUARKUS.handleRequest(new ByteArrayInputStream(event), output, context);
            return;
        }
        long start = System.nanoTime();
        ScheduledMaintenance.Result done = ScheduledMaintenance.run(engine(), bean(Janitor.class),
                bean(GroupCoordinator.class));
        int checkpoints = done.checkpointsWritten();
        Janitor.Report janitor = done.janitor();
        long millis = (System.nanoTime() - start) / 1_000_000;
        LOG.infof("Scheduled maintenance done in %d ms: %d checkpoint(s) written; janitor: %s", millis, checkpoints, janitor);
        output.write(("{\"maintenance\":\"done\",\"checkpoints_written\":" + checkpoints
                + ",\"janitor_leader\":" + janitor.leader() + ",\"janitor_quiet\":" + janitor.quiet()
                + ",\"millis\":" + millis + "}").getBytes(StandardCharsets.UTF_8));
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

    private static <T> T bean(Class<T> type) {
        return Arc.container().instance(type).get();
    }

    private static LogEngine engine() {
        return bean(LogEngine.class);
    }
}
