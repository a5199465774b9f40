package io.floe.log;

import io.floe.format.BucketLayout;
import io.floe.format.Commit;
import io.floe.format.CommitFormat;
import io.floe.format.SegmentFormat;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.Topic;
import io.floe.store.ObjectStore;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Turns one drained write buffer into one group commit (DESIGN.md §4): a single segment object
 * holding every partition's bytes (or, for a small flush, no segment: the data rides inline in
 * the commits), then one commit per topic touched. Producers' futures complete only after their
 * commit exists in the bucket.
 *
 * <p>Called by one thread at a time (the engine serialises flushes); commits of different topics
 * of one flush run in parallel on the executor.
 */
final class Flusher {

    private final ObjectStore store;
    private final Chain chain;
    private final SegmentCache cache;
    private final Retry retry;
    private final Clock clock;
    private final RandomGenerator random;
    private final Executor executor;
    private volatile String writerId;
    private final int inlineBytes;
    private final int checkpointEvery;
    private final Function<Topic, TopicState> states;
    private final java.util.function.Supplier<LogEvents> events;
    private final java.util.function.Supplier<LogTracer> tracer;
    private final AtomicLong segmentCounter = new AtomicLong();
    /** Keeps an idempotent producer's later batches from overtaking one whose commit failed. */
    final SequenceFence fence = new SequenceFence();
    /** Verifies transactional batches that would start a transaction (KIP-890); null: none are verified. */
    volatile TransactionVerifier verifier;
    /** Topics whose checkpoint is being written; at most one at a time per topic. */
    private final java.util.Set<String> checkpointing = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Flusher(ObjectStore store, Chain chain, SegmentCache cache, Retry retry, Clock clock, RandomGenerator random, Executor executor,
            String writerId, int inlineBytes, int checkpointEvery, Function<Topic, TopicState> states,
            java.util.function.Supplier<LogEvents> events, java.util.function.Supplier<LogTracer> tracer) {
        this.store = store;
        this.chain = chain;
        this.cache = cache;
        this.retry = retry;
        this.clock = clock;
        this.random = random;
        this.executor = executor;
        this.writerId = writerId;
        this.segmentWriterId = writerId;
        this.inlineBytes = inlineBytes;
        this.checkpointEvery = checkpointEvery;
        this.states = states;
        this.events = events;
        this.tracer = tracer;
    }

    /**
     * One partition's share of a flush: its pending appends in arrival order. {@code bytes} holds them
     * concatenated for a flush carried inline; a segment flush encodes the appends straight into the
     * segment, and its runs read their bytes from there ({@link Placed}): one copy of a flush, not three.
     */
    private record PartitionRun(Topic topic, int partition, List<WriteBuffer.Pending> appends, ByteBuffer bytes,
                                int offsetCount, long maxTimestamp) {

        List<ByteBuffer> parts() {
            return appends.stream().map(a -> a.bytes().duplicate()).toList();
        }
    }

    /** Where a run landed in its flush's segment, and a read-only view of its bytes there. */
    private record Placed(long position, ByteBuffer bytes) {
    }

    /** The commits of the last flush started; the next flush's commits wait for them. Guarded by this. */
    private CompletableFuture<Void> lastCommits = CompletableFuture.completedFuture(null);

    /**
     * Starts a flush of {@code drained}: its segment is written at once, in parallel with the
     * segments of flushes still in flight, but its commits wait until every commit of the previous
     * flush is done — so records keep their buffer order in every partition (invariant 4) while
     * several PUTs overlap. Completes when its producers have been answered. Callers start flushes
     * one at a time (the engine's flush lock).
     */
    synchronized CompletableFuture<Void> start(List<WriteBuffer.Pending> drained) {
        if (drained.isEmpty()) {
            return lastCommits;
        }
        long total = drained.stream().mapToLong(p -> p.bytes().remaining()).sum();
        Map<String, Map<Integer, PartitionRun>> byTopic = group(drained, total <= inlineBytes);
        LogTracer.Span flush = tracer.get().start("floe.flush", null);
        flush.set("floe.bytes", total);
        flush.set("floe.topics", byTopic.size());
        Map<PartitionRun, Placed> positions = new IdentityHashMap<>(); // runs hold buffers: identity, not content
        CompletableFuture<String> segment = total > inlineBytes
                ? CompletableFuture.supplyAsync(() -> writeSegment(byTopic, positions), executor)
                : CompletableFuture.completedFuture(null);
        CompletableFuture<Void> previous = lastCommits;
        CompletableFuture<Void> done = segment
                .handle((key, error) -> error)
                .thenCombine(previous.exceptionally(e -> null), (error, x) -> error)
                .thenComposeAsync(error -> {
                    if (error != null) {
                        Throwable cause = error instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                                ? c.getCause() : error;
                        for (WriteBuffer.Pending p : drained) {
                            if (p.producer() != null) {
                                fence.failed(p.topic().id(), p.partition(), p.producer());
                            }
                            p.baseOffset().completeExceptionally(cause);
                        }
                        return CompletableFuture.completedFuture(null);
                    }
                    return commitAll(byTopic, segment.join(), positions, flush);
                }, executor);
        done.whenComplete((x, e) -> flush.end());
        lastCommits = done;
        return done;
    }

    /** Writes one commit per topic of a flush, topics in parallel. */
    private CompletableFuture<Void> commitAll(Map<String, Map<Integer, PartitionRun>> byTopic, String segmentKey,
                                              Map<PartitionRun, Placed> positions, LogTracer.Span flush) {
        List<CompletableFuture<Void>> commits = new ArrayList<>();
        for (Map<Integer, PartitionRun> runs : byTopic.values()) {
            commits.add(CompletableFuture.runAsync(() -> commitTopic(runs, segmentKey, positions, flush), executor));
        }
        return CompletableFuture.allOf(commits.toArray(CompletableFuture[]::new)).exceptionally(e -> null);
    }

    /** The drained appends by topic and partition; {@code concatenate}: each run's bytes copied into one buffer (inline flushes). */
    private static Map<String, Map<Integer, PartitionRun>> group(List<WriteBuffer.Pending> drained, boolean concatenate) {
        Map<String, Map<Integer, List<WriteBuffer.Pending>>> grouped = new LinkedHashMap<>();
        for (WriteBuffer.Pending p : drained) {
            grouped.computeIfAbsent(p.topic().id(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(p.partition(), k -> new ArrayList<>()).add(p);
        }
        Map<String, Map<Integer, PartitionRun>> out = new LinkedHashMap<>();
        grouped.forEach((topicId, parts) -> {
            Map<Integer, PartitionRun> runs = new LinkedHashMap<>();
            parts.forEach((partition, appends) -> {
                int size = appends.stream().mapToInt(a -> a.bytes().remaining()).sum();
                ByteBuffer bytes = concatenate ? ByteBuffer.allocate(size) : null;
                int count = 0;
                long maxTs = -1;
                for (WriteBuffer.Pending a : appends) {
                    if (bytes != null) {
                        bytes.put(a.bytes().duplicate());
                    }
                    count += a.offsetCount();
                    maxTs = Math.max(maxTs, a.maxTimestamp());
                }
                if (bytes != null) {
                    bytes.flip();
                }
                // The newest metadata seen wins: a partition added mid-buffer is then known.
                Topic topic = appends.get(appends.size() - 1).topic();
                runs.put(partition, new PartitionRun(topic, partition, appends, bytes, count, maxTs));
            });
            out.put(topicId, runs);
        });
        return out;
    }

    private String writeSegment(Map<String, Map<Integer, PartitionRun>> byTopic, Map<PartitionRun, Placed> positions) {
        List<SegmentFormat.Chunk> chunks = new ArrayList<>();
        List<PartitionRun> order = new ArrayList<>();
        byTopic.forEach((topicId, runs) -> runs.values().forEach(r -> {
            chunks.add(new SegmentFormat.Chunk(topicId, r.partition(), r.parts()));
            order.add(r);
        }));
        SegmentFormat.Encoded encoded = SegmentFormat.encode(chunks);
        for (int i = 0; i < order.size(); i++) {
            SegmentFormat.Located at = encoded.chunks().get(i);
            ByteBuffer view = ByteBuffer.wrap(encoded.bytes(), (int) at.position(), at.length()).slice().asReadOnlyBuffer();
            positions.put(order.get(i), new Placed(at.position(), view));
        }
        String key = BucketLayout.segment(clock.millis(), segmentWriterId, segmentCounter.incrementAndGet());
        byte[] bytes = encoded.bytes();
        if (!unconditionalSegmentWrites) {
            createSegment(key, bytes);
        } else {
            retry.call("write segment " + key, () -> store.put(key, bytes));
        }
        events.get().flushObject(bytes.length);
        return key;
    }

    /**
     * Simulation and tests only: name segments after the bare instance id and write them with a plain PUT,
     * as before issue 12, to show what that costs.
     */
    void legacySegmentWrites(String instanceId) {
        legacyWriterId = instanceId;
        segmentWriterId = instanceId;
        unconditionalSegmentWrites = true;
    }

    private volatile boolean unconditionalSegmentWrites;
    private volatile String segmentWriterId;
    private volatile String legacyWriterId;

    /**
     * Names this engine's segments and commits after {@code writerId} from now on: a process restored from a
     * snapshot must not write under the snapshot's writer id, which every other restored clone also has.
     */
    void renewWriterId(String writerId) {
        this.writerId = writerId;
        this.segmentWriterId = unconditionalSegmentWrites ? legacyWriterId : writerId;
    }

    /**
     * Creates a segment only if its key is free (invariant 5: never overwrite). A Conflict is either our
     * own earlier attempt, whose answer was lost, or another writer under the same key (two processes
     * with one instance id and one nonce): the first is recognised by its content, the second fails
     * this flush safely (its producers are told to retry) and the other writer's data stays intact.
     */
    private void createSegment(String key, byte[] bytes) {
        ObjectStore.WriteResult r = retry.call("write segment " + key, () -> store.createIfAbsent(key, bytes));
        if (r.written()) {
            return;
        }
        Optional<ObjectStore.StoredObject> held = retry.call("read segment " + key, () -> store.get(key));
        if (held.isPresent() && java.util.Arrays.equals(held.get().content(), bytes)) {
            return;
        }
        throw new FloeException(ErrorCode.STORE_UNAVAILABLE, "Segment key " + key + " is taken by another writer"
                + " (two processes with the same floe.instance-id?); nothing was overwritten. Retry.");
    }

    private void commitTopic(Map<Integer, PartitionRun> runs, String segmentKey, Map<PartitionRun, Placed> positions,
                             LogTracer.Span flush) {
        List<WriteBuffer.Pending> appends = runs.values().stream().flatMap(r -> r.appends().stream()).toList();
        Topic topic = runs.values().iterator().next().topic();
        LogEvents listener = events.get();
        LogTracer.Span span = flush.child("floe.commit", topic.name());
        span.set("floe.partitions", runs.size());
        // Latency for metrics only (nothing decides on it): the monotonic clock, not the injected one.
        long started = System.nanoTime();
        int[] inlineBytes = {0};
        try {
            TopicState state = states.apply(topic);
            String commitId = newCommitId();
            List<CommitPlan.Run> planRuns = new ArrayList<>();
            Map<CommitPlan.Run, Long> planPositions = new IdentityHashMap<>();
            Map<Integer, List<Long>> producerIds = new LinkedHashMap<>();
            for (PartitionRun r : runs.values()) {
                Placed placed = segmentKey != null ? positions.get(r) : null;
                CommitPlan.Run run = new CommitPlan.Run(r.partition(), r.appends(), placed != null ? placed.bytes() : r.bytes());
                planRuns.add(run);
                if (placed != null) {
                    planPositions.put(run, placed.position());
                }
                for (WriteBuffer.Pending a : r.appends()) {
                    if (a.producer() != null) {
                        producerIds.computeIfAbsent(r.partition(), k -> new ArrayList<>()).add(a.producer().producerId());
                    }
                }
            }
            CommitPlan[] plan = new CommitPlan[1]; // the plan of the round that was written
            Commit commit = chain.commit(state, commitId, runs.keySet(), producerIds, tip -> {
                CommitPlan p = new CommitPlan(topic.id(), planRuns, tip, fence,
                        TxnVerification.refusals(verifier, topic.name(), planRuns, tip), segmentKey, planPositions);
                plan[0] = p;
                if (p.empty()) {
                    return null; // every run was a duplicate or refused: nothing to write
                }
                p.forEachSegmentEntry(cache::putWritten);
                byte[] encoded = CommitFormat.encode(tip.sequence(), commitId, writerId, clock.millis(), segmentKey,
                        p.drafts(), List.of(), p.producerBatches());
                inlineBytes[0] = encoded.length;
                return encoded;
            });
            plan[0].answer(topic.id(), fence);
            listener.commitTook(topic.name(), System.nanoTime() - started, false);
            if (commit != null) {
                span.set("floe.commit.sequence", commit.sequence());
            }
            if (commit != null && segmentKey == null) {
                listener.flushObject(inlineBytes[0]);
            }
            // Only what this commit wrote: a producer's re-send found to be a duplicate is answered
            // with its first offset but was counted when it was first written.
            for (WriteBuffer.Pending a : appends) {
                if (plan[0].accepted(a)) {
                    listener.produced(topic.name(), a.offsetCount(), a.bytes().remaining());
                }
            }
            if (commit != null && checkpointEvery > 0 && commit.sequence() > 0 && commit.sequence() % checkpointEvery == 0
                    && checkpointing.add(state.topicId())) {
                // Off the commit path: a checkpoint is three requests the next flush need not wait for.
                executor.execute(() -> {
                    try {
                        checkpointQuietly(state);
                    } finally {
                        checkpointing.remove(state.topicId());
                    }
                });
            }
        } catch (RuntimeException e) {
            // Failed, or outcome unknown: later batches of these producers must not overtake these.
            for (WriteBuffer.Pending a : appends) {
                if (a.producer() != null) {
                    fence.failed(topic.id(), a.partition(), a.producer());
                }
            }
            listener.commitTook(topic.name(), System.nanoTime() - started, true);
            span.failed(e);
            appends.forEach(a -> a.baseOffset().completeExceptionally(e));
        } finally {
            span.end();
        }
    }

    /** Whether a checkpoint started off the commit path is still being written (so that a Lambda invocation ends only once it is written). */
    boolean checkpointsInFlight() {
        return !checkpointing.isEmpty();
    }

    private void checkpointQuietly(TopicState state) {
        try {
            chain.checkpoint(state);
        } catch (RuntimeException e) {
            System.getLogger(Flusher.class.getName()).log(System.Logger.Level.WARNING,
                    "Checkpoint of topic id " + state.topicId() + " failed; the next one will cover it: " + e.getMessage());
        }
    }

    private String newCommitId() {
        synchronized (random) {
            return writerId + "-" + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
        }
    }
}
