package io.floe.janitor;

import io.floe.format.Checkpoint;
import io.floe.format.BucketLayout;
import io.floe.format.Commit;
import io.floe.format.IndexEntry;
import io.floe.format.SegmentFormat;
import io.floe.log.Maintenance;
import io.floe.log.Retry;
import io.floe.model.Topic;
import io.floe.model.TopicConfig;
import io.floe.store.ConditionalUpdate;
import io.floe.store.ObjectStore;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * Background work on the bucket (DESIGN.md §7): retention, compaction, merging of small objects,
 * checkpoints after its own commits, and deletion of unreferenced objects after a grace period.
 * {@link #runOnce()} is the whole of it; a server calls it on a schedule, a Lambda once per
 * scheduled invocation. It acts only while it holds the {@link Lease}, and re-checks the lease
 * before every commit and every batch of deletes.
 *
 * <p>Changes to the log are control commits (docs/FORMAT.md §5): TRUNCATE and REPLACE, computed on
 * the topic's current state and appended like any commit; writers are never blocked. The only
 * destructive step is deleting objects, which happens only to objects that no topic's current state
 * names, that have been in that condition in runs spanning the grace period ({@link Ledger}), and
 * (segments, merged objects) whose key timestamp is older than the grace period.
 *
 * <p>A run first looks whether anything can have changed since the last complete run
 * ({@link ChangeCheck}: a few LISTs and a GET of the ledger, no lease, no write): if the bucket shows
 * the state that run started from and no time rule has come due since ({@link Ledger.Quiet}), there is
 * nothing to do and the run ends there (a <em>quiet</em> run, docs/DECISIONS.md D48).
 *
 * <p>Not thread-safe: one thread runs it at a time (the runtime's scheduler, or the Lambda handler).
 */
public final class Janitor {

    private static final System.Logger LOG = System.getLogger(Janitor.class.getName());
    private static final int DELETES_PER_LEASE_CHECK = 100;

    private final Maintenance log;
    private final ObjectStore store;
    private final Retry retry;
    private final Clock clock;
    private final RandomGenerator random;
    private final JanitorSettings settings;
    private volatile Lease lease;
    private long counter;

    /**
     * What one run did.
     *
     * @param quiet     the bucket showed nothing new and nothing was due: the run only looked
     * @param nextDueMs for a quiet run, when time alone can next give the janitor work (MAX_VALUE: never)
     * @param standby   for a quiet run, whether the last complete run was another janitor's (this one is
     *                  a stand-by and may look less often)
     */
    public record Report(boolean leader, int controlCommits, int truncated, int merged, int compacted, int deleted,
                         boolean complete, boolean quiet, long nextDueMs, boolean standby) {
        /** A run that did not hold the lease (or could not find out). */
        public static Report notLeader() {
            return new Report(false, 0, 0, 0, 0, 0, false, false, 0, false);
        }

        static Report quiet(long nextDueMs, boolean standby) {
            return new Report(false, 0, 0, 0, 0, 0, true, true, nextDueMs, standby);
        }
    }

    public Janitor(Maintenance log, Clock clock, RandomGenerator random, JanitorSettings settings) {
        this.log = log;
        this.store = log.store();
        this.clock = clock;
        this.random = random;
        this.settings = settings;
        this.retry = log.retry();
        this.lease = new Lease(store, retry, clock, random, log.instanceId() + "-" + hex(4), settings.lease());
        // Instances must not trust a topic state older than a fraction of the grace period (Chain).
        java.time.Duration quarter = settings.grace().dividedBy(4);
        log.maxStateAge(quarter.compareTo(java.time.Duration.ofMinutes(1)) < 0 ? quarter : java.time.Duration.ofMinutes(1));
    }

    private final class Run {
        final long start = clock.millis();
        int commits;
        int truncated;
        int merged;
        int compacted;
        int deleted;
        boolean complete = true;
        /** The earliest time a time rule can give work in the state this run leaves. */
        long nextDue = Long.MAX_VALUE;

        void due(long at) {
            nextDue = Math.min(nextDue, at);
        }

        boolean outOfTime() {
            return clock.millis() - start > settings.maxRunTime().toMillis();
        }
    }

    /**
     * Runs background work once if anything can have changed since the last complete run and this
     * instance holds (or can take) the janitor lease.
     */
    public Report runOnce() {
        Optional<Report> quiet = quietCheck();
        if (quiet.isPresent()) {
            return quiet.get();
        }
        ChangeCheck.Snapshot seen;
        try {
            if (!lease.acquire()) {
                return Report.notLeader();
            }
            // Taken before any topic is read: whatever changes after it shows as a difference next time.
            seen = ChangeCheck.take(store, retry, clock.millis() - settings.lease().toMillis());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Janitor could not read or take its lease: " + e.getMessage());
            return Report.notLeader();
        }
        Run run = new Run();
        Set<String> referenced = new HashSet<>();
        Set<String> liveIds = new HashSet<>();
        List<Topic> topics;
        try {
            topics = log.topics();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Janitor could not list topics: " + e.getMessage());
            return new Report(true, 0, 0, 0, 0, 0, false, false, 0, false);
        }
        for (Topic t : topics) {
            liveIds.add(t.id());
            if (run.outOfTime()) {
                run.complete = false;
                break;
            }
            try {
                tidy(t, run, referenced);
            } catch (RuntimeException e) {
                run.complete = false;
                LOG.log(System.Logger.Level.INFO, "Janitor skipped topic '" + t.name() + "': " + e.getMessage());
            }
        }
        if (run.complete && !run.outOfTime()) {
            try {
                sweep(run, topics, liveIds, referenced, seen);
            } catch (RuntimeException e) {
                run.complete = false;
                LOG.log(System.Logger.Level.INFO, "Janitor stopped deleting: " + e.getMessage());
            }
        } else {
            run.complete = false;
        }
        return new Report(true, run.commits, run.truncated, run.merged, run.compacted, run.deleted, run.complete, false,
                run.nextDue, false);
    }

    /**
     * The quiet check: a GET of the ledger and the {@link ChangeCheck} listings. Present (a quiet report)
     * when the last complete run's record matches the bucket and is not due; empty when a full run is
     * needed, or when the check itself failed (the full run then reports what it can).
     */
    private Optional<Report> quietCheck() {
        try {
            Ledger.Quiet q = store.get(Ledger.KEY).map(o -> Ledger.decode(o.content())).map(Ledger::quiet).orElse(null);
            if (q == null || clock.millis() >= q.nextDueMs()) {
                return Optional.empty();
            }
            ChangeCheck.Snapshot now = ChangeCheck.take(store, retry, q.seen().segmentsFromMs());
            if (!now.equals(q.seen()) || clock.millis() >= q.nextDueMs()) {
                return Optional.empty();
            }
            return Optional.of(Report.quiet(q.nextDueMs(), !q.holder().equals(lease.holder())));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Janitor quiet check failed; running in full: " + e.getMessage());
            return Optional.empty();
        }
    }

    // ---- one topic: retention, compaction, merging -------------------------------------------

    /** Executes the topic's {@link TidyPlan}: compaction reads and writes, merging, one control commit. */
    private void tidy(Topic topic, Run run, Set<String> referenced) {
        Maintenance.TopicView view = log.view(topic);
        long now = clock.millis();
        TidyPlan plan = TidyPlan.of(view, topic.config(), now, settings);
        List<Commit.Control> controls = new ArrayList<>(plan.truncates());
        long writtenAt = Long.MAX_VALUE;
        int merged = 0;
        int compactedPartitions = 0;
        Map<Integer, List<MergePlan.Group>> toMerge = new TreeMap<>(plan.merges());
        for (TidyPlan.Compact c : plan.compactions()) {
            Optional<Commit.Replace> r = compact(topic, c.partition(), c.entries(), c.cleanableEnd(), now, c.deleteRetentionMs(),
                    c.aborted());
            if (r.isPresent()) {
                controls.add(r.get());
                writtenAt = Math.min(writtenAt, now);
                compactedPartitions++;
                toMerge.remove(c.partition());
            }
        }
        if (!toMerge.isEmpty() && !run.outOfTime()) {
            Merging.Result m = Merging.run(log, clock, topic.id(), MergeSchedule.batches(toMerge, settings), run::outOfTime,
                    new Merging.Output() {
                        @Override
                        public String key(int partition, long baseOffset) {
                            return mergedKey(topic, partition, baseOffset);
                        }

                        @Override
                        public void put(String key, byte[] bytes) {
                            // The key is unique to this janitor: an unconditional PUT may simply be retried.
                            retry.run("write merged object " + key, () -> store.put(key, bytes));
                        }
                    });
            controls.addAll(m.replaces());
            merged = m.replaces().size();
            writtenAt = Math.min(writtenAt, m.firstWrittenAt());
        }
        if (!controls.isEmpty()) {
            // Our new objects are protected from deletion only while younger than the grace period:
            // a run that took that long (a paused janitor) gives up rather than name them.
            long grace = settings.grace().toMillis();
            if ((grace > 0 && clock.millis() - writtenAt > grace / 2) || !lease.holds()) {
                throw new IllegalStateException("lease lost or run too slow; control commit abandoned");
            }
            log.commitControls(topic, "janitor-" + lease.epoch() + "-" + hex(8), controls);
            run.commits++;
            run.truncated += plan.truncates().size();
            run.merged += merged;
            run.compacted += compactedPartitions;
            log.checkpoint(topic);
            view = log.view(topic);
        }
        TidyPlan left = controls.isEmpty() ? plan : TidyPlan.of(view, topic.config(), now, settings);
        run.due(left.isEmpty() ? left.nextDueMs() : now);
        for (Maintenance.PartitionView p : view.partitions().values()) {
            p.entries().forEach(e -> referenced.add(e.objectKey()));
        }
    }

    private Optional<Commit.Replace> compact(Topic topic, int partition, List<IndexEntry> entries, long cleanableEnd,
                                             long now, long deleteRetentionMs, List<Checkpoint.AbortedTxn> aborted) {
        List<IndexEntry> range = entries.stream().filter(e -> e.nextOffset() <= cleanableEnd).toList();
        Compaction.OffsetMap map = new Compaction.OffsetMap(aborted);
        for (IndexEntry e : range) {
            Optional<ByteBuffer> b = log.read(e);
            if (b.isEmpty()) {
                return Optional.empty();
            }
            map.add(b.get());
        }
        List<SegmentFormat.Chunk> chunks = new ArrayList<>();
        List<Integer> rewritten = new ArrayList<>();
        List<IndexEntry> replacement = new ArrayList<>(range);
        for (int i = 0; i < range.size(); i++) {
            Optional<ByteBuffer> b = log.read(range.get(i));
            if (b.isEmpty()) {
                return Optional.empty();
            }
            ByteBuffer out = Compaction.filter(b.get(), map, now, deleteRetentionMs);
            if (out != b.get()) {
                chunks.add(new SegmentFormat.Chunk(topic.id(), partition, out));
                rewritten.add(i);
            }
        }
        if (!chunks.isEmpty()) {
            String key = mergedKey(topic, partition, range.get(0).baseOffset());
            SegmentFormat.Encoded encoded = SegmentFormat.encode(chunks);
            retry.run("write compacted object " + key, () -> store.put(key, encoded.bytes()));
            for (int c = 0; c < rewritten.size(); c++) {
                IndexEntry old = range.get(rewritten.get(c));
                SegmentFormat.Located at = encoded.chunks().get(c);
                replacement.set(rewritten.get(c), new IndexEntry(old.baseOffset(), old.offsetCount(), old.maxTimestamp(),
                        key, at.position(), at.length()));
            }
        }
        return Optional.of(new Commit.Replace(partition, range.get(0).baseOffset(), cleanableEnd, replacement, cleanableEnd));
    }

    private String mergedKey(Topic topic, int partition, long baseOffset) {
        return BucketLayout.merged(topic.id(), clock.millis(), partition, baseOffset, lease.epoch(), lease.holder(),
                ++counter);
    }

    // ---- deletion with grace -----------------------------------------------------------------

    private void sweep(Run run, List<Topic> topics, Set<String> liveIds, Set<String> referenced,
                       ChangeCheck.Snapshot seen) {
        long now = clock.millis();
        long grace = settings.grace().toMillis();
        Set<String> candidates = new TreeSet<>();
        for (ObjectStore.ObjectInfo o : listAll(BucketLayout.SEGMENTS)) {
            if (!referenced.contains(o.key()) && old(o.key(), BucketLayout.SEGMENTS.length(), now, run)) {
                candidates.add(o.key());
            }
        }
        for (Topic t : topics) {
            String merged = BucketLayout.mergedPrefix(t.id());
            for (ObjectStore.ObjectInfo o : listAll(merged)) {
                if (!referenced.contains(o.key()) && old(o.key(), merged.length(), now, run)) {
                    candidates.add(o.key());
                }
            }
            List<ObjectStore.ObjectInfo> checkpoints = listAll(BucketLayout.checkpointsPrefix(t.id()));
            if (!checkpoints.isEmpty()) {
                long covered = BucketLayout.sequenceOf(checkpoints.get(checkpoints.size() - 1).key());
                for (ObjectStore.ObjectInfo o : listAll(BucketLayout.commitsPrefix(t.id()))) {
                    if (BucketLayout.sequenceOf(o.key()) > covered) {
                        break;
                    }
                    if (!referenced.contains(o.key())) {
                        candidates.add(o.key());
                    }
                }
            }
        }
        for (ObjectStore.ObjectInfo o : listAll(BucketLayout.DELETED_TOPICS)) {
            if (!liveIds.contains(o.key().substring(BucketLayout.DELETED_TOPICS.length()))) {
                candidates.add(o.key());
            }
        }
        Ledger previous = retry.call("read the janitor ledger", () -> store.get(Ledger.KEY)).map(o -> Ledger.decode(o.content())).orElse(Ledger.empty());
        Ledger.Observation observed = previous.observe(candidates, now, grace, lease.epoch(), hex(8));
        // Due candidates are deleted below; should that stop half-way, the record is due at once.
        run.due(observed.due().isEmpty() ? observed.nextDueMs(grace) : now);
        Ledger.Observation obs = observed.with(new Ledger.Quiet(seen, run.nextDue, lease.holder()));
        if (!lease.holds()) {
            throw new IllegalStateException("lease lost before updating the ledger");
        }
        ConditionalUpdate.Outcome written = ConditionalUpdate.update(store, Ledger.KEY, current -> {
            Ledger cur = current.map(Ledger::decode).orElse(Ledger.empty());
            // Someone else (a newer janitor) wrote the ledger since we read it: do not overwrite.
            return cur.equals(previous) ? Optional.of(obs.next().encode()) : Optional.empty();
        }, 1);
        if (!written.updated()) {
            throw new IllegalStateException("the ledger changed under us; deleting nothing this run");
        }
        int sinceCheck = 0;
        for (String key : obs.due()) {
            if (sinceCheck++ % DELETES_PER_LEASE_CHECK == 0 && (!lease.holds() || run.outOfTime())) {
                return;
            }
            if (key.startsWith(BucketLayout.DELETED_TOPICS)) {
                run.deleted += deleteTopicData(key.substring(BucketLayout.DELETED_TOPICS.length()));
            }
            retry.run("delete " + key, () -> store.delete(key));
            run.deleted++;
        }
    }

    /**
     * Removes everything of a deleted topic (its marker has been there for the grace period): its data,
     * merged segments, and the share-partition state every share group kept for it. Share-partitions are
     * listed by group first, so they are found by one listing of {@code share-partitions/} per deleted
     * topic, done once, when the topic's marker is due (never per run: the idle cost stays flat).
     */
    private int deleteTopicData(String topicId) {
        int n = 0;
        for (String prefix : List.of(BucketLayout.dataPrefix(topicId), BucketLayout.mergedPrefix(topicId),
                BucketLayout.SHARE_PARTITIONS)) {
            for (ObjectStore.ObjectInfo o : listAll(prefix)) {
                if (prefix.equals(BucketLayout.SHARE_PARTITIONS) && !topicId.equals(BucketLayout.sharePartitionTopicId(o.key()))) {
                    continue;
                }
                if (n % DELETES_PER_LEASE_CHECK == 0 && !lease.holds()) {
                    throw new IllegalStateException("lease lost while deleting topic data");
                }
                retry.run("delete " + o.key(), () -> store.delete(o.key()));
                n++;
            }
        }
        return n;
    }

    /**
     * Whether the key's timestamp (13 digits at {@code at}) is older than the grace period; when it is
     * not yet, the run notes when it will be.
     */
    private boolean old(String key, int at, long now, Run run) {
        long written;
        try {
            written = Long.parseLong(key.substring(at, at + 13));
        } catch (RuntimeException e) {
            return false; // not ours: never touched
        }
        if (written < now - settings.grace().toMillis()) {
            return true;
        }
        run.due(written + settings.grace().toMillis() + 1);
        return false;
    }

    private List<ObjectStore.ObjectInfo> listAll(String prefix) {
        List<ObjectStore.ObjectInfo> out = new ArrayList<>();
        String after = null;
        while (true) {
            String from = after;
            List<ObjectStore.ObjectInfo> page = retry.call("list " + prefix, () -> store.list(prefix, from, 1000));
            out.addAll(page);
            if (page.size() < 1000) {
                return out;
            }
            after = page.get(page.size() - 1).key();
        }
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * Takes a new lease holder name, after the engine's renewed instance id (see LogEngine#renewIdentity): a
     * process restored from a snapshot must not hold the lease under the name every other clone has. Call it
     * while no run is in progress (a restore is such a moment).
     */
    public void renewHolder() {
        lease = new Lease(store, retry, clock, random, log.instanceId() + "-" + hex(4), settings.lease());
    }

    /** Settings in use. */
    public JanitorSettings settings() {
        return settings;
    }

    /** Only for tests: the lease epoch held, -1 when none. */
    long epoch() {
        return lease.epoch();
    }

    static Map<String, Long> ledgerOf(ObjectStore store) {
        return store.get(Ledger.KEY).map(o -> Ledger.decode(o.content()).firstSeen()).orElse(Map.of());
    }
}
