package io.floe.api.console;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.floe.group.GroupCoordinator;
import io.floe.group.GroupListing;
import io.floe.log.LogEngine;
import io.floe.log.LogSettings;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the console's list pages show, trusted for the metadata max-age ({@code floe.metadata.max-age},
 * 10 s by default) as topic metadata is (D-16.1): the sorted topic names and group ids (one LIST each
 * per max-age instead of one per view) and each group's protocol and state (one GET per group per
 * max-age). A list view then reads the store only for what expired, never more than the REST calls
 * showing the same thing. The console's own actions (create and delete a topic, reset a group) drop
 * what they changed, so this instance shows them at once; others within the max-age.
 * Thread-safe: each list is an immutable snapshot swapped through a volatile field, rows a Caffeine cache.
 */
@Singleton
final class Listings {

    /** A list read at {@code atMs}. */
    private record Snapshot(List<String> names, long atMs) {
    }

    private final LogEngine engine;
    private final GroupCoordinator groups;
    private final Clock clock;
    private final long maxAgeMs;
    private final Cache<String, Optional<GroupListing>> groupRows;
    private volatile Snapshot topicNames;
    private volatile Snapshot groupIds;

    @Inject
    Listings(LogEngine engine, GroupCoordinator groups, Clock clock, LogSettings settings) {
        this(engine, groups, clock, settings.metadataMaxAge());
    }

    Listings(LogEngine engine, GroupCoordinator groups, Clock clock, Duration maxAge) {
        this.engine = engine;
        this.groups = groups;
        this.clock = clock;
        this.maxAgeMs = maxAge.toMillis();
        this.groupRows = Caffeine.newBuilder().expireAfterWrite(maxAge).ticker(() -> clock.millis() * 1_000_000L)
                .maximumSize(100_000).build();
    }

    /** Every topic name, sorted. */
    List<String> topicNames() {
        Snapshot s = topicNames;
        if (stale(s)) {
            s = new Snapshot(engine.topicNames().stream().sorted().toList(), clock.millis());
            topicNames = s;
        }
        return s.names();
    }

    /** Every group id, sorted. */
    List<String> groupIds() {
        Snapshot s = groupIds;
        if (stale(s)) {
            s = new Snapshot(groups.groupIds(), clock.millis());
            groupIds = s;
        }
        return s.names();
    }

    /** The listing of each group in {@code ids} still there, in that order; the expired ones read 16 at a time. */
    List<GroupListing> groups(List<String> ids) {
        Map<String, Optional<GroupListing>> known = new HashMap<>(groupRows.getAllPresent(ids));
        List<String> missing = ids.stream().filter(id -> !known.containsKey(id)).toList();
        List<Optional<GroupListing>> read = engine.readAll(missing, id -> groups.describe(id)
                .map(d -> new GroupListing(d.groupId(), d.protocolType(), d.state())));
        for (int i = 0; i < missing.size(); i++) {
            known.put(missing.get(i), read.get(i));
            groupRows.put(missing.get(i), read.get(i));
        }
        List<GroupListing> out = new ArrayList<>();
        for (String id : ids) {
            known.get(id).ifPresent(out::add);
        }
        return out;
    }

    /** How long a list is trusted, in seconds (shown under the list). */
    long maxAgeSeconds() {
        return maxAgeMs / 1000;
    }

    /** A topic was created or deleted here: the next view lists the names again. */
    void topicsChanged() {
        topicNames = null;
    }

    /** A group was changed here: the next view reads it (and the ids) again. */
    void groupChanged(String id) {
        groupIds = null;
        groupRows.invalidate(id);
    }

    private boolean stale(Snapshot s) {
        return s == null || clock.millis() - s.atMs() >= maxAgeMs;
    }
}
