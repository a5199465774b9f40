package io.floe.api.kafka;

import io.floe.auth.Security;
import io.floe.group.GroupCoordinator;
import io.floe.log.LogEngine;
import io.floe.store.ObjectStore;
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
        this.security = security;
        this.apis = new KafkaApis(engine, new ProducerIds(store), clock, settings, groups, security);
    }

    /** Binds the port and starts accepting. */
    public KafkaListener start() throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(settings.host(), settings.port()), 512);
        server = s;
        Thread.ofPlatform().name("floe-kafka-accept").daemon(true).start(this::acceptLoop);
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

    @Override
    public void close() {
        closed = true;
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
