package io.floe.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.log.LogEngine;
import io.floe.log.LogSettings;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.TopicPartition;
import io.floe.store.FaultInjectingObjectStore;
import io.floe.store.MemoryObjectStore;
import io.floe.txn.EngineMarkers;
import io.floe.txn.Transaction;
import io.floe.txn.TxnState;
import io.floe.txn.TransactionCoordinator;
import io.floe.txn.TransactionCoordinator.ProducerIdAndEpoch;
import io.floe.txn.TxnOffset;
import io.floe.txn.TxnSettings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.utils.BufferSupplier;
import org.junit.jupiter.api.Test;

/**
 * Seeded simulation of the transaction coordinator: transactional producers on three instances over one
 * in-memory bucket behind the fault injector (503s, lost answers, spurious 409s), writing transactional
 * batches and offsets, committing, aborting, retrying after unknown outcomes, restarting (fencing their
 * predecessor), zombies replaying old epochs, instances crashing, and a clock that jumps past transaction
 * timeouts while any instance scans for them. Invariants, checked against the bucket read fault-free:
 * <ol>
 * <li><b>fencing</b>: no request with an epoch older than one InitProducerId returned succeeds, and the
 *     epochs InitProducerId returns for an id only grow;</li>
 * <li><b>atomic outcome</b>: by Kafka's marker rule no transaction is committed in one partition and
 *     aborted in another; once everything has settled each is all committed or all aborted;</li>
 * <li><b>acknowledged outcome</b>: a transaction whose EndTxn(commit) succeeded is committed everywhere,
 *     one aborted (EndTxn(abort) succeeded, or fenced while open) nowhere;</li>
 * <li><b>offsets with the transaction</b>: a transaction's offsets reach the group only if it commits,
 *     and always when EndTxn(commit) succeeded.</li>
 * </ol>
 * Replay a failing seed with
 * {@code ./mvnw test -Dtest=TransactionSimulationTest -Dfloe.sim.seed=SEED -Dfloe.sim.seeds=1}.
 */
class TransactionSimulationTest {

    private static final int INSTANCES = 3;
    private static final int CLIENTS = 3;
    private static final int TIMEOUT_MS = 60_000;
    private static final List<TopicPartition> PARTITIONS = List.of(new TopicPartition("a", 0), new TopicPartition("a", 1),
            new TopicPartition("b", 0));

    @Test
    void transactionsEndAtomicallyAsAcknowledgedAndZombiesNeverWin() {
        int steps = Integer.getInteger("floe.sim.steps", 150);
        SimHarness.runSeeds(TransactionSimulationTest.class, 20, seed -> new Run(seed).run(steps));
    }

    private enum Outcome { OPEN, COMMIT_UNKNOWN, ABORT_UNKNOWN, COMMITTED, ABORTED }

    /** A transaction as its client knows it. */
    private static final class Txn {
        final String tag;
        Outcome outcome = Outcome.OPEN;
        boolean offsets;
        long producerId;
        short epoch;
        /** COMMIT or ABORT once the bucket showed the decision (PREPARE_*) for this transaction. */
        String decided;

        Txn(String tag) {
            this.tag = tag;
        }
    }

    private static final class Client {
        final String id;
        ProducerIdAndEpoch creds;
        Txn txn;
        /** The client's latest transaction, kept after the client forgets it (fenced, unknown outcome). */
        Txn last;
        int txnCount;
        final List<ProducerIdAndEpoch> old = new ArrayList<>();

        Client(String id) {
            this.id = id;
        }
    }

    private static final class Run {
        final SplittableRandom random;
        final MemoryObjectStore bucket = new MemoryObjectStore();
        final FaultInjectingObjectStore faulty;
        final SimClock clock = new SimClock(1_700_000_000_000L);
        final AtomicLong producerIds = new AtomicLong(100);
        final LogEngine[] engines = new LogEngine[INSTANCES];
        final TransactionCoordinator[] coordinators = new TransactionCoordinator[INSTANCES];
        final int[] generation = new int[INSTANCES];
        final List<Client> clients = new ArrayList<>();
        final Map<String, Txn> txns = new HashMap<>();
        /** Every offset application the groups received, with the tag (in the metadata) of its transaction. */
        final List<String> applied = new ArrayList<>();
        final Map<String, Short> highestEpoch = new HashMap<>();
        /** Reads the state objects fault-free (it never writes: only {@code list} is called). */
        final TransactionCoordinator observer;
        long records;

        Run(long seed) {
            random = new SplittableRandom(seed);
            faulty = new FaultInjectingObjectStore(bucket, new SplittableRandom(seed ^ 0x5DEECE66DL),
                    new FaultInjectingObjectStore.Faults(0.03, 0.03, 0.03, Duration.ZERO), FaultInjectingObjectStore.Sleeper.NONE);
            for (int i = 0; i < INSTANCES; i++) {
                start(i);
            }
            faulty.setFaults(FaultInjectingObjectStore.Faults.NONE);
            engines[0].createTopic("a", 2, Map.of());
            engines[0].createTopic("b", 1, Map.of());
            faulty.setFaults(new FaultInjectingObjectStore.Faults(0.03, 0.03, 0.03, Duration.ZERO));
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(new Client("tx-" + c));
            }
            observer = new TransactionCoordinator(bucket, new io.floe.log.Retry(io.floe.log.Retry.Sleeper.NONE, new SplittableRandom(seed)), (ps, pid, epoch, commit) -> {
                throw new AssertionError("the observer writes nothing");
            }, (g, o) -> {
                throw new AssertionError("the observer writes nothing");
            }, () -> {
                throw new AssertionError("the observer writes nothing");
            }, clock, new SplittableRandom(seed), TxnSettings.defaults("observer"));
        }

        void start(int i) {
            if (engines[i] != null) {
                engines[i].close();
            }
            String name = "i" + i + "g" + generation[i]++;
            engines[i] = new LogEngine(faulty, clock, new SplittableRandom(random.nextLong()), new LogSettings(name,
                    Duration.ofMillis(5), 1 << 20, 10_000, random.nextBoolean() ? 0 : 1 << 20, 64L << 20, 1L << 20,
                    Duration.ofMillis(50), 4, Duration.ofSeconds(5), false, 3));
            coordinators[i] = new TransactionCoordinator(faulty, engines[i].retry(), new EngineMarkers(engines[i], clock),
                    (group, offsets) -> offsets.values().forEach(o -> applied.add(o.metadata())),
                    producerIds::incrementAndGet, clock, new SplittableRandom(random.nextLong()), TxnSettings.defaults(name));
            engines[i].verifyTransactionsWith(coordinators[i]::verify);
        }

        void run(int steps) {
            for (int step = 0; step < steps; step++) {
                int i = random.nextInt(INSTANCES);
                Client c = clients.get(random.nextInt(CLIENTS));
                int action = random.nextInt(100);
                try {
                    boolean unknown = c.txn != null
                            && (c.txn.outcome == Outcome.COMMIT_UNKNOWN || c.txn.outcome == Outcome.ABORT_UNKNOWN);
                    if (c.creds == null || action < 8 || (unknown && action < 50)) {
                        init(coordinators[i], c); // a new producer, or this one restarted (killed mid-EndTxn)
                    } else if (unknown) {
                        end(coordinators[i], c, c.txn.outcome == Outcome.COMMIT_UNKNOWN); // a client retries EndTxn
                    } else if (action < 40) {
                        produce(i, c);
                    } else if (action < 52) {
                        offsets(coordinators[i], c);
                    } else if (action < 72) {
                        if (c.txn != null) {
                            end(coordinators[i], c, random.nextInt(3) > 0);
                        }
                    } else if (action < 76) {
                        zombie(coordinators[i], c);
                    } else if (action < 80) {
                        late(i, c);
                    } else if (action < 86) {
                        start(i); // the instance crashes and restarts: nothing of it survives but the bucket
                    } else {
                        clock.advance(random.nextLong(TIMEOUT_MS * 3 / 2));
                        coordinators[i].abortTimedOut();
                    }
                } catch (FloeException e) {
                    assertThat(e.code()).as("step %d: %s", step, e.getMessage()).isIn(ErrorCode.STORE_UNAVAILABLE,
                            ErrorCode.CONCURRENT_UPDATE, ErrorCode.PRODUCER_FENCED, ErrorCode.INVALID_TXN_STATE);
                    if (e.code() == ErrorCode.PRODUCER_FENCED) {
                        fenced(c);
                    }
                }
                observeDecisions();
                if (step % 10 == 9) {
                    checkLog(false);
                }
            }
            settle();
            checkLog(true);
        }

        void init(TransactionCoordinator coordinator, Client c) {
            ProducerIdAndEpoch p = coordinator.initProducerId(c.id, TIMEOUT_MS, null);
            Short before = highestEpoch.get(c.id);
            if (before != null && p.producerId() == c.creds.producerId()) {
                assertThat(p.epoch()).as("epochs of %s only grow", c.id).isGreaterThan(before);
            }
            highestEpoch.put(c.id, p.epoch());
            if (c.creds != null) {
                c.old.add(c.creds);
            }
            fenced(c);
            c.creds = p;
        }

        /** The client's open transaction can no longer commit unless its commit was already decided. */
        void fenced(Client c) {
            if (c.txn != null && c.txn.outcome == Outcome.OPEN) {
                c.txn.outcome = Outcome.ABORTED;
            }
            c.txn = null; // an unknown outcome stays unknown: the settled log must then show one, consistently
        }

        /**
         * The client's open transaction, begun if none. Called before the first AddPartitions / AddOffsets
         * (as Kafka's {@code beginTransaction()} is local to the client), so a call whose write landed but
         * whose answer was lost still belongs to this transaction: a later abort of it (by timeout or
         * fencing, at the next epoch) is then not mistaken for the outcome of the client's previous one.
         */
        Txn open(Client c) {
            if (c.txn == null) {
                c.txn = new Txn(c.id + ":" + c.creds.producerId() + ":" + c.creds.epoch() + ":" + c.txnCount++);
                c.txn.producerId = c.creds.producerId();
                c.txn.epoch = c.creds.epoch();
                txns.put(c.txn.tag, c.txn);
                c.last = c.txn;
            }
            return c.txn;
        }

        void produce(int i, Client c) {
            List<TopicPartition> some = new ArrayList<>();
            for (TopicPartition tp : PARTITIONS) {
                if (random.nextBoolean()) {
                    some.add(tp);
                }
            }
            if (some.isEmpty()) {
                return;
            }
            Txn t = open(c); // before the call: its write may land even when its answer is lost
            coordinators[i].addPartitions(c.id, c.creds.producerId(), c.creds.epoch(), some);
            for (TopicPartition tp : some) {
                byte[] v = (t.tag + "#" + records++).getBytes(StandardCharsets.UTF_8);
                engines[i].append(tp.topic(), tp.partition(), MemoryRecords.withTransactionalRecords(Compression.NONE,
                        c.creds.producerId(), c.creds.epoch(), 0, new SimpleRecord(v)).buffer(), c.id);
            }
            try {
                engines[i].flushNow(); // an unknown outcome leaves the records in or out; either is fine
            } catch (CompletionException | FloeException e) {
                // the batch may or may not have landed
            }
        }

        void offsets(TransactionCoordinator coordinator, Client c) {
            Txn t = open(c);
            coordinator.addOffsets(c.id, c.creds.producerId(), c.creds.epoch(), "g");
            coordinator.commitOffsets(c.id, c.creds.producerId(), c.creds.epoch(), "g",
                    Map.of(PARTITIONS.get(random.nextInt(PARTITIONS.size())), new TxnOffset(random.nextInt(1000), -1, t.tag)));
            t.offsets = true; // known to be in the transaction only once the call succeeded
        }

        void end(TransactionCoordinator coordinator, Client c, boolean commit) {
            Txn t = c.txn;
            t.outcome = commit ? Outcome.COMMIT_UNKNOWN : Outcome.ABORT_UNKNOWN;
            coordinator.endTxn(c.id, c.creds.producerId(), c.creds.epoch(), commit);
            t.outcome = commit ? Outcome.COMMITTED : Outcome.ABORTED;
            c.txn = null;
        }

        /**
         * A transactional batch arrives outside any transaction: a batch of the client's ended transaction,
         * delayed in the network, or a buggy client producing without AddPartitionsToTxn. Sent only while
         * the bucket shows the client's transactional id ended (no markers still to write), so no partition
         * has its transaction open: KIP-890's verification must refuse it, or it would start a transaction
         * that nobody ends (a hanging transaction, holding back every read_committed consumer).
         */
        void late(int i, Client c) {
            if (c.creds == null || c.txn != null) {
                return;
            }
            var state = observer.describe(c.id);
            if (state.isEmpty() || state.get().state() == TxnState.ONGOING || state.get().state().preparing()) {
                return;
            }
            Txn late = new Txn("late-" + c.id + ":" + c.txnCount++);
            late.outcome = Outcome.ABORTED; // its records must never be committed
            txns.put(late.tag, late);
            TopicPartition tp = PARTITIONS.get(random.nextInt(PARTITIONS.size()));
            byte[] v = (late.tag + "#" + records++).getBytes(StandardCharsets.UTF_8);
            var written = engines[i].append(tp.topic(), tp.partition(), MemoryRecords.withTransactionalRecords(Compression.NONE,
                    c.creds.producerId(), c.creds.epoch(), 0, new SimpleRecord(v)).buffer(), c.id);
            try {
                engines[i].flushNow();
            } catch (CompletionException | FloeException e) {
                // the commit failed: the batch is refused or its outcome unknown (the log check decides)
            }
            if (written.isDone() && !written.isCompletedExceptionally()) {
                throw new AssertionError("transactional batch " + late.tag + " of " + c.creds + " was written to " + tp
                        + " outside any transaction (state " + state.get().state() + ")");
            }
        }

        void zombie(TransactionCoordinator coordinator, Client c) {
            if (c.old.isEmpty()) {
                return;
            }
            ProducerIdAndEpoch stale = c.old.get(random.nextInt(c.old.size()));
            try {
                switch (random.nextInt(3)) {
                    case 0 -> coordinator.addPartitions(c.id, stale.producerId(), stale.epoch(), List.of(PARTITIONS.getFirst()));
                    case 1 -> coordinator.endTxn(c.id, stale.producerId(), stale.epoch(), true);
                    default -> coordinator.addOffsets(c.id, stale.producerId(), stale.epoch(), "g");
                }
            } catch (FloeException e) {
                if (e.code() == ErrorCode.PRODUCER_FENCED || e.code() == ErrorCode.INVALID_PRODUCER_ID_MAPPING
                        || e.code() == ErrorCode.STORE_UNAVAILABLE || e.code() == ErrorCode.CONCURRENT_UPDATE) {
                    return;
                }
                throw e;
            }
            throw new AssertionError("a zombie with epoch " + stale.epoch() + " of " + c.id + " succeeded");
        }

        /**
         * Reads the state objects fault-free and notes each decision it sees: PREPARE_COMMIT at a transaction's
         * own epoch, PREPARE_ABORT at its epoch or the next (an abort by timeout or fencing bumps it).
         */
        void observeDecisions() {
            for (Transaction t : observer.list(x -> x.state().preparing())) {
                for (Client c : clients) {
                    Txn last = c.last;
                    if (!c.id.equals(t.transactionalId()) || last == null || last.producerId != t.producerId()) {
                        continue;
                    }
                    boolean commit = t.state() == TxnState.PREPARE_COMMIT;
                    if (commit ? t.producerEpoch() == last.epoch
                            : t.producerEpoch() == last.epoch || t.producerEpoch() == last.epoch + 1) {
                        String d = commit ? "COMMIT" : "ABORT";
                        assertThat(last.decided == null || last.decided.equals(d)).as("transaction %s decided %s, then %s",
                                last.tag, last.decided, d).isTrue();
                        last.decided = d;
                    }
                }
            }
        }

        /** Faults off, the clock past every timeout and prepare grace, one scan: every transaction ends. */
        void settle() {
            faulty.setFaults(FaultInjectingObjectStore.Faults.NONE);
            clock.advance(10 * 60_000);
            start(0);
            coordinators[0].abortTimedOut();
            for (Client c : clients) {
                if (c.txn != null && c.txn.outcome == Outcome.OPEN) {
                    c.txn.outcome = Outcome.ABORTED; // expired and aborted by the scan
                }
            }
        }

        /** Per transaction tag: the partitions whose records the marker rule counts committed / aborted / open. */
        void checkLog(boolean settled) {
            LogEngine reader = new LogEngine(bucket, clock, new SplittableRandom(0), new LogSettings("checker",
                    Duration.ofMillis(5), 1 << 20, 10_000, 1 << 20, 64L << 20, 1L << 20, Duration.ofMillis(50), 4,
                    Duration.ofSeconds(5), false, 3));
            Map<String, Set<String>> states = new HashMap<>();
            try {
                for (TopicPartition tp : PARTITIONS) {
                    Map<Long, List<String>> open = new HashMap<>();
                    long offset = 0;
                    long end = reader.offsets(tp.topic(), tp.partition()).endOffset();
                    while (offset < end) {
                        var r = reader.fetch(tp.topic(), tp.partition(), offset, 1 << 20, Duration.ZERO).join();
                        for (ByteBuffer b : r.batches()) {
                            for (RecordBatch batch : MemoryRecords.readableRecords(b.duplicate()).batches()) {
                                offset = Math.max(offset, batch.lastOffset() + 1);
                                if (batch.isControlBatch()) {
                                    try (var it = batch.streamingIterator(BufferSupplier.NO_CACHING)) {
                                        ControlRecordType type = ControlRecordType.parse(it.next().key());
                                        for (String tag : open.getOrDefault(batch.producerId(), List.of())) {
                                            states.computeIfAbsent(tag, k -> new HashSet<>()).add(type.name());
                                        }
                                        open.remove(batch.producerId());
                                    }
                                    continue;
                                }
                                for (Record rec : batch) {
                                    String v = StandardCharsets.UTF_8.decode(rec.value()).toString();
                                    open.computeIfAbsent(batch.producerId(), k -> new ArrayList<>()).add(v.substring(0, v.indexOf('#')));
                                }
                            }
                        }
                    }
                    open.values().forEach(tags -> tags.forEach(tag -> states.computeIfAbsent(tag, k -> new HashSet<>()).add("OPEN")));
                }
            } finally {
                reader.close();
            }
            for (var e : states.entrySet()) {
                Set<String> s = e.getValue();
                Txn t = txns.get(e.getKey());
                assertThat(s.contains("COMMIT") && s.contains("ABORT"))
                        .as("transaction %s is committed in one partition and aborted in another: %s", e.getKey(), s).isFalse();
                if (settled) {
                    assertThat(s).as("transaction %s has ended everywhere", e.getKey()).hasSize(1).doesNotContain("OPEN");
                }
                if (t.outcome == Outcome.COMMITTED) {
                    assertThat(s).as("acknowledged commit %s", e.getKey()).containsOnly("COMMIT");
                }
                if (t.decided != null && !s.contains("OPEN")) {
                    assertThat(s).as("transaction %s ends as decided", e.getKey()).containsOnly(t.decided);
                }
                if (t.outcome == Outcome.ABORTED) {
                    assertThat(s).as("aborted %s", e.getKey()).doesNotContain("COMMIT");
                }
            }
            for (String tag : applied) {
                Txn t = txns.get(tag);
                assertThat(t.outcome).as("offsets of %s applied", tag).isNotEqualTo(Outcome.ABORTED);
                assertThat(states.getOrDefault(tag, Set.of())).as("offsets of %s applied", tag).doesNotContain("ABORT");
            }
            for (Txn t : txns.values()) {
                if (t.outcome == Outcome.COMMITTED && t.offsets) {
                    assertThat(applied).as("offsets of acknowledged commit %s", t.tag).contains(t.tag);
                }
            }
        }
    }
}
