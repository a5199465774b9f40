package io.floe.log;

import io.floe.format.BucketLayout;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.floe.format.TopicFormat;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.Topic;
import io.floe.model.TopicConfig;
import io.floe.store.ConditionalUpdate;
import io.floe.store.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

/**
 * Topic metadata and the cluster id, kept in the bucket ({@code topics/{name}}, {@code cluster})
 * and cached for {@code maxAge}. Creation is create-if-absent; changes are compare-and-swap.
 * Thread-safe.
 */
final class TopicRegistry {

    private static final int MAX_CAS_ATTEMPTS = 16;

    private final ObjectStore store;
    private final Retry retry;
    private final Clock clock;
    private final RandomGenerator random;
    private final Cache<String, Optional<Topic>> cache;
    private volatile String clusterId;

    TopicRegistry(ObjectStore store, Retry retry, Clock clock, RandomGenerator random, Duration maxAge) {
        this.store = store;
        this.retry = retry;
        this.clock = clock;
        this.random = random;
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(maxAge)
                .ticker(() -> clock.millis() * 1_000_000L)
                .maximumSize(100_000)
                .build();
    }

    String clusterId() {
        String id = clusterId;
        if (id == null) {
            Optional<ObjectStore.StoredObject> o = retry.call("read cluster", () -> store.get(BucketLayout.CLUSTER));
            if (o.isEmpty()) {
                String fresh = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(16));
                retry.call("create cluster", () -> store.createIfAbsent(BucketLayout.CLUSTER,
                        TopicFormat.encodeCluster(fresh, clock.millis())));
                o = retry.call("read cluster", () -> store.get(BucketLayout.CLUSTER));
            }
            id = TopicFormat.decodeClusterId(o.orElseThrow(() -> new FloeException(ErrorCode.STORE_UNAVAILABLE,
                    "The cluster object vanished right after being created; retry.")).content());
            clusterId = id;
        }
        return id;
    }

    Topic create(String name, int partitions, Map<String, String> configs) {
        Topic topic = new Topic(name, randomId(16), partitions, TopicConfig.validated(configs), clock.millis());
        ObjectStore.WriteResult r = retry.call("create topic", () -> store.createIfAbsent(BucketLayout.topic(name), TopicFormat.encode(topic)));
        if (!r.written()) {
            // Either it existed, or our own earlier attempt landed and its answer was lost.
            Optional<Topic> existing = read(name);
            if (existing.isPresent() && existing.get().id().equals(topic.id())) {
                return existing.get();
            }
            throw new FloeException(ErrorCode.TOPIC_EXISTS, "Topic '" + name + "' already exists.");
        }
        cache.put(name, Optional.of(topic));
        return topic;
    }

    /** The topic, from the cache when fresh enough. */
    Optional<Topic> find(String name) {
        Topic.validateName(name);
        return cache.get(name, this::load);
    }

    Topic get(String name) {
        return find(name).orElseThrow(() -> FloeException.unknownTopic(name));
    }

    /** Reads the topic from the bucket, bypassing and refreshing the cache. */
    Optional<Topic> read(String name) {
        Optional<Topic> t = load(name);
        cache.put(name, t);
        return t;
    }

    private Optional<Topic> load(String name) {
        return retry.call("read topic", () -> store.get(BucketLayout.topic(name))).map(o -> TopicFormat.decode(o.content()));
    }

    List<String> names() {
        List<String> names = new ArrayList<>();
        String after = null;
        while (true) {
            String from = after;
            List<ObjectStore.ObjectInfo> page = retry.call("list topics", () -> store.list(BucketLayout.TOPICS, from, 1000));
            page.forEach(o -> names.add(o.key().substring(BucketLayout.TOPICS.length())));
            if (page.size() < 1000) {
                return names;
            }
            after = page.get(page.size() - 1).key();
        }
    }

    Topic delete(String name) {
        Topic topic = read(name).orElseThrow(() -> FloeException.unknownTopic(name));
        retry.call("mark topic deleted", () -> store.createIfAbsent(BucketLayout.deletedTopic(topic.id()), TopicFormat.encode(topic)));
        retry.run("delete topic", () -> store.delete(BucketLayout.topic(name)));
        cache.put(name, Optional.empty());
        return topic;
    }

    /** Changes the topic by compare-and-swap, re-reading and re-applying {@code change} after a lost race. */
    Topic update(String name, UnaryOperator<Topic> change) {
        ConditionalUpdate.Outcome outcome = retry.call("update topic", () -> ConditionalUpdate.update(store, BucketLayout.topic(name),
                current -> {
                    Topic before = TopicFormat.decode(current.orElseThrow(() -> FloeException.unknownTopic(name)));
                    Topic after = change.apply(before);
                    return after.equals(before) ? Optional.empty() : Optional.of(TopicFormat.encode(after));
                }, MAX_CAS_ATTEMPTS));
        Topic result = switch (outcome) {
            case ConditionalUpdate.Outcome.Updated u -> TopicFormat.decode(u.content());
            case ConditionalUpdate.Outcome.Unchanged u -> TopicFormat.decode(u.current().orElseThrow().content());
            case ConditionalUpdate.Outcome.GaveUp g -> throw new FloeException(ErrorCode.CONCURRENT_UPDATE,
                    "Topic '" + name + "' kept changing while being updated (" + g.attempts() + " attempts); retry.");
        };
        cache.put(name, Optional.of(result));
        return result;
    }

    private String randomId(int bytes) {
        return HexFormat.of().formatHex(randomBytes(bytes));
    }

    private byte[] randomBytes(int bytes) {
        byte[] b = new byte[bytes];
        synchronized (random) {
            random.nextBytes(b);
        }
        return b;
    }
}
