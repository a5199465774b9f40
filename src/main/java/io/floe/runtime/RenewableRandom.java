package io.floe.runtime;

import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * The process's random source, which {@link FloeWiring} hands to every component, with a seed that can be
 * renewed: a process restored from a snapshot (Lambda SnapStart, CRaC) must not draw the numbers every
 * other clone of that snapshot draws (commit ids, write ids, member ids; DECISIONS.md D94).
 * Thread-safe: it delegates to a {@link Random} (thread-safe), which a renewal replaces at once.
 */
final class RenewableRandom implements RandomGenerator {

    private volatile Random delegate;

    /** Seeded as {@code new Random()} is: production needs no seed. */
    RenewableRandom() {
        this.delegate = new Random();
    }

    RenewableRandom(long seed) {
        this.delegate = new Random(seed);
    }

    /** Draws from a generator seeded with {@code seed} from now on. */
    void renew(long seed) {
        delegate = new Random(seed);
    }

    @Override
    public long nextLong() {
        return delegate.nextLong();
    }

    @Override
    public int nextInt() {
        return delegate.nextInt();
    }

    @Override
    public void nextBytes(byte[] bytes) {
        delegate.nextBytes(bytes);
    }
}
