package io.floe.runtime;

import io.floe.group.GroupCoordinator;
import io.floe.janitor.Janitor;
import io.floe.log.LogEngine;

/**
 * The background work of a long-running server, done once, for runtimes with no thread between
 * requests (a scheduled AWS Lambda invocation, {@code FloeLambda}; the idle-cost benchmark): the janitor
 * ({@link Janitor#runOnce()}), then, unless the janitor's run was quiet (the bucket unchanged since its
 * last complete run, which a run of this same work followed), missed checkpoints
 * ({@link LogEngine#runMaintenance()}, which reads every topic), and the group tick
 * ({@link GroupCoordinator#tick()}, in memory). An idle deployment thereby costs a few requests per
 * invocation, whatever its number of topics (docs/DECISIONS.md D48). Stateless.
 */
public final class ScheduledMaintenance {

    /** What one scheduled run did. */
    public record Result(int checkpointsWritten, Janitor.Report janitor) {
    }

    private ScheduledMaintenance() {
    }

    public static Result run(LogEngine engine, Janitor janitor, GroupCoordinator groups) {
        Janitor.Report report = janitor.runOnce();
        int checkpoints = report.quiet() ? 0 : engine.runMaintenance();
        groups.tick();
        return new Result(checkpoints, report);
    }
}
