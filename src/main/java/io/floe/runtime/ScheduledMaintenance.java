package io.floe.runtime;

import io.floe.group.GroupCoordinator;
import io.floe.janitor.Janitor;
import io.floe.log.LogEngine;

/**
 * The background work of a long-running server, done once, for runtimes with no thread between
 * requests (a scheduled AWS Lambda invocation, {@code FloeLambda}; the idle-cost benchmark): missed
 * checkpoints ({@link LogEngine#runMaintenance()}), the janitor ({@link Janitor#runOnce()}) and the
 * group tick ({@link GroupCoordinator#tick()}). Stateless.
 */
public final class ScheduledMaintenance {

    /** What one scheduled run did. */
    public record Result(int checkpointsWritten, Janitor.Report janitor) {
    }

    private ScheduledMaintenance() {
    }

    public static Result run(LogEngine engine, Janitor janitor, GroupCoordinator groups) {
        int checkpoints = engine.runMaintenance();
        Janitor.Report report = janitor.runOnce();
        groups.tick();
        return new Result(checkpoints, report);
    }
}
