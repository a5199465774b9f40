package io.floe.api.kafka;

import io.floe.auth.Security;
import io.floe.group.GroupCoordinator;
import io.floe.log.LogEngine;
import io.floe.store.ObjectStore;
import io.floe.group.CommittedOffset;
import io.floe.txn.EngineMarkers;
import io.floe.txn.EngineProducers;
import io.floe.txn.MarkerWriter;
import io.floe.txn.TransactionCoordinator;
import io.floe.txn.TxnOffset;
import io.floe.txn.TxnSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Kafka protocol front door: a TCP listener whose connections each run on two virtual threads
 * (see {@link Connection}). Requests are decoded and responses encoded with the generated message
 * classes of kafka-clients; {@link KafkaApis} turns them into engine calls.
 *
 * <p>Thread-safe. {@link #start()} binds and returns; {@link #close()} stops accepting and closes every
 * connection. Plain constructor arguments: runs without Quarkus (tests start it directly).
 */
public final class KafkaListener implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(KafkaListener.class.getName());

    private final KafkaSettings settings;
    private final KafkaApis apis;
    private final TransactionCoordinator transactions;
    private volatile ScheduledExecutorService timeouts;
    private final Security security;
    private final KafkaTls tls;
    private final Faults faults = new Faults();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;
    private volatile boolean closed;

    /**
     * @param groups the group engine behind the consumer-group APIs; null answers them UNSUPPORTED_VERSION
     */
    public KafkaListener(LogEngine engine, GroupCoordinator groups, ObjectStore store, Clock clock, KafkaSettings settings) {
        this(engine, groups, store, clock, settings, Security.off(clock));
    }

    /**
     * @param security who may connect (SASL when {@link Security#required()}) and what they may do
     */
    public KafkaListener(LogEngine engine, GroupCoordinator groups, ObjectStore store, Clock clock, KafkaSettings settings,
                         Security security) {
        this(engine, groups, store, clock, settings, security, null);
    }

    /**
     * @param tls TLS from PEM files (reloaded when they change), or null for plaintext
     */
    public KafkaListener(LogEngine engine, GroupCoordinator groups, ObjectStore store, Clock clock, KafkaSettings settings,
                         Security security, KafkaTls tls) {
        this.tls = tls;
        this.settings = settings;
        ProducerIds producerIds = new ProducerIds(store);
        MarkerWriter markers = new EngineMarkers(engine, clock);
        this.transactions = groups == null ? null : new TransactionCoordinator(store, engine.retry(), markers,
                (group, offsets) -> groups.commitTransactional(group, committed(offsets)), producerIds::next, clock,
                new SplittableRandom(), TxnSettings.defaults("kafka-" + settings.nodeId()));
        if (transactions != null) {
            engine.verifyTransactionsWith(transactions::verify);
        }
        this.security = security;
        this.apis = new KafkaApis(engine, producerIds, clock, settings, groups, transactions == null ? null
                : new TxnHandler(transactions, groups, engine, new EngineProducers(engine), markers, clock), security);
    }

    private static Map<io.floe.model.TopicPartition, CommittedOffset> committed(
            Map<io.floe.model.TopicPartition, TxnOffset> offsets) {
        Map<io.floe.model.TopicPartition, CommittedOffset> out = new LinkedHashMap<>();
        offsets.forEach((tp, o) -> out.put(tp, new CommittedOffset(o.offset(), o.leaderEpoch(), o.metadata(), -1)));
        return out;
    }

    /** Answers the share group APIs (KIP-932) with {@code shares}; call before {@link #start()}. */
    public KafkaListener withShareGroups(io.floe.share.ShareGroups shares) {
        apis.enableShareGroups(shares);
        return this;
    }

    /** The transaction coordinator behind the transaction APIs (null without groups: no transactions). */
    public TransactionCoordinator transactions() {
        return transactions;
    }

    /** Binds the port and starts accepting. */
    public KafkaListener start() throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(settings.host(), settings.port()), 512);
        server = s;
        Thread.ofPlatform().name("floe-kafka-accept").daemon(true).start(this::acceptLoop);
        if (transactions != null) {
            timeouts = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("floe-txn-timeouts")
                    .daemon(true).unstarted(r));
            long every = transactions.abortScanInterval().toMillis();
            timeouts.schedule(() -> abortTimedOut(every), every, TimeUnit.MILLISECONDS);
        }
        LOG.log(System.Logger.Level.INFO, "Kafka listener on " + settings.host() + ":" + s.getLocalPort()
                + (tls == null ? " (plaintext)" : tls.mutual() ? " (TLS, client certificates required)" : " (TLS)")
                + (security.required() ? " with SASL" : ""));
        return this;
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return server.getLocalPort();
    }

    /** Fault injection for tests: lose responses as a network would. */
    public Faults faults() {
        return faults;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "Accepting a Kafka connection failed: " + e.getMessage());
                continue;
            }
            if (tls != null) {
                try {
                    socket = tls.wrap(socket);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.INFO, "TLS setup for " + socket.getRemoteSocketAddress() + " failed: " + e.getMessage());
                    closeQuietly(socket);
                    continue;
                }
            }
            Socket accepted = socket;
            open.add(accepted);
            Thread.ofVirtual().name("floe-kafka-read-" + accepted.getRemoteSocketAddress())
                    .start(new Connection(accepted, apis, faults, security, () -> open.remove(accepted)));
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /**
     * Any instance aborts the expired transactions it finds; a failure is retried at the next scan. While the
     * bucket holds no transactional id the scans space out, doubling up to {@link #MAX_IDLE_SCAN_MILLIS}, so an
     * idle deployment pays a LIST every few minutes, not two a minute (docs/DECISIONS.md D48); a scan that finds
     * ids keeps the configured interval (and GETs only the ids whose ETag changed).
     */
    private void abortTimedOut(long delayMillis) {
        long base = transactions.abortScanInterval().toMillis();
        long next = base;
        try {
            transactions.abortTimedOut();
            if (transactions.lastScanFound() == 0) {
                next = Math.min(Math.max(base, MAX_IDLE_SCAN_MILLIS), Math.max(base, 2 * delayMillis));
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Scan for expired transactions failed; the next one retries: " + e.getMessage());
        }
        if (!closed) {
            long delay = next;
            timeouts.schedule(() -> abortTimedOut(delay), delay, TimeUnit.MILLISECONDS);
        }
    }

    /** The longest wait between two scans for expired transactions while there is none to scan. */
    static final long MAX_IDLE_SCAN_MILLIS = 5 * 60_000;

    @Override
    public void close() {
        closed = true;
        if (timeouts != null) {
            timeouts.shutdownNow();
        }
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** Injected network faults (a shipped extension point for tests). Thread-safe. */
    public static final class Faults {
        private final AtomicInteger lostProduceResponses = new AtomicInteger();

        /**
         * The next {@code n} produce responses are not sent: the connection closes instead, after the
         * records were committed — a lost response, as when the network fails.
         */
        public void loseProduceResponses(int n) {
            lostProduceResponses.addAndGet(n);
        }

        boolean takeLostProduceResponse() {
            return lostProduceResponses.getAndUpdate(v -> v > 0 ? v - 1 : 0) > 0;
        }
    }
}
