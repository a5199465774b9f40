package io.floe.sim;

import io.floe.model.FloeException;
import io.floe.store.StoreException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;

/**
 * What every seeded simulation shares: which seeds run, how a failure is reported (its seed and the
 * one command that replays it), and which errors a simulated client may meet and go on.
 *
 * <p>Seeds: {@code floe.sim.seeds} fixed seeds from {@code floe.sim.seed} (default 1), plus
 * {@code floe.sim.commit-seeds} more (default 4) derived from the commit under test — {@code floe.sim.commit}
 * if set, else {@code git rev-parse HEAD} — so that every commit also explores seeds no earlier commit
 * ran. Replaying one seed: {@code -Dfloe.sim.seed=N -Dfloe.sim.seeds=1 -Dfloe.sim.commit=} (an explicit
 * {@code floe.sim.seed} turns the commit seeds off as well).
 */
public final class SimHarness {

    /** One run of a simulation from a seed; throws (an AssertionError, usually) when an invariant breaks. */
    @FunctionalInterface
    public interface Scenario {
        void run(long seed) throws Exception;
    }

    private SimHarness() {
    }

    /** The seeds to run: the fixed ones, then those derived from the commit, without repeats. */
    public static List<Long> seeds(int defaultCount) {
        long first = Long.getLong("floe.sim.seed", 1);
        int count = Integer.getInteger("floe.sim.seeds", defaultCount);
        LinkedHashSet<Long> seeds = new LinkedHashSet<>();
        for (long s = first; s < first + count; s++) {
            seeds.add(s);
        }
        String commit = commit();
        if (!commit.isEmpty()) {
            SplittableRandom fromCommit = new SplittableRandom(commit.hashCode() * 0x9E3779B97F4A7C15L);
            int extra = Integer.getInteger("floe.sim.commit-seeds", 4);
            for (int i = 0; i < extra; i++) {
                seeds.add(Math.abs(fromCommit.nextLong() % 1_000_000_000L));
            }
        }
        return new ArrayList<>(seeds);
    }

    /** The commit whose seeds run: {@code floe.sim.commit}, else git's HEAD, else none (""). */
    static String commit() {
        String commit = System.getProperty("floe.sim.commit");
        if (commit != null) {
            return commit.trim();
        }
        if (System.getProperty("floe.sim.seed") != null) {
            return ""; // replaying chosen seeds
        }
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            return git.waitFor() == 0 && out.matches("[0-9a-f]{40}") ? out : "";
        } catch (java.io.IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /**
     * Runs {@code scenario} for every seed; the first failure stops the test with its seed and the
     * replay command of {@code testClass}.
     */
    public static void runSeeds(Class<?> testClass, int defaultCount, Scenario scenario) {
        for (long seed : seeds(defaultCount)) {
            try {
                scenario.run(seed);
            } catch (Throwable e) {
                throw new AssertionError(testClass.getSimpleName() + " failed for seed " + seed + ": " + e
                        + "\nReplay: " + replayCommand(testClass, seed), e);
            }
        }
    }

    public static String replayCommand(Class<?> testClass, long seed) {
        return "./mvnw test -DskipLambda -Dtest=" + testClass.getSimpleName() + " -Dfloe.sim.seed=" + seed
                + " -Dfloe.sim.seeds=1 -Dfloe.sim.commit=";
    }

    /**
     * Whether a simulated client may meet {@code e} and go on, as a real client would (retry, rejoin,
     * re-read): Floe's answers of kinds not found, conflict, fenced and unavailable, and an unavailable
     * store. Anything else — a corrupt object, an internal error, an invalid request the simulation did
     * not mean to send, a bug surfacing as a runtime exception — must fail the run.
     */
    public static boolean handledByClients(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (t instanceof StoreException s) {
            return s.kind() == StoreException.Kind.UNAVAILABLE;
        }
        if (t instanceof FloeException f) {
            return switch (f.code().kind()) {
                case NOT_FOUND, CONFLICT, FENCED, UNAVAILABLE -> true;
                default -> false;
            };
        }
        return false;
    }
}
