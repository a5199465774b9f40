package io.floe.sim;

import io.floe.group.GroupCoordinator;
import io.floe.group.GroupSettings;
import io.floe.log.LogEngine;
import io.floe.runtime.Defaults;
import io.floe.store.FaultInjectingObjectStore;
import io.floe.store.MemoryObjectStore;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * Group engines on several instances over one in-memory bucket behind the fault injector (faults
 * off until the simulation sets them), plus a fault-free observer that reads the truth. Time moves
 * in {@link GroupSettings#pollInterval()} slices and every instance's group timer ticks after each,
 * as the engines' own timers would. (The classic and managed group simulations build the same by
 * hand; they can move here.) Owned by the simulation's thread.
 */
final class SimGroupInstances {

    final SimClock clock = new SimClock(1_700_000_000_000L);
    final MemoryObjectStore bucket = new MemoryObjectStore();
    final FaultInjectingObjectStore faulty;
    final LogEngine[] logs;
    final GroupCoordinator[] groups;
    final GroupCoordinator observer;
    final long poll;

    /** @param tune changes each instance's (and the observer's) default group settings, timers off */
    SimGroupInstances(long seed, SplittableRandom random, int instances, UnaryOperator<GroupSettings> tune) {
        faulty = new FaultInjectingObjectStore(bucket, new SplittableRandom(seed ^ 0x5DEECE66DL),
                FaultInjectingObjectStore.Faults.NONE, FaultInjectingObjectStore.Sleeper.NONE);
        logs = new LogEngine[instances];
        groups = new GroupCoordinator[instances];
        GroupSettings settings = null;
        for (int i = 0; i < instances; i++) {
            logs[i] = new LogEngine(faulty, clock, new SplittableRandom(random.nextLong()),
                    Defaults.log("i" + i).withBackgroundThreads(false));
            settings = tune.apply(Defaults.group("i" + i).withBackgroundThreads(false));
            groups[i] = new GroupCoordinator(faulty, logs[i], clock, new SplittableRandom(random.nextLong()), settings);
        }
        poll = settings.pollInterval().toMillis();
        LogEngine quiet = new LogEngine(bucket, clock, new SplittableRandom(1), Defaults.log("obs").withBackgroundThreads(false));
        observer = new GroupCoordinator(bucket, quiet, clock, new SplittableRandom(2),
                tune.apply(Defaults.group("obs").withBackgroundThreads(false)));
    }

    /**
     * Moves the clock by {@code ms} in poll-interval slices; every instance ticks after each.
     *
     * @return how many ticks failed with an error clients handle (a faulty store); others are thrown
     */
    int advance(long ms) {
        int failed = 0;
        while (ms > 0) {
            long slice = Math.min(ms, poll);
            clock.advance(slice);
            ms -= slice;
            for (GroupCoordinator g : groups) {
                try {
                    g.tick();
                } catch (RuntimeException e) {
                    if (!SimHarness.handledByClients(e)) {
                        throw e;
                    }
                    failed++;
                }
            }
        }
        return failed;
    }
}
