package io.floe.janitor;

import io.floe.format.BucketLayout;
import io.floe.store.ConditionalUpdate;
import io.floe.store.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The janitor lease, one object {@code janitor/lease} (docs/FORMAT.md §9), taken and renewed with
 * {@link ConditionalUpdate}. Whoever holds an unexpired lease is the only janitor; a new holder bumps
 * the epoch, so a paused (zombie) holder that wakes up finds a different epoch at its next
 * {@link #holds()} and stops before any destructive step.
 *
 * <p>Owned by one janitor thread; not thread-safe.
 */
final class Lease {

    static final String KEY = BucketLayout.JANITOR_LEASE;
    private static final int VERSION = 1;

    /** The lease object's content. {@code nonce} makes every write unique (ConditionalUpdate's rule). */
    record State(String holder, long epoch, long expiresAtMs, String nonce) {

        byte[] encode() {
            return ("floe-janitor-lease " + VERSION + "\nholder=" + holder + "\nepoch=" + epoch + "\nexpiresAtMs="
                    + expiresAtMs + "\nnonce=" + nonce + "\n").getBytes(StandardCharsets.UTF_8);
        }

        static State decode(byte[] bytes) {
            String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n");
            if (lines.length < 5 || !lines[0].equals("floe-janitor-lease " + VERSION)) {
                throw new IllegalStateException(KEY + " is not a version " + VERSION + " lease");
            }
            return new State(value(lines[1], "holder"), Long.parseLong(value(lines[2], "epoch")),
                    Long.parseLong(value(lines[3], "expiresAtMs")), value(lines[4], "nonce"));
        }

        private static String value(String line, String name) {
            if (!line.startsWith(name + "=")) {
                throw new IllegalStateException(KEY + ": expected " + name + ", found '" + line + "'");
            }
            return line.substring(name.length() + 1);
        }
    }

    private final ObjectStore store;
    private final Clock clock;
    private final RandomGenerator random;
    private final String holder;
    private final Duration duration;
    private long epoch = -1;

    Lease(ObjectStore store, Clock clock, RandomGenerator random, String holder, Duration duration) {
        this.store = store;
        this.clock = clock;
        this.random = random;
        this.holder = holder;
        this.duration = duration;
    }

    /** The epoch this janitor holds, -1 when none. */
    long epoch() {
        return epoch;
    }

    String holder() {
        return holder;
    }

    /**
     * Takes the lease if it is free or expired, or renews ours. Returns whether we hold it now.
     * A store error propagates (the outcome of the last write is then unknown: we act as not holding).
     */
    boolean acquire() {
        long mine = epoch;
        epoch = -1;
        ConditionalUpdate.Outcome outcome = ConditionalUpdate.update(store, KEY, current -> {
            long now = clock.millis();
            State s = current.map(State::decode).orElse(null);
            boolean ours = s != null && s.holder().equals(holder) && s.epoch() == mine;
            if (s != null && !ours && s.expiresAtMs() > now) {
                return Optional.empty();
            }
            long next = ours ? mine : (s == null ? 1 : s.epoch() + 1);
            return Optional.of(new State(holder, next, now + duration.toMillis(), nonce()).encode());
        }, 3);
        if (outcome instanceof ConditionalUpdate.Outcome.Updated u) {
            epoch = State.decode(u.content()).epoch();
            return true;
        }
        return false;
    }

    /**
     * Whether we still hold the lease with our epoch and at least a quarter of its duration left.
     * One GET; called before every destructive step.
     */
    boolean holds() {
        if (epoch < 0) {
            return false;
        }
        Optional<State> s = store.get(KEY).map(o -> State.decode(o.content()));
        return s.isPresent() && s.get().holder().equals(holder) && s.get().epoch() == epoch
                && s.get().expiresAtMs() - clock.millis() > duration.toMillis() / 4;
    }

    private String nonce() {
        byte[] b = new byte[8];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
