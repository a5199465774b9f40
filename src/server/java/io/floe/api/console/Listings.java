package io.floe.api.console;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.floe.group.GroupCoordinator;
import io.floe.group.GroupListing;
import io.floe.log.LogEngine;
import io.floe.log.LogSettings;
import io.floe.model.FloeException;
import io.floe.model.Topic;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What the console's list pages show, trusted for the metadata max-age ({@code floe.metadata.max-age},
 * 10 s by default) as topic metadata is (D77): the sorted topic names and group ids (one LIST each
 * per max-age instead of one per view), each topic's partitions and configs and each group's protocol
 * and state (one GET per row per max-age). A view that finds a list older than the max-age is answered from it while it is read again
 * in the background; only a list older than {@link #SHOW_STALE_FOR} max-ages, or none yet, is read
 * before answering. A list view then reads the store only for what expired, never more than the REST
 * calls showing the same thing. The console's own actions (create and delete a topic, reset a group)
 * drop what they changed, so this instance shows them at once; others within the max-age.
 * Thread-safe: each list is an immutable snapshot swapped through a volatile field (a generation
 * keeps a background read that began before a drop from bringing back what was dropped), rows a
 * Caffeine cache.
 */
@Singleton
final class Listings {

    /** A list older than this many max-ages is read before answering, not shown. */
    static final int SHOW_STALE_FOR = 3;

    /** A list read at {@code atMs}. */
    private record Snapshot(List<String> names, long atMs) {
    }

    private final LogEngine engine;
    private final Clock clock;
    private final long maxAgeMs;
    private final Executor background;
    private final LoadingCache<String, Optional<GroupListing>> groupRows;
    private final LoadingCache<String, Optional<Topic>> topicRows;
    private final Listed topicNames;
    private final Listed groupIds;

    @Inject
    Listings(LogEngine engine, GroupCoordinator groups, Clock clock, LogSettings settings) {
        this(engine, groups, clock, settings.metadataMaxAge(), virtualThreads());
    }

    /** @param background runs the reads of expired lists and rows (direct in tests) */
    Listings(LogEngine engine, GroupCoordinator groups, Clock clock, Duration maxAge, Executor background) {
        this.engine = engine;
        this.clock = clock;
        this.maxAgeMs = maxAge.toMillis();
        this.background = background;
        this.groupRows = rows(maxAge, background,
                id -> groups.describe(id).map(d -> new GroupListing(d.groupId(), d.protocolType(), d.state())));
        this.topicRows = rows(maxAge, background, name -> {
            try {
                return Optional.of(engine.topic(name));
            } catch (FloeException e) {
                if (Pages.isGone(e)) {
                    return Optional.empty();
                }
                throw e;
            }
        });
        this.topicNames = new Listed(() -> engine.topicNames().stream().sorted().toList());
        this.groupIds = new Listed(groups::groupIds);
    }

    /** Rows by name, refreshed in the background once older than the max-age, dropped after {@link #SHOW_STALE_FOR}. */
    private <V> LoadingCache<String, Optional<V>> rows(Duration maxAge, Executor background,
                                                        com.github.benmanes.caffeine.cache.CacheLoader<String, Optional<V>> read) {
        return Caffeine.newBuilder().refreshAfterWrite(maxAge.isZero() ? Duration.ofNanos(1) : maxAge)
                .expireAfterWrite(maxAge.multipliedBy(SHOW_STALE_FOR)).ticker(() -> clock.millis() * 1_000_000L)
                .executor(background).maximumSize(100_000).build(read);
    }

    private static Executor virtualThreads() {
        ThreadFactory threads = Thread.ofVirtual().name("floe-console-list-", 0).factory();
        return command -> threads.newThread(command).start();
    }

    /** Every topic name, sorted. */
    List<String> topicNames() {
        return topicNames.get();
    }

    /** Every group id, sorted. */
    List<String> groupIds() {
        return groupIds.get();
    }

    /** The listing of each group in {@code ids} still there, in that order. */
    List<GroupListing> groups(List<String> ids) {
        return rowsOf(groupRows, ids);
    }

    /** Each topic of {@code names} still there, in that order. */
    List<Topic> topics(List<String> names) {
        return rowsOf(topicRows, names);
    }

    /** The rows of {@code keys} still there, in that order; the ones not in memory read 16 at a time. */
    private <V> List<V> rowsOf(LoadingCache<String, Optional<V>> rows, List<String> keys) {
        Map<String, Optional<V>> known = new HashMap<>(rows.getAllPresent(keys));
        List<String> missing = keys.stream().filter(k -> !known.containsKey(k)).toList();
        List<Optional<V>> read = engine.readAll(missing, rows::get);
        for (int i = 0; i < missing.size(); i++) {
            known.put(missing.get(i), read.get(i));
        }
        List<V> out = new ArrayList<>();
        for (String k : keys) {
            known.get(k).ifPresent(out::add);
        }
        return out;
    }

    /** How long a list is trusted, in seconds (shown under the list). */
    long maxAgeSeconds() {
        return maxAgeMs / 1000;
    }

    /** Topic {@code name} was created, changed or deleted here: the next view reads it (and the names) again. */
    void topicChanged(String name) {
        topicNames.drop();
        topicRows.invalidate(name);
    }

    /** A group was changed here: the next view reads it (and the ids) again. */
    void groupChanged(String id) {
        groupIds.drop();
        groupRows.invalidate(id);
    }

    /** One list: its snapshot, read again in the background once older than the max-age. */
    private final class Listed {

        private final Supplier<List<String>> read;
        private final AtomicBoolean reading = new AtomicBoolean();
        private final AtomicLong generation = new AtomicLong();
        private volatile Snapshot snapshot;

        Listed(Supplier<List<String>> read) {
            this.read = read;
        }

        List<String> get() {
            Snapshot s = snapshot;
            long age = s == null ? Long.MAX_VALUE : clock.millis() - s.atMs();
            if (age >= SHOW_STALE_FOR * maxAgeMs) {
                return readNow().names();
            }
            if (age >= maxAgeMs && reading.compareAndSet(false, true)) {
                background.execute(() -> {
                    try {
                        readNow();
                    } catch (RuntimeException e) {
                        // Keep showing the last list; the next view tries again.
                    } finally {
                        reading.set(false);
                    }
                });
            }
            return s.names();
        }

        private Snapshot readNow() {
            long g = generation.get();
            long at = clock.millis();
            Snapshot s = new Snapshot(read.get(), at);
            synchronized (this) {
                if (generation.get() == g) {
                    snapshot = s;
                }
            }
            return s;
        }

        void drop() {
            synchronized (this) {
                generation.incrementAndGet();
                snapshot = null;
            }
        }
    }
}
