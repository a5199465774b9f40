package io.floe.log;

import io.floe.format.Commit;
import io.floe.format.CommitFormat;
import io.floe.format.IndexEntry;
import io.floe.format.RecordBatches;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.Topic;
import io.floe.store.ObjectStore;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the background janitor ({@code io.floe.janitor}) may do to the log, and nothing more: look at
 * a topic's current index, read an entry's bytes, append a commit of control entries (TRUNCATE,
 * REPLACE), write a checkpoint, and know the bucket layout. Obtained from {@link LogEngine#maintenance()}.
 *
 * <p>Thread-safe (it delegates to the engine's thread-safe parts).
 */
public final class Maintenance {

    /** Prefix of all segment objects; keys continue with the writer's clock, {@code %013d} millis. */
    public static final String SEGMENTS = "segments/";
    /** Prefix of the janitor's merged and compacted objects. */
    public static final String MERGED = "merged/";
    /** Prefix of deleted-topic markers. */
    public static final String DELETED_TOPICS = "deleted-topics/";

    /** One partition's index as it is now. Entries are contiguous from {@code logStartOffset}. */
    public record PartitionView(int partition, long logStartOffset, long endOffset, long cleanedUpTo,
                                List<IndexEntry> entries) {
    }

    /** A topic's index after catching up with the chain up to {@code headSequence}. */
    public record TopicView(Topic topic, long headSequence, Map<Integer, PartitionView> partitions) {
    }

    private final LogEngine engine;
    private final ObjectStore store;
    private final Chain chain;
    private final Retry retry;
    private final Clock clock;
    private final String instanceId;

    Maintenance(LogEngine engine, ObjectStore store, Chain chain, Retry retry, Clock clock, String instanceId) {
        this.engine = engine;
        this.store = store;
        this.chain = chain;
        this.retry = retry;
        this.clock = clock;
        this.instanceId = instanceId;
    }

    public String instanceId() {
        return instanceId;
    }

    public ObjectStore store() {
        return store;
    }

    /** Every existing topic, read from the bucket (not from the metadata cache). */
    public List<Topic> topics() {
        return engine.listTopicsUncached();
    }

    /** Catches the topic's state up with its chain and returns its index. */
    public TopicView view(Topic topic) {
        TopicState state = engine.state(topic);
        chain.catchUp(state);
        return new TopicView(topic, state.headSequence(), state.view());
    }

    /**
     * The bytes of an index entry with offsets assigned, read from the bucket (bypassing the read
     * cache, so that background work does not evict what consumers read). Empty if the object is gone.
     */
    public Optional<ByteBuffer> read(IndexEntry e) {
        Optional<ObjectStore.StoredObject> o = retry.call("read " + e.objectKey(),
                () -> store.getRange(e.objectKey(), e.position(), e.length()));
        if (o.isEmpty()) {
            return Optional.empty();
        }
        if (o.get().content().length != e.length()) {
            throw new FloeException(ErrorCode.CORRUPT_OBJECT, "Object " + e.objectKey() + " is shorter than its index says.");
        }
        ByteBuffer b = ByteBuffer.wrap(o.get().content());
        RecordBatches.assignOffsets(b, e.baseOffset());
        return Optional.of(b);
    }

    /**
     * Appends a commit carrying {@code controls} (and no offsets) to the topic's chain, at the next
     * free sequence. Controls stay valid when writers win sequences in between (writers only append);
     * one that no longer fits when it lands is skipped by every reader alike.
     */
    public Commit commitControls(Topic topic, String commitId, List<Commit.Control> controls) {
        TopicState state = engine.state(topic);
        return chain.commit(state, commitId, List.of(), tip -> CommitFormat.encode(tip.sequence(), commitId, instanceId,
                clock.millis(), null, List.of(), controls));
    }

    /** Writes a checkpoint of the topic's current state (so that new instances need not replay our commits). */
    public void checkpoint(Topic topic) {
        TopicState state = engine.state(topic);
        chain.catchUp(state);
        chain.checkpoint(state);
    }

    /**
     * Bounds how long an instance may use a topic state without re-reading the newest checkpoint
     * (see {@link Chain}); must stay well below half the deletion grace period.
     */
    public void maxStateAge(Duration age) {
        chain.maxStateAge(Math.max(0, age.toMillis()));
    }

    public static String dataPrefix(String topicId) {
        return "data/" + topicId + "/";
    }

    public static String commitsPrefix(String topicId) {
        return Keys.commitsPrefix(topicId);
    }

    public static String checkpointsPrefix(String topicId) {
        return Keys.checkpointsPrefix(topicId);
    }

    public static String mergedPrefix(String topicId) {
        return MERGED + topicId + "/";
    }

    /** The sequence number at the end of a commit or checkpoint key. */
    public static long sequenceOf(String key) {
        return Keys.sequenceOf(key);
    }
}
