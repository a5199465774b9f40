package io.floe.log;

import io.floe.format.BucketLayout;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.Message;
import io.floe.model.Topic;
import io.floe.store.ObjectStore;
import io.floe.store.StoreException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;

/**
 * The log: topics, append, fetch. Both front doors (REST, Kafka) call this and nothing below it.
 *
 * <p>Thread-safe. Admin calls block on the store; produce and fetch return futures, which complete
 * exceptionally with {@link FloeException}s (possibly wrapped in a {@link CompletionException}).
 * With {@link LogSettings#backgroundThreads()} the engine owns a flusher thread, a poll timer and a
 * virtual-thread executor; without, everything runs on the caller's thread and the caller drives
 * {@link #flushNow()} — which is what makes the simulation deterministic.
 */
public final class LogEngine implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LogEngine.class.getName());

    private final ObjectStore store;
    private final Clock clock;
    private final LogSettings settings;
    private final TopicRegistry registry;
    private final Chain chain;
    private final Reader reader;
    private final MultiFetch multiFetch = new MultiFetch(this);
    private final Flusher flusher;
    private final WriteBuffer buffer;
    private final FlushPolicy policy;
    private final ExecutorService executor;
    private final ScheduledExecutorService scheduler;
    private final Thread flusherThread;
    private final Retry retry;
    private final ReentrantLock flushLock = new ReentrantLock();
    /** Flushes started and not yet committed. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, CompletableFuture<TopicState>> states = new ConcurrentHashMap<>();
    private final AtomicInteger spread;
    private final Maintenance maintenance;
    private final RecordDeletion deletion;
    private final RandomGenerator random;
    private volatile InstanceClaim claim;
    private volatile boolean closed;
    private volatile LogEvents events = LogEvents.NONE;
    private volatile LogTracer tracer = LogTracer.NONE;

    public LogEngine(ObjectStore store, Clock clock, RandomGenerator random, LogSettings settings) {
        this.store = store;
        this.clock = clock;
        this.settings = settings;
        this.random = random;
        boolean background = settings.backgroundThreads();
        // Jitter from a thread-safe generator seeded by the injected one (background threads share it).
        this.retry = background ? new Retry(Retry.Sleeper.REAL, new java.util.Random(random.nextLong()))
                : new Retry(Retry.Sleeper.NONE, random);
        this.executor = background ? Executors.newVirtualThreadPerTaskExecutor() : null;
        this.scheduler = background ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "floe-poller");
            t.setDaemon(true);
            return t;
        }) : null;
        java.util.concurrent.Executor run = background ? executor : Runnable::run;
        SegmentCache cache = new SegmentCache(store, retry, run, settings.cacheBytes(), settings.flushBytes(), () -> events, clock);
        this.chain = new Chain(store, cache, retry, clock);
        this.registry = new TopicRegistry(store, retry, clock, random, settings.metadataMaxAge());
        this.reader = new Reader(chain, cache, clock, settings.pollInterval(), scheduler);
        // The writer id of segments and commits carries a per-process nonce: two processes given the same
        // floe.instance-id still write distinct keys (D50).
        String nonce = nonce(random);
        this.claim = new InstanceClaim(store, clock, settings.instanceId(), nonce);
        this.flusher = new Flusher(store, chain, cache, retry, clock, random, run, settings.instanceId() + "." + nonce,
                settings.inlineBytes(), settings.checkpointEvery(), this::state,
                () -> events, () -> tracer);
        this.buffer = new WriteBuffer(settings.maxBufferedBytes());
        this.policy = new FlushPolicy(settings.linger(), settings.flushMaxLinger(), settings.flushBytes(), settings.flushRecords(),
                Math.max(1, settings.flushMaxInFlight()));
        this.spread = new AtomicInteger(random.nextInt(Integer.MAX_VALUE));
        this.maintenance = new Maintenance(this, store, chain, retry, clock, settings.instanceId());
        this.deletion = new RecordDeletion(maintenance, settings.instanceId() + "." + nonce);
        if (background) {
            flusherThread = new Thread(this::flushLoop, "floe-flusher");
            flusherThread.setDaemon(true);
            flusherThread.start();
            long poll = Math.max(1, settings.pollInterval().toMillis());
            scheduler.scheduleWithFixedDelay(this::pollForWaiters, poll, poll, TimeUnit.MILLISECONDS);
            // Long-lived processes claim their instance id (Lambda does not: its nonce keeps data safe).
            scheduler.scheduleWithFixedDelay(() -> claim.renew(), 0, InstanceClaim.RENEW_MS, TimeUnit.MILLISECONDS);
        } else {
            flusherThread = null;
        }
    }

    private static String nonce(RandomGenerator random) {
        return String.format("%08x", random.nextInt());
    }

    /**
     * Gives this engine a new identity: instance id {@code instanceId} and a new per-process nonce drawn from
     * the random source, so new writer ids for segments, commits and deletions, and a new instance claim.
     * For a process restored from a snapshot (Lambda SnapStart, CRaC; DECISIONS.md D94): every clone of
     * the snapshot would otherwise write under the same writer id and spread records from the same partition.
     * Renew the random source first (the nonce comes from it), and before the engine writes again.
     */
    public void renewIdentity(String instanceId) {
        String nonce = nonce(random);
        String writer = instanceId + "." + nonce;
        claim = new InstanceClaim(store, clock, instanceId, nonce);
        flusher.renewWriterId(writer);
        deletion.renewWriter(writer);
        maintenance.renewInstanceId(instanceId);
        spread.set(random.nextInt(Integer.MAX_VALUE));
    }

    /** Sets who hears about produce, fetch, flush and commit (metrics); {@link LogEvents#NONE} by default. */
    public void listen(LogEvents listener) {
        this.events = listener == null ? LogEvents.NONE : listener;
    }

    /** Sets who traces produce, flush, commit and fetch; {@link LogTracer#NONE} by default. */
    public void trace(LogTracer tracer) {
        this.tracer = tracer == null ? LogTracer.NONE : tracer;
    }

    /** Ends {@code span} when {@code work} completes, failed if it failed; returns {@code work}. */
    private static <T> CompletableFuture<T> traced(LogTracer.Span span, CompletableFuture<T> work) {
        work.whenComplete((v, e) -> {
            if (e != null) {
                span.failed(e);
            }
            span.end();
        });
        return work;
    }

    // ---- topics ------------------------------------------------------------------------------

    /** The cluster id, created in the bucket on first use and stable afterwards. */
    public String clusterId() {
        return registry.clusterId();
    }

    public Topic createTopic(String name, int partitions, Map<String, String> configs) {
        return registry.create(name, partitions, configs == null ? Map.of() : configs);
    }

    /** All topics, sorted by name; those not in the metadata cache are read concurrently ({@link #readAll}). */
    public List<Topic> listTopics() {
        List<Topic> out = new ArrayList<>();
        for (Optional<Topic> t : readAll(registry.names(), registry::find)) {
            t.ifPresent(out::add);
        }
        return out;
    }

    /** The name of every topic, sorted (one LIST per thousand, no topic read). */
    public List<String> topicNames() {
        return registry.names();
    }

    /** Reads at most this many objects at once in {@link #readAll}. */
    static final int READS_IN_FLIGHT = 16;

    /**
     * Applies {@code read} (a store read) to every key and returns the results in key order: at most
     * {@link #READS_IN_FLIGHT} at once on the engine's virtual threads, or one after another when the
     * engine runs without background threads (the deterministic simulation). Listing a thousand topics
     * or a hundred groups then takes a few round trips instead of one per object.
     */
    public <K, V> List<V> readAll(List<K> keys, java.util.function.Function<K, V> read) {
        if (executor == null || keys.size() < 2) {
            return keys.stream().map(read).toList();
        }
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(READS_IN_FLIGHT);
        List<CompletableFuture<V>> reads = new ArrayList<>(keys.size());
        for (K k : keys) {
            inFlight.acquireUninterruptibly();
            reads.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return read.apply(k);
                } finally {
                    inFlight.release();
                }
            }, executor));
        }
        List<V> out = new ArrayList<>(keys.size());
        for (CompletableFuture<V> r : reads) {
            try {
                out.add(r.join());
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : e;
            }
        }
        return out;
    }

    /** All topics read from the bucket, bypassing the metadata cache (background work). */
    List<Topic> listTopicsUncached() {
        List<Topic> out = new ArrayList<>();
        for (String name : registry.names()) {
            registry.read(name).ifPresent(out::add);
        }
        return out;
    }

    /** What the background janitor may do to the log ({@code io.floe.janitor}). */
    public Maintenance maintenance() {
        return maintenance;
    }

    /** Throws UNKNOWN_TOPIC when absent. */
    public Topic topic(String name) {
        return registry.get(name);
    }

    public void deleteTopic(String name) {
        Topic t = registry.delete(name);
        states.remove(t.id());
    }

    /** Raises the partition count to {@code newCount}; lowering it is INVALID_PARTITIONS. */
    public Topic createPartitions(String name, int newCount) {
        Topic.validatePartitions(newCount);
        return registry.update(name, t -> {
            if (newCount < t.partitions()) {
                throw new FloeException(ErrorCode.INVALID_PARTITIONS, "Topic '" + name + "' has " + t.partitions()
                        + " partitions; the count can only be increased, not lowered to " + newCount + ".");
            }
            return t.withPartitions(newCount);
        });
    }

    /** Sets the given configs and resets {@code reset} ones to their defaults. */
    public Topic alterConfigs(String name, Map<String, String> set, Set<String> reset) {
        return registry.update(name, t -> t.withConfig(t.config().with(set, reset)));
    }

    /**
     * DeleteRecords: moves each partition's log start to the given offset ({@code -1}: the high
     * watermark) through the topic's chain, as retention does ({@link RecordDeletion}).
     */
    public DeletedRecords deleteRecords(String topic, Map<Integer, Long> before) {
        return deletion.deleteBefore(registry.get(topic), before);
    }

    // ---- offsets -----------------------------------------------------------------------------

    public PartitionOffsets offsets(String topic, int partition) {
        Topic t = registry.get(topic);
        t.checkPartition(partition);
        return reader.offsets(t, state(t), partition);
    }

    public List<PartitionOffsets> offsets(String topic) {
        Topic t = registry.get(topic);
        TopicState s = state(t);
        reader.refreshSince(s, clock.millis());
        List<PartitionOffsets> out = new ArrayList<>();
        for (int p = 0; p < t.partitions(); p++) {
            out.add(s.offsets(p));
        }
        return out;
    }

    /**
     * The producers a partition knows, as of the chain's head (Kafka's DescribeProducers): per producer id its
     * epoch, last commit time, last runs (sequences, offsets) and the first offset of its open transaction (-1: none).
     */
    public List<io.floe.format.Checkpoint.Producer> producers(String topic, int partition) {
        Topic t = registry.get(topic);
        t.checkPartition(partition);
        TopicState s = state(t);
        reader.offsets(t, s, partition); // reads the chain to its head
        return s.producers(partition);
    }

    /** The first offset whose record timestamp is >= {@code timestampMs}, or -1 if there is none. */
    public long offsetForTimestamp(String topic, int partition, long timestampMs) {
        Topic t = registry.get(topic);
        t.checkPartition(partition);
        return reader.offsetForTimestamp(t, state(t), partition, timestampMs);
    }

    // ---- produce -----------------------------------------------------------------------------

    /**
     * Appends records (partition chosen per {@link Message#partition()}, else murmur2 of the key,
     * else spread round-robin). Completes when they are durable in the bucket, with one position per
     * message in input order. Validates everything before buffering anything: a request with one bad
     * record writes nothing.
     *
     * <p>Buffers on the caller's thread, so records produced one call after another by one thread
     * keep that order (invariant 4). Blocks only to read topic metadata on a cache miss.
     */
    public CompletableFuture<List<RecordPosition>> produce(String topic, List<Message> messages) {
        LogTracer.Span span = tracer.start("floe.produce", topic);
        span.set("floe.records", messages.size());
        return traced(span, inline(() -> {
            Topic t = registry.get(topic);
            long now = clock.millis();
            ProduceBatches.Prepared prepared = ProduceBatches.prepare(t, messages, now, spread::getAndIncrement);
            buffer.add(prepared.appends(), now);
            return prepared.positions();
        }));
    }

    /**
     * Appends client-built RecordBatch v2 batches to one partition, stored verbatim. Completes with
     * the base offset of the first batch once durable. Buffers on the caller's thread, in call order.
     */
    public CompletableFuture<Long> append(String topic, int partition, ByteBuffer batches) {
        return append(topic, partition, batches, null);
    }

    /**
     * As {@link #append(String, int, ByteBuffer)}, for batches a producer sent under {@code transactionalId}
     * (Kafka's Produce carries it; null: none). A transactional batch that would start a transaction on the
     * partition is verified with the {@link #verifyTransactionsWith verifier} in the commit that holds it, and
     * refused INVALID_TXN_STATE when the partition is not in the producer's open transaction (KIP-890).
     */
    public CompletableFuture<Long> append(String topic, int partition, ByteBuffer batches, String transactionalId) {
        LogTracer.Span span = tracer.start("floe.produce", topic);
        span.set("floe.partition", partition);
        span.set("floe.bytes", batches.remaining());
        return traced(span, inline(() -> {
            Topic t = registry.get(topic);
            long now = clock.millis();
            WriteBuffer.Pending pending = ProduceBatches.prepareAppend(t, partition, batches, now, transactionalId);
            buffer.add(List.of(pending), now);
            return pending.baseOffset();
        }));
    }

    /** Who answers KIP-890's verification of transactional batches (the transaction coordinator); null: none. */
    public void verifyTransactionsWith(TransactionVerifier verifier) {
        flusher.verifier = verifier;
    }

    /**
     * Appends transaction markers: one control batch per partition of {@code topic} (a COMMIT or ABORT
     * marker as {@code MemoryRecords.withEndTransactionMarker} builds it, carrying the producer id and
     * epoch of the transaction), all in one commit of the topic's chain (they are buffered together, so
     * one flush holds them). Each marker ends the producer's open transaction on its partition: an ABORT
     * records the aborted range, and the last stable offset moves on. A marker whose epoch is older than
     * the partition's producer epoch is refused INVALID_PRODUCER_EPOCH (that partition only); a marker
     * for a partition without an open transaction of the producer is written and changes nothing else
     * (writing markers again after a crash is harmless). Completes, once durable, with each partition's
     * marker offset; fails as a whole if the commit fails (its outcome may then be unknown: write again).
     */
    public CompletableFuture<Map<Integer, Long>> appendMarkers(String topic, Map<Integer, ByteBuffer> markers) {
        return inline(() -> {
            Topic t = registry.get(topic);
            long now = clock.millis();
            List<WriteBuffer.Pending> pendings = new ArrayList<>();
            Map<Integer, CompletableFuture<Long>> offsets = new java.util.TreeMap<>();
            for (var e : markers.entrySet()) {
                WriteBuffer.Pending p = ProduceBatches.prepareAppend(t, e.getKey(), e.getValue(), now);
                if (p.producer() == null || !p.producer().kind().marker()) {
                    throw new FloeException(ErrorCode.INVALID_REQUEST, "Partition " + e.getKey() + " of topic '" + topic
                            + "' was given something other than one COMMIT or ABORT control batch.");
                }
                pendings.add(p);
                offsets.put(e.getKey(), p.baseOffset());
            }
            buffer.add(pendings, now);
            buffer.requestFlush();
            return CompletableFuture.allOf(offsets.values().toArray(CompletableFuture[]::new)).thenApply(x -> {
                Map<Integer, Long> out = new java.util.TreeMap<>();
                offsets.forEach((p, f) -> out.put(p, f.join()));
                return out;
            });
        });
    }

    // ---- fetch -------------------------------------------------------------------------------

    /**
     * Reads committed batches from {@code offset}, up to about {@code maxBytes} (at least one batch
     * when any is available). At the end of the log, waits up to {@code maxWait} for new commits.
     * Completes exceptionally with OffsetOutOfRangeException outside {@code [logStart, end]}.
     */
    public CompletableFuture<FetchResult> fetch(String topic, int partition, long offset, int maxBytes, Duration maxWait) {
        return fetch(topic, partition, offset, maxBytes, maxWait == null ? Duration.ZERO : maxWait, false);
    }

    /** The engine's retry policy (D41), for the store calls of the components built on the engine. */
    public Retry retry() {
        return retry;
    }

    /**
     * Reads several partitions at once with one byte budget and one long poll (see {@link FetchRequest}):
     * the fetch both front doors use. Completes with one entry per partition, a failed partition
     * carrying its error; never completes exceptionally.
     */
    public CompletableFuture<FetchResponse> fetch(FetchRequest request) {
        return multiFetch.fetch(request);
    }

    /**
     * Reads what this instance already knows to be committed from {@code offset}, without waiting —
     * for a caller that, finding nothing, goes on to a waiting {@link #fetch} (a Kafka fetch checks
     * every partition before it waits on all of them). Unlike a fetch with no wait, it does not read
     * the chain head when it reaches the end: the waiting fetch that follows sees new commits, and
     * one GET per consumer fetch was most of the cost of consuming at the tail.
     */
    public CompletableFuture<FetchResult> fetchAvailable(String topic, int partition, long offset, int maxBytes) {
        return fetch(topic, partition, offset, maxBytes, Duration.ZERO, true);
    }

    private CompletableFuture<FetchResult> fetch(String topic, int partition, long offset, int maxBytes, Duration maxWait,
                                                 boolean thenWaits) {
        return fetch(topic, partition, offset, maxBytes, maxWait, thenWaits, IsolationLevel.READ_UNCOMMITTED);
    }

    /** As {@link #fetch(String, int, long, int, Duration)}, at an isolation level (read_committed: up to the last stable offset). */
    public CompletableFuture<FetchResult> fetch(String topic, int partition, long offset, int maxBytes, Duration maxWait,
                                                IsolationLevel isolation) {
        return fetch(topic, partition, offset, maxBytes, maxWait == null ? Duration.ZERO : maxWait, false, isolation);
    }

    /** The one-partition fetch behind both kinds, at an isolation level (read_committed: up to the last stable offset). */
    CompletableFuture<FetchResult> fetch(String topic, int partition, long offset, int maxBytes, Duration maxWait,
                                         boolean thenWaits, IsolationLevel isolation) {
        LogTracer.Span span = tracer.start("floe.fetch", topic);
        span.set("floe.partition", partition);
        span.set("floe.offset", offset);
        CompletableFuture<FetchResult> fetched = traced(span, async(() -> {
            Topic t = registry.get(topic);
            return reader.fetch(t, state(t), partition, offset, maxBytes, maxWait, thenWaits, isolation);
        }));
        // A side branch: the caller gets the fetch's own future, its failures unwrapped as before.
        fetched.thenAccept(r -> {
            if (!r.batches().isEmpty()) {
                events.fetched(topic, Math.max(0, r.nextOffset() - r.fetchOffset()), r.sizeInBytes());
            }
        });
        return fetched;
    }

    // ---- lifecycle ---------------------------------------------------------------------------

    /**
     * Flushes buffered records now and waits until they and every earlier flush are committed
     * (simulation, Lambda, shutdown).
     */
    public void flushNow() {
        // What is buffered now, one flush object at a time (each takes at least one append); appends
        // arriving meanwhile are not chased forever.
        int appends = buffer.pendingAppends();
        CompletableFuture<Void> last = startFlush();
        for (int i = 1; i < appends && !buffer.isEmpty(); i++) {
            last = startFlush();
        }
        last.join();
    }

    /**
     * Drains the buffer, up to one flush object's worth ({@link LogSettings#flushBytes()}), into a new
     * flush; completes when it (and every earlier one) is committed.
     */
    private CompletableFuture<Void> startFlush() {
        flushLock.lock();
        try {
            List<WriteBuffer.Pending> drained = buffer.drain(settings.flushBytes());
            if (drained.isEmpty()) {
                return flusher.start(drained);
            }
            inFlight.incrementAndGet();
            long bytes = drained.stream().mapToLong(p -> p.bytes().remaining()).sum();
            CompletableFuture<Void> done = flusher.start(drained);
            done.whenComplete((v, e) -> {
                inFlight.decrementAndGet();
                buffer.flushed(bytes);
            });
            return done;
        } finally {
            flushLock.unlock();
        }
    }

    // ---- deployments without background threads (AWS Lambda) ---------------------------------
    // awaitIdle before each Lambda invocation returns, and runMaintenance (missed checkpoints)
    // beside Janitor.runOnce in the scheduled invocation.

    /**
     * Returns once nothing is buffered, every flush is committed and no checkpoint started by a
     * commit is still being written — or after {@code max}. For runtimes that freeze the process
     * between requests (AWS Lambda), so that no work is frozen half-way with its connections.
     *
     * @return whether the engine is idle
     */
    public boolean awaitIdle(Duration max) {
        flushNow();
        long deadline = clock.millis() + max.toMillis();
        while (flusher.checkpointsInFlight()) {
            if (clock.millis() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * Does the engine's background work now, on the caller's thread, and returns when it is done:
     * flushes what is buffered, then reads each topic's chain to its head and writes a checkpoint
     * where the newest one is at least {@code checkpointEvery} commits behind (the committer that
     * should have written it failed or was frozen). Idempotent and safe on any number of instances
     * at once (checkpoints are created only if absent). Costs one LIST and one chain-head GET per topic.
     *
     * @return how many checkpoints were written
     */
    public int runMaintenance() {
        flushNow();
        int written = 0;
        for (Topic t : listTopics()) {
            TopicState s = state(t);
            chain.catchUp(s);
            List<ObjectStore.ObjectInfo> cps = retry.call("list checkpoints",
                    () -> store.list(BucketLayout.checkpointsPrefix(t.id()), null, 1000));
            long newest = cps.isEmpty() ? -1 : BucketLayout.sequenceOf(cps.get(cps.size() - 1).key());
            if (s.headSequence() - newest >= settings.checkpointEvery()) {
                chain.checkpoint(s);
                written++;
            }
        }
        return written;
    }

    /**
     * Whether another live process was seen running under this engine's {@code floe.instance-id}
     * (checked at start and every minute by engines with background threads; D50).
     */
    public boolean duplicateInstanceDetected() {
        return claim.duplicate();
    }

    /** Tests: claims or renews the instance id now. */
    void renewInstanceClaim() {
        claim.renew();
    }

    /** Simulation and tests only: takes out the fix of issue 12's fault 1, to show that the checks catch it. */
    void disableSequenceFence() {
        flusher.fence.enabled(false);
    }

    /** Simulation only: takes out the fix of issue 12's fault 2 in every engine of the JVM (see ProducerTable). */
    static void acceptRetriesAsNew(boolean on) {
        ProducerTable.acceptRetriesAsNew = on;
    }

    /**
     * Simulation and tests only: takes out the fix of issue 12's fault 4 — segments named after the bare
     * instance id (no per-process nonce) and written with a plain PUT.
     */
    void writeSegmentsUnconditionally() {
        flusher.legacySegmentWrites(settings.instanceId());
    }

    /** Whether the store answers (readiness). */
    public boolean storeReachable() {
        try {
            store.list(BucketLayout.TOPICS, null, 1);
            return true;
        } catch (StoreException e) {
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        buffer.wakeUp();
        if (flusherThread != null) {
            try {
                flusherThread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        flushNow();
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (executor != null) {
            executor.shutdown();
        }
    }

    private void flushLoop() {
        while (!closed) {
            try {
                buffer.awaitFlushDue(policy, clock, inFlight::get, () -> closed);
                if (!closed) {
                    startFlush();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "Flush failed unexpectedly; producers were told.", e);
            }
        }
    }

    /** Catches up topics that have fetches waiting, so that other instances' commits wake them. */
    private void pollForWaiters() {
        for (CompletableFuture<TopicState> f : states.values()) {
            TopicState s = f.getNow(null);
            if (s != null && s.hasWaiters()) {
                executor.execute(() -> {
                    try {
                        reader.refreshIfStale(s);
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.DEBUG, "Polling the chain failed; will retry: " + e.getMessage());
                    }
                });
            }
        }
    }

    /** This instance's view of a topic's chain, loaded from the bucket on first use. */
    TopicState state(Topic topic) {
        CompletableFuture<TopicState> f = states.get(topic.id());
        if (f == null) {
            CompletableFuture<TopicState> mine = new CompletableFuture<>();
            f = states.putIfAbsent(topic.id(), mine);
            if (f == null) {
                f = mine;
                try {
                    mine.complete(chain.load(topic.id()));
                } catch (RuntimeException e) {
                    states.remove(topic.id(), mine);
                    mine.completeExceptionally(e);
                }
            }
        }
        try {
            return f.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private interface Step<T> {
        CompletableFuture<T> run();
    }

    /** Runs {@code step} on the caller's thread; errors complete the future instead of being thrown. */
    private <T> CompletableFuture<T> inline(Step<T> step) {
        if (closed) {
            return CompletableFuture.failedFuture(new FloeException(ErrorCode.STORE_UNAVAILABLE, "Floe is shutting down."));
        }
        try {
            return step.run();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Runs {@code step} on the executor (inline without background threads); errors complete the future. */
    private <T> CompletableFuture<T> async(Step<T> step) {
        if (closed) {
            return CompletableFuture.failedFuture(new FloeException(ErrorCode.STORE_UNAVAILABLE, "Floe is shutting down."));
        }
        CompletableFuture<T> out = new CompletableFuture<>();
        Runnable r = () -> {
            try {
                step.run().whenComplete((v, e) -> {
                    if (e != null) {
                        out.completeExceptionally(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
                    } else {
                        out.complete(v);
                    }
                });
            } catch (RuntimeException e) {
                out.completeExceptionally(e);
            }
        };
        if (executor != null) {
            executor.execute(r);
        } else {
            r.run();
        }
        return out;
    }
}
