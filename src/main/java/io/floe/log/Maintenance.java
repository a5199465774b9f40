package io.floe.log;

import io.floe.format.Checkpoint;
import io.floe.format.BucketLayout;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the background janitor ({@code io.floe.janitor}) may do to the log, and nothing more: look at
 * a topic's current index, read an entry's bytes, append a commit of control entries (TRUNCATE,
 * REPLACE) and write a checkpoint. Obtained from {@link LogEngine#maintenance()}; the keys it touches
 * are spelled in {@link BucketLayout}.
 *
 * <p>Thread-safe (it delegates to the engine's thread-safe parts).
 */
public final class Maintenance {

    /** One partition's index as it is now. Entries are contiguous from {@code logStartOffset}. */
    public record PartitionView(int partition, long logStartOffset, long endOffset, long cleanedUpTo,
                                List<IndexEntry> entries, long lastStableOffset, List<Checkpoint.AbortedTxn> aborted) {

        public PartitionView(int partition, long logStartOffset, long endOffset, long cleanedUpTo, List<IndexEntry> entries) {
            this(partition, logStartOffset, endOffset, cleanedUpTo, entries, endOffset, List.of());
        }
    }

    /** A topic's index after catching up with the chain up to {@code headSequence}. */
    public record TopicView(Topic topic, long headSequence, Map<Integer, PartitionView> partitions) {
    }

    /** Unwanted bytes between two wanted entries of one object that a read rather fetches than pay another GET. */
    public static final int READ_GAP_BYTES = 1 << 20;

    private final LogEngine engine;
    private final ObjectStore store;
    private final Chain chain;
    private final Retry retry;
    private final Clock clock;
    private volatile String instanceId;

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

    /** The engine's instance id from now on (see {@link LogEngine#renewIdentity}). */
    void renewInstanceId(String instanceId) {
        this.instanceId = instanceId;
    }

    public ObjectStore store() {
        return store;
    }

    /** The engine's retry policy, for background work's own store calls (one policy, one budget). */
    public Retry retry() {
        return retry;
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
        return read(e.objectKey(), List.of(e)).map(bytes -> bytes.get(0));
    }

    /**
     * The bytes of several index entries of one object, offsets assigned, in the order given: read with
     * one ranged GET from the first wanted byte to the last (more only where over {@link #READ_GAP_BYTES}
     * unwanted bytes lie between two entries), bypassing the read cache. A flush's segment holds the
     * entries of every partition side by side, so background work that wants several of them pays one
     * request, not one per partition. The buffers share the bytes read. Empty if the object is gone.
     */
    public Optional<List<ByteBuffer>> read(String objectKey, List<IndexEntry> entries) {
        List<Integer> byPosition = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (!entries.get(i).objectKey().equals(objectKey)) {
                throw new IllegalArgumentException("entry " + entries.get(i) + " is not in " + objectKey);
            }
            byPosition.add(i);
        }
        byPosition.sort(Comparator.comparingLong(i -> entries.get(i).position()));
        ByteBuffer[] out = new ByteBuffer[entries.size()];
        int from = 0;
        while (from < byPosition.size()) {
            long start = entries.get(byPosition.get(from)).position();
            long end = start;
            int to = from;
            while (to < byPosition.size() && entries.get(byPosition.get(to)).position() - end <= READ_GAP_BYTES) {
                IndexEntry e = entries.get(byPosition.get(to));
                end = Math.max(end, e.position() + e.length());
                to++;
            }
            if (end - start > Integer.MAX_VALUE) {
                to = from + 1; // never in practice: entries of one object span less than 2 GiB
                end = start + entries.get(byPosition.get(from)).length();
            }
            long s = start;
            long n = end - start;
            Optional<ObjectStore.StoredObject> o = retry.call("read " + objectKey, () -> store.getRange(objectKey, s, (int) n));
            if (o.isEmpty()) {
                return Optional.empty();
            }
            byte[] span = o.get().content();
            for (int k = from; k < to; k++) {
                IndexEntry e = entries.get(byPosition.get(k));
                int at = (int) (e.position() - start);
                if (at + e.length() > span.length) {
                    throw new FloeException(ErrorCode.CORRUPT_OBJECT, "Object " + objectKey + " is shorter than its index says.");
                }
                ByteBuffer b = ByteBuffer.wrap(span, at, e.length()).slice();
                RecordBatches.assignOffsets(b, e.baseOffset());
                out[byPosition.get(k)] = b;
            }
            from = to;
        }
        return Optional.of(List.of(out));
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
}
