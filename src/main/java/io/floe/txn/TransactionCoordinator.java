package io.floe.txn;

import io.floe.format.BucketLayout;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.TopicPartition;
import io.floe.store.ConditionalUpdate;
import io.floe.log.Retry;
import io.floe.store.ObjectStore;
import io.floe.store.StoreException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Kafka's transaction coordinator without a coordinator: any instance serves any transactional id. The
 * state of a transactional id is one object ({@link Transaction}, {@code transactions/{id}}) changed
 * only by compare-and-swap through {@link ConditionalUpdate}; a request checks the producer id and
 * epoch inside the swap, so a zombie loses every swap after the epoch bump that fenced it.
 *
 * <p>EndTxn first swaps the object to PREPARE_COMMIT / PREPARE_ABORT — the decision, durable from then
 * on — then writes the markers ({@link MarkerWriter}), applies the transaction's offsets to its groups
 * ({@link OffsetSink}, commit only) and swaps the object to COMPLETE_*. A crash between the two swaps
 * leaves PREPARE_*: whoever next touches the id (InitProducerId, AddPartitions, EndTxn, or the periodic
 * {@link #abortTimedOut} scan of any instance) finishes it first. Finishing again is harmless: markers
 * end no batch twice and offsets are applied only over older commits.
 *
 * <p>An ONGOING transaction older than its timeout is aborted at a bumped epoch by whoever notices:
 * a request for the id, or the scan.
 *
 * <p>Thread-safe and stateless apart from a write counter: every call reads the object. Calls block on
 * the store. Errors: {@link FloeException} with the codes of {@link ErrorCode}'s transaction section,
 * CONCURRENT_UPDATE when swaps keep losing (retriable), STORE_UNAVAILABLE, CORRUPT_OBJECT naming the key.
 */
public final class TransactionCoordinator {

    private static final System.Logger LOG = System.getLogger(TransactionCoordinator.class.getName());
    /** Kafka allows a 32767-byte protocol string; an S3 key allows 1024 bytes. */
    static final int MAX_ID_LENGTH = 255;
    /** How often a request re-reads after finishing someone else's transaction before giving up. */
    private static final int ROUNDS = 4;

    private final ObjectStore store;
    private final MarkerWriter markers;
    private final OffsetSink offsets;
    private final ProducerIdSource producerIds;
    private final Retry retry;
    private final Clock clock;
    private final TxnSettings settings;
    private final String writerPrefix;
    private final AtomicLong writes = new AtomicLong();
    /** The states the last scans read, by key, with the ETag they were read at: a scan GETs only what changed. */
    private volatile int lastScanFound = -1;
    private final Map<String, Scanned> scanned = new java.util.concurrent.ConcurrentHashMap<>();

    private record Scanned(String etag, Transaction transaction) {
    }

    /**
     * @param retry retries reads, lists, deletes and the create-if-absent of group markers (idempotent calls);
     *              conditional writes of a transaction's state are not retried blindly: each caller decides
     *              after an unknown outcome (the retry only paces lost compare-and-swap races)
     */
    public TransactionCoordinator(ObjectStore store, Retry retry, MarkerWriter markers, OffsetSink offsets,
                                  ProducerIdSource producerIds, Clock clock, RandomGenerator random, TxnSettings settings) {
        this.store = store;
        this.retry = retry;
        this.markers = markers;
        this.offsets = offsets;
        this.producerIds = producerIds;
        this.clock = clock;
        this.settings = settings;
        this.writerPrefix = settings.instanceId() + "-" + HexFormat.of().toHexDigits(random.nextInt()) + ":";
    }

    /** A producer id and epoch, as InitProducerId answers. */
    public record ProducerIdAndEpoch(long producerId, short epoch) {
    }

    /** A request found the transaction in a state it must first finish (or abort): do that, then retry. */
    private static final class Finish extends RuntimeException {
        final Transaction txn;

        Finish(Transaction txn) {
            super(null, null, false, false);
            this.txn = txn;
        }
    }

    // ---- InitProducerId ---------------------------------------------------------------------

    /**
     * Maps {@code transactionalId} to a producer id and a new epoch, fencing every older producer of the
     * id. An open transaction is aborted first (markers at a bumped epoch); one being finished is
     * finished. With {@code expected} (KIP-360: a producer that knows its id and epoch bumps it after an
     * abortable error) the current id and epoch must match, or be the ones this bump replaced (a retry).
     *
     * @param expected the producer's current id and epoch, or null for a producer that starts fresh
     */
    public ProducerIdAndEpoch initProducerId(String transactionalId, int timeoutMs, ProducerIdAndEpoch expected) {
        checkId(transactionalId);
        if (timeoutMs <= 0 || timeoutMs > settings.maxTimeout().toMillis()) {
            throw new FloeException(ErrorCode.INVALID_TRANSACTION_TIMEOUT, "transaction.timeout.ms " + timeoutMs
                    + " is outside 1.." + settings.maxTimeout().toMillis() + " (the coordinator's maximum).");
        }
        String key = BucketLayout.transaction(transactionalId);
        for (int round = 0; ; round++) {
            long fresh = producerIds.next(); // taken outside the swap, which may run more than once; unused ids cost nothing
            long now = clock.millis();
            Transaction[] result = new Transaction[1];
            try {
                ConditionalUpdate.Outcome o = swap(key, cur -> {
                    if (cur.isEmpty()) {
                        if (expected != null) {
                            throw mapping(transactionalId, expected.producerId());
                        }
                        result[0] = Transaction.fresh(transactionalId, fresh, timeoutMs, now);
                        return result[0];
                    }
                    Transaction t = cur.get();
                    if (expected != null && expected.producerId() == t.lastProducerId()
                            && expected.epoch() == t.lastProducerEpoch() && t.state().idle()) {
                        result[0] = t; // a retry of the bump that made the current epoch
                        return null;
                    }
                    if (expected != null && (expected.producerId() != t.producerId() || expected.epoch() != t.producerEpoch())) {
                        throw expected.producerId() == t.producerId() ? fenced(t, expected.epoch()) : mapping(transactionalId,
                                expected.producerId());
                    }
                    if (t.state() == TxnState.ONGOING || t.state().preparing()) {
                        throw new Finish(t);
                    }
                    Transaction next = t.producerEpoch() >= Short.MAX_VALUE - 1
                            ? t.withProducer(fresh, (short) 0, timeoutMs, now)
                            : t.withProducer(t.producerId(), (short) (t.producerEpoch() + 1), timeoutMs, now);
                    result[0] = next.withState(TxnState.EMPTY, now);
                    return result[0];
                });
                giveUpIfLost(o, key);
                return new ProducerIdAndEpoch(result[0].producerId(), result[0].producerEpoch());
            } catch (Finish f) {
                checkRounds(round, key);
                if (f.txn.state() == TxnState.ONGOING) {
                    abort(key, f.txn, "fenced by InitProducerId");
                } else {
                    complete(key, f.txn);
                }
            }
        }
    }

    // ---- AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit ------------------------------

    /** Adds partitions to the producer's transaction, beginning one if none is open. */
    public void addPartitions(String transactionalId, long producerId, short epoch, Collection<TopicPartition> partitions) {
        changeOngoing(transactionalId, producerId, epoch, t -> {
            if (t.state() == TxnState.ONGOING && t.partitions().containsAll(partitions)) {
                return null;
            }
            TreeSet<TopicPartition> ps = new TreeSet<>(Transaction.ORDER);
            ps.addAll(t.partitions());
            ps.addAll(partitions);
            return t.withPartitions(ps, clock.millis());
        });
    }

    /** Adds a consumer group to the producer's transaction (its TxnOffsetCommits commit with it). */
    public void addOffsets(String transactionalId, long producerId, short epoch, String groupId) {
        markGroup(groupId, transactionalId);
        changeOngoing(transactionalId, producerId, epoch, t -> {
            if (t.state() == TxnState.ONGOING && t.groups().containsKey(groupId)) {
                return null;
            }
            TreeMap<String, SortedMap<TopicPartition, TxnOffset>> gs = new TreeMap<>(t.groups());
            gs.putIfAbsent(groupId, new TreeMap<>(Transaction.ORDER));
            return t.withGroups(gs, clock.millis());
        });
    }

    /**
     * Records offsets of {@code groupId} in the producer's open transaction: they become the group's
     * committed offsets when (and only if) the transaction commits. A group not yet added is added.
     */
    public void commitOffsets(String transactionalId, long producerId, short epoch, String groupId,
                              Map<TopicPartition, TxnOffset> pending) {
        markGroup(groupId, transactionalId);
        changeOngoing(transactionalId, producerId, epoch, t -> {
            if (t.state() != TxnState.ONGOING) {
                throw new FloeException(ErrorCode.INVALID_TXN_STATE, "Transactional id '" + transactionalId
                        + "' has no open transaction; call AddOffsetsToTxn first.");
            }
            TreeMap<String, SortedMap<TopicPartition, TxnOffset>> gs = new TreeMap<>(t.groups());
            TreeMap<TopicPartition, TxnOffset> os = new TreeMap<>(Transaction.ORDER);
            os.putAll(gs.getOrDefault(groupId, new TreeMap<>()));
            os.putAll(pending);
            gs.put(groupId, os);
            return t.withGroups(gs, clock.millis());
        });
    }

    /**
     * KIP-890 verification (AddPartitionsToTxn with verifyOnly, and the log's check of a transactional
     * batch that would start a transaction): whether each partition is part of the producer's open
     * transaction. One GET; writes nothing (the log asks inside a flush, which must not wait on markers).
     * An expired transaction still counts as open: the scan aborts it, and its ABORT marker, which goes
     * through each partition's chain, covers any batch written before it.
     *
     * @return the partitions that are not (INVALID_TXN_STATE for each); producer errors are thrown
     */
    public List<TopicPartition> verify(String transactionalId, long producerId, short epoch,
                                       Collection<TopicPartition> partitions) {
        String key = BucketLayout.transaction(checkId(transactionalId));
        Transaction t = checkProducer(key, read(key), producerId, epoch);
        List<TopicPartition> missing = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            if (t.state() != TxnState.ONGOING || !t.partitions().contains(tp)) {
                missing.add(tp);
            }
        }
        return missing;
    }

    /**
     * The partitions of {@code partitions} (null: all) for which an open or deciding transaction holds
     * offsets of {@code groupId}: OffsetFetch with {@code require_stable} answers UNSTABLE_OFFSET_COMMIT for
     * them (KIP-447). One LIST of the group's markers, one GET per transaction listed; an expired transaction
     * is aborted on the way.
     */
    public java.util.Set<TopicPartition> pendingOffsets(String groupId, Collection<TopicPartition> partitions) {
        java.util.Set<TopicPartition> out = new java.util.HashSet<>();
        String prefix = BucketLayout.transactionOffsetsPrefix(groupId);
        List<ObjectStore.ObjectInfo> markersOfGroup = retry.call("list " + prefix, () -> store.list(prefix, null, 1000));
        for (ObjectStore.ObjectInfo info : markersOfGroup) {
            String id = BucketLayout.transactionalIdOfOffsets(prefix, info.key());
            if (id == null) {
                continue;
            }
            Optional<Transaction> t = describe(id);
            if (t.isEmpty() || !(t.get().state() == TxnState.ONGOING || t.get().state().preparing())) {
                continue; // stale: the transaction's completion removes it
            }
            for (TopicPartition tp : t.get().groups().getOrDefault(groupId, new TreeMap<>()).keySet()) {
                if (partitions == null || partitions.contains(tp)) {
                    out.add(tp);
                }
            }
        }
        return out;
    }

    private void markGroup(String groupId, String transactionalId) {
        String key = BucketLayout.transactionOffsets(groupId, checkId(transactionalId));
        // Only its existence counts: writing it again after a lost answer changes nothing.
        retry.call("write " + key, () -> store.createIfAbsent(key,
                "{\"version\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    // ---- EndTxn ------------------------------------------------------------------------------

    /**
     * Commits or aborts the producer's transaction: decides it, writes its markers, applies its offsets,
     * completes it. A retry of a finished EndTxn of the same kind succeeds; the other kind, or no open
     * transaction, is INVALID_TXN_STATE.
     */
    public void endTxn(String transactionalId, long producerId, short epoch, boolean commit) {
        String key = BucketLayout.transaction(checkId(transactionalId));
        TxnState prepare = commit ? TxnState.PREPARE_COMMIT : TxnState.PREPARE_ABORT;
        TxnState complete = commit ? TxnState.COMPLETE_COMMIT : TxnState.COMPLETE_ABORT;
        for (int round = 0; ; round++) {
            long now = clock.millis();
            Transaction[] decided = new Transaction[1];
            try {
                // One swap checks the producer and decides: no separate read first.
                ConditionalUpdate.Outcome o = swap(key, cur -> {
                    Transaction t = checkProducer(key, cur, producerId, epoch);
                    if (t.state() == complete) {
                        return null; // a retry after the answer was lost
                    }
                    if (t.state() == prepare || t.expired(now)) {
                        throw new Finish(t);
                    }
                    if (t.state() != TxnState.ONGOING) {
                        throw new FloeException(ErrorCode.INVALID_TXN_STATE, "Transactional id '" + transactionalId + "' is "
                                + t.state().kafkaName() + "; cannot " + (commit ? "commit" : "abort") + ".");
                    }
                    decided[0] = t.withState(prepare, now);
                    return decided[0];
                });
                giveUpIfLost(o, key);
                if (o.updated()) {
                    complete(key, decided[0]);
                }
                return;
            } catch (Finish f) {
                checkRounds(round, key);
                if (f.txn.state() == TxnState.ONGOING) {
                    abort(key, f.txn, "timed out after " + f.txn.timeoutMs() + " ms"); // the epoch moves: fenced next round
                } else {
                    complete(key, f.txn);
                    return;
                }
            }
        }
    }

    // ---- timeouts ----------------------------------------------------------------------------

    /**
     * Aborts every transaction past its timeout, finishes every one left PREPARE_* for longer than three
     * scan intervals (its coordinator died), and deletes the state of ids unused for
     * {@link TxnSettings#idExpiration()}. Any instance may run it at any time; failures of one
     * transactional id are logged and the scan goes on.
     *
     * @return how many transactions were aborted or finished
     */
    public int abortTimedOut() {
        int done = 0;
        long now = clock.millis();
        long expiry = settings.idExpiration().toMillis();
        for (Transaction t : scan(x -> x.expired(now)
                || (x.state().preparing() && now - x.preparedAtMs() > 3 * settings.abortScan().toMillis())
                || (x.state().idle() && now - x.updatedAtMs() > expiry))) {
            String key = BucketLayout.transaction(t.transactionalId());
            try {
                if (t.state() == TxnState.ONGOING) {
                    abort(key, t, "timed out after " + t.timeoutMs() + " ms");
                } else if (t.state().preparing()) {
                    complete(key, t);
                } else {
                    expire(key, t);
                }
                done++;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Could not end transaction " + key + "; the next scan retries: "
                        + e.getMessage());
            }
        }
        return done;
    }

    /**
     * Deletes the state of a transactional id unused for {@link TxnSettings#idExpiration()}, if a fresh read
     * still shows the same write. The store has no conditional delete: a producer that initialises the id
     * between that read and the delete loses its state and gets INVALID_PRODUCER_ID_MAPPING (it restarts).
     */
    private void expire(String key, Transaction t) {
        Optional<Transaction> now = read(key);
        if (now.isPresent() && now.get().writeId().equals(t.writeId()) && now.get().state().idle()) {
            retry.run("delete " + key, () -> store.delete(key));
            LOG.log(System.Logger.Level.INFO, "Transactional id '" + t.transactionalId() + "' expired (unused since "
                    + java.time.Instant.ofEpochMilli(t.updatedAtMs()) + ")");
        }
    }

    // ---- operator views ----------------------------------------------------------------------

    /** The state of a transactional id, if it has one. Expired transactions are aborted first. */
    public Optional<Transaction> describe(String transactionalId) {
        String key = BucketLayout.transaction(checkId(transactionalId));
        Optional<Transaction> t = read(key);
        if (t.isPresent() && t.get().expired(clock.millis())) {
            abort(key, t.get(), "timed out after " + t.get().timeoutMs() + " ms");
            t = read(key);
        }
        return t;
    }

    /** Every transactional id whose state matches {@code filter} (one LIST, one GET per id). */
    public List<Transaction> list(Predicate<Transaction> filter) {
        return scan(filter);
    }

    /**
     * Aborts whatever transaction {@code producerId} has open under any transactional id (kafka-transactions.sh
     * {@code abort} of a hanging transaction, after an operator's decision).
     *
     * @return whether an open transaction was found and aborted
     */
    public boolean abortProducer(long producerId) {
        for (Transaction t : scan(x -> x.producerId() == producerId && (x.state() == TxnState.ONGOING || x.state().preparing()))) {
            String key = BucketLayout.transaction(t.transactionalId());
            if (t.state() == TxnState.ONGOING) {
                abort(key, t, "aborted by an operator");
            } else {
                complete(key, t);
            }
            return true;
        }
        return false;
    }

    /** How often the owner of this coordinator should call {@link #abortTimedOut}. */
    /** How many transactional ids the last scan listed (0: none; the caller may scan less often). */
    public int lastScanFound() {
        return lastScanFound;
    }

    public java.time.Duration abortScanInterval() {
        return settings.abortScan();
    }

    /** Number of state writes this instance made (for cost measurements). */
    public long writes() {
        return writes.get();
    }

    // ---- internals ---------------------------------------------------------------------------

    /**
     * Changes an ONGOING (or idle: the change begins a transaction) transaction of the producer: finishes
     * or aborts what must be first, then applies {@code change} (null: nothing to write).
     */
    private void changeOngoing(String transactionalId, long producerId, short epoch,
                               java.util.function.UnaryOperator<Transaction> change) {
        String key = BucketLayout.transaction(checkId(transactionalId));
        for (int round = 0; ; round++) {
            long now = clock.millis();
            try {
                ConditionalUpdate.Outcome o = swap(key, cur -> {
                    Transaction t = checkProducer(key, cur, producerId, epoch);
                    if (t.state().preparing() || t.expired(now)) {
                        throw new Finish(t);
                    }
                    Transaction next = change.apply(t);
                    return next == null ? null : next.withState(TxnState.ONGOING, now);
                });
                giveUpIfLost(o, key);
                return;
            } catch (Finish f) {
                checkRounds(round, key);
                if (f.txn.state() == TxnState.ONGOING) {
                    abort(key, f.txn, "timed out after " + f.txn.timeoutMs() + " ms");
                } else {
                    complete(key, f.txn);
                }
            }
        }
    }

    /** The producer's transaction, after finishing a leftover PREPARE_* and aborting an expired one. */
    private Transaction current(String key, long producerId, short epoch) {
        for (int round = 0; ; round++) {
            Transaction t = checkProducer(key, read(key), producerId, epoch);
            if (t.expired(clock.millis())) {
                checkRounds(round, key);
                abort(key, t, "timed out after " + t.timeoutMs() + " ms");
                continue; // the epoch moved: the next check fences the caller
            }
            return t;
        }
    }

    /** Aborts an ONGOING transaction at a bumped epoch (fencing its producer), then completes it. */
    private void abort(String key, Transaction t, String why) {
        long now = clock.millis();
        short bumped = t.producerEpoch() >= Short.MAX_VALUE ? t.producerEpoch() : (short) (t.producerEpoch() + 1);
        Transaction[] decided = new Transaction[1];
        ConditionalUpdate.Outcome o = swap(key, cur -> {
            if (cur.isEmpty() || cur.get().state() != TxnState.ONGOING || cur.get().producerId() != t.producerId()
                    || cur.get().producerEpoch() != t.producerEpoch() || cur.get().startedAtMs() != t.startedAtMs()) {
                return null; // someone else ended or changed it
            }
            decided[0] = cur.get().withEpoch(bumped, now).withState(TxnState.PREPARE_ABORT, now);
            return decided[0];
        });
        giveUpIfLost(o, key);
        if (o.updated()) {
            LOG.log(System.Logger.Level.INFO, "Aborting transaction " + key + " (producer " + t.producerId() + "): " + why);
            complete(key, decided[0]);
        }
    }

    /** Writes the markers of a PREPARE_* transaction, applies its offsets, and marks it COMPLETE_*. */
    private void complete(String key, Transaction t) {
        boolean commit = t.state() == TxnState.PREPARE_COMMIT;
        markers.write(t.partitions(), t.producerId(), t.producerEpoch(), commit);
        if (commit && t.groups().values().stream().anyMatch(os -> !os.isEmpty())) {
            // Only while the transaction is still ours to finish: a completer that paused while another
            // finished it, and a newer transaction committed offsets, must not write older ones over them.
            Optional<Transaction> still = read(key);
            if (still.isEmpty() || !sameDecision(still.get(), t)) {
                return;
            }
            t.groups().forEach((group, os) -> {
                if (!os.isEmpty()) {
                    offsets.commit(group, os);
                }
            });
        }
        long now = clock.millis();
        ConditionalUpdate.Outcome o = swap(key, cur -> cur.isPresent() && sameDecision(cur.get(), t)
                ? cur.get().completed(now) : null);
        giveUpIfLost(o, key);
        for (String group : t.groups().keySet()) {
            String marker = BucketLayout.transactionOffsets(group, t.transactionalId());
            try {
                retry.run("delete " + marker, () -> store.delete(marker));
            } catch (FloeException e) {
                LOG.log(System.Logger.Level.DEBUG, "Marker of group " + group + " left behind (harmless): " + e.getMessage());
            }
        }
    }

    /** Whether {@code cur} is still the decided transaction {@code t}, not yet completed. */
    private static boolean sameDecision(Transaction cur, Transaction t) {
        return cur.state() == t.state() && cur.producerId() == t.producerId() && cur.producerEpoch() == t.producerEpoch()
                && cur.preparedAtMs() == t.preparedAtMs();
    }

    /** One compare-and-swap of the object at {@code key}; {@code mutate} returns null for no change. */
    private ConditionalUpdate.Outcome swap(String key, java.util.function.Function<Optional<Transaction>, Transaction> mutate) {
        try {
            ConditionalUpdate.Outcome o = ConditionalUpdate.update(store, key, bytes -> {
                Transaction next = mutate.apply(bytes.map(b -> TxnFormat.decode(key, b)));
                return next == null ? Optional.empty()
                        : Optional.of(TxnFormat.encode(next.withWriteId(writerPrefix + writes.incrementAndGet())));
            }, settings.casAttempts(), retry);
            return o;
        } catch (StoreException e) {
            throw new FloeException(ErrorCode.STORE_UNAVAILABLE, "The bucket did not answer for " + key
                    + " (the change may or may not have been made; retry): " + e.getMessage(), e);
        }
    }

    private Optional<Transaction> read(String key) {
        return retry.call("read " + key, () -> store.get(key)).map(o -> TxnFormat.decode(key, o.content()));
    }

    private List<Transaction> scan(Predicate<Transaction> filter) {
        List<Transaction> out = new ArrayList<>();
        java.util.Set<String> listed = new java.util.HashSet<>();
        String after = null;
        while (true) {
            String from = after;
            List<ObjectStore.ObjectInfo> page = retry.call("list transactions", () -> store.list(BucketLayout.TRANSACTIONS, from, 1000));
            for (ObjectStore.ObjectInfo info : page) {
                if (BucketLayout.transactionalIdOf(info.key()) == null) {
                    continue;
                }
                listed.add(info.key());
                Scanned known = scanned.get(info.key());
                Optional<Transaction> t;
                if (known != null && info.etag() != null && info.etag().equals(known.etag())) {
                    t = Optional.of(known.transaction()); // unchanged since the last scan: no GET (an idle bucket)
                } else {
                    t = read(info.key());
                    t.ifPresent(x -> scanned.put(info.key(), new Scanned(info.etag(), x)));
                }
                t.filter(filter).ifPresent(out::add);
            }
            if (page.size() < 1000) {
                scanned.keySet().retainAll(listed);
                lastScanFound = listed.size();
                return out;
            }
            after = page.getLast().key();
        }
    }

    private static void giveUpIfLost(ConditionalUpdate.Outcome o, String key) {
        if (o instanceof ConditionalUpdate.Outcome.GaveUp g) {
            throw new FloeException(ErrorCode.CONCURRENT_UPDATE, "Transaction state " + key + " kept changing ("
                    + g.attempts() + " lost races); retry.");
        }
    }

    private static void checkRounds(int round, String key) {
        if (round >= ROUNDS) {
            throw new FloeException(ErrorCode.CONCURRENT_UPDATE, "Transaction " + key + " kept changing; retry.");
        }
    }

    private static Transaction checkProducer(String key, Optional<Transaction> cur, long producerId, short epoch) {
        if (cur.isEmpty()) {
            throw new FloeException(ErrorCode.INVALID_PRODUCER_ID_MAPPING, "No transaction state for "
                    + key + "; call InitProducerId first.");
        }
        Transaction t = cur.get();
        if (t.producerId() != producerId) {
            throw mapping(t.transactionalId(), producerId);
        }
        if (t.producerEpoch() != epoch) {
            throw fenced(t, epoch);
        }
        return t;
    }

    private static FloeException mapping(String transactionalId, long producerId) {
        return new FloeException(ErrorCode.INVALID_PRODUCER_ID_MAPPING, "Producer id " + producerId
                + " is not the one of transactional id '" + transactionalId + "'.");
    }

    private static FloeException fenced(Transaction t, short epoch) {
        return new FloeException(ErrorCode.PRODUCER_FENCED, "Producer " + t.producerId() + " epoch " + epoch
                + " of transactional id '" + t.transactionalId() + "' is fenced: the current epoch is " + t.producerEpoch() + ".");
    }

    private static String checkId(String transactionalId) {
        if (transactionalId == null || transactionalId.isEmpty() || transactionalId.length() > MAX_ID_LENGTH) {
            throw new FloeException(ErrorCode.INVALID_REQUEST, "A transactional id must have 1.." + MAX_ID_LENGTH
                    + " characters.");
        }
        return transactionalId;
    }
}
