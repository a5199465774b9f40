package io.floe.store;

/**
 * How long to wait before the next attempt of something that failed or lost a race: the retry
 * policy's backoff, handed to store-level loops (such as {@link ConditionalUpdate}) that cannot know
 * the policy. {@link #NONE} does not wait.
 */
@FunctionalInterface
public interface Backoff {

    /** Waits before attempt {@code attempt + 1}, after attempt {@code attempt} (1-based) failed. */
    void pause(int attempt);

    Backoff NONE = attempt -> {
    };
}
