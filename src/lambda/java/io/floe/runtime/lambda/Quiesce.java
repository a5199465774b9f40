package io.floe.runtime.lambda;

import io.floe.group.GroupCoordinator;
import io.floe.log.LogEngine;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * What an invocation does before its answer leaves (see {@link Invocation}): writes the consumer
 * groups' deferred offset commits, then waits, at most {@code limit}, until the engine is idle
 * (flushes committed, checkpoints written) so that no work is frozen half-way with the process.
 * Deferred commits that could not be written fail the invocation ({@link NotDurable}): they were
 * answered as committed, and the instance may be frozen or gone before anyone retries them. Work
 * still in flight after the limit is only logged: a produce waiting on it has been answered by it
 * (success or error) already, and the rest (checkpoints) is redone by the schedule. Thread-safe.
 */
final class Quiesce implements Runnable {

    private static final Logger LOG = Logger.getLogger(Quiesce.class);

    /** The invocation promised something it could not make durable; the caller must retry. */
    static final class NotDurable extends RuntimeException {
        NotDurable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final GroupCoordinator groups;
    private final LogEngine engine;
    private final Duration limit;

    Quiesce(GroupCoordinator groups, LogEngine engine, Duration limit) {
        this.groups = groups;
        this.engine = engine;
        this.limit = limit;
    }

    @Override
    public void run() {
        RuntimeException commits = null;
        try {
            groups.flush();
        } catch (RuntimeException e) {
            commits = e;
        }
        try {
            if (!engine.awaitIdle(limit)) {
                LOG.warnf("The engine was still busy after %s; its work resumes at the next invocation", limit);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Flush at the end of the invocation failed (producers waiting on it were told): %s", e.getMessage());
        }
        if (commits != null) {
            LOG.errorf("Failing the invocation: deferred consumer-group commits were not written: %s", commits.getMessage());
            throw new NotDurable("Deferred consumer-group offset commits could not be written to the bucket; the invocation"
                    + " fails so that the caller retries: " + commits.getMessage(), commits);
        }
    }
}
