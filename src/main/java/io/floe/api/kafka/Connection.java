package io.floe.api.kafka;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLSocket;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import io.floe.auth.Authenticator;
import io.floe.auth.Principal;
import io.floe.auth.Security;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.network.Send;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.SendBuilder;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * One client connection. Two virtual threads own it: the <b>reader</b> decodes frames and hands each
 * request to {@link KafkaApis} in arrival order (so produce calls reach the engine in request order),
 * and queues the response future; the <b>writer</b> sends responses strictly in that order, waiting
 * for each future in turn. A long-polling fetch therefore delays only the responses queued behind it
 * on this connection (as Kafka requires), never other connections, while later requests are already
 * being processed (pipelining: five in-flight produce requests land in one group commit).
 *
 * <p>A malformed or truncated frame closes this connection with a log line; nothing else is affected.
 */
final class Connection implements Runnable {

    private static final System.Logger LOG = System.getLogger(Connection.class.getName());
    /** Responses waiting to be written; the reader blocks when this many are outstanding (back-pressure). */
    private static final int MAX_IN_FLIGHT = 64;

    /**
     * A response to write: a message for {@code header}, or (after a v0 SASL handshake) {@code raw} token
     * bytes with only a size prefix. {@code closeAfter}: close the connection once it is written.
     */
    private record Pending(RequestHeader header, CompletableFuture<ApiMessage> response, short version, byte[] raw,
                           boolean closeAfter) {
        Pending(RequestHeader header, CompletableFuture<ApiMessage> response, short version) {
            this(header, response, version, null, false);
        }

        static Pending raw(byte[] token) {
            return new Pending(null, CompletableFuture.completedFuture(null), (short) 0, token, false);
        }

        static Pending closing(RequestHeader header, ApiMessage body, short version) {
            return new Pending(header, CompletableFuture.completedFuture(body), version, null, true);
        }
    }

    private static final Pending END = new Pending(null, null, (short) 0);
    /** Closes the connection after the responses queued before it (a failed authentication). */
    private static final Pending CLOSE = new Pending(null, CompletableFuture.completedFuture(null), (short) 0, null, true);

    private final Socket socket;
    private final KafkaApis apis;
    private final KafkaListener.Faults faults;
    private final Runnable onClose;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(MAX_IN_FLIGHT);
    private final String peer;
    private final Security security;
    private final SaslSession sasl;

    Connection(Socket socket, KafkaApis apis, KafkaListener.Faults faults, Security security, Runnable onClose) {
        this.socket = socket;
        this.apis = apis;
        this.faults = faults;
        this.onClose = onClose;
        this.security = security;
        this.peer = String.valueOf(socket.getRemoteSocketAddress());
        this.sasl = new SaslSession(security, socket.getInetAddress().getHostAddress());
    }

    @Override
    public void run() {
        Thread writer = Thread.ofVirtual().name("floe-kafka-write-" + peer).start(this::writeLoop);
        try (socket) {
            socket.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
            String peerHost = socket.getInetAddress().getHostAddress();
            Principal principal = security.required() ? null : Principal.ANONYMOUS;
            if (socket instanceof SSLSocket ssl) {
                Principal certificate = handshake(ssl);
                if (certificate != null) {
                    principal = certificate;
                }
            }
            ConnectionContext context = new ConnectionContext(socket.getLocalAddress().getHostAddress(), socket.getLocalPort(),
                    "/" + peerHost, principal, peerHost);
            while (true) {
                int size;
                try {
                    size = in.readInt();
                } catch (EOFException e) {
                    return; // the client closed the connection between requests
                }
                // Before authentication a frame is at most Kafka's sasl.server.max.receive.size: a stranger
                // cannot make us allocate 100 MiB. Closed without reading it.
                int limit = context.principal() == null ? KafkaSettings.MAX_PRE_AUTH_FRAME_BYTES : KafkaSettings.MAX_FRAME_BYTES;
                if (size < 0 || size > limit) {
                    LOG.log(System.Logger.Level.INFO, "Closing Kafka connection from " + peer + ": frame size " + size
                            + " is outside 0.." + limit + (context.principal() == null ? " (not authenticated)" : ""));
                    return;
                }
                byte[] frame = new byte[size];
                in.readFully(frame);
                Pending p;
                if (sasl.expectsRawToken()) {
                    p = rawToken(frame);
                } else {
                    p = decodeAndHandle(ByteBuffer.wrap(frame), context);
                }
                if (p == null) {
                    return;
                }
                if (sasl.authenticated() && context.principal() == null) {
                    context = context.withPrincipal(sasl.principal());
                }
                if (p.response() != null) {
                    while (!queue.offer(p, 1, TimeUnit.SECONDS)) {
                        if (socket.isClosed()) {
                            return; // the writer gave up on this connection
                        }
                    }
                }
                if (p.closeAfter()) {
                    drainUntilClosed(in);
                    return;
                }
            }
        } catch (EOFException e) {
            LOG.log(System.Logger.Level.INFO, "Closing Kafka connection from " + peer + ": truncated frame");
        } catch (SocketException e) {
            LOG.log(System.Logger.Level.DEBUG, "Kafka connection from " + peer + " closed: " + e.getMessage());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.INFO, "Kafka connection from " + peer + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            queue.clear();
            queue.offer(END);
            onClose.run();
        }
    }

    /**
     * Runs the TLS handshake; with mutual TLS, the client certificate's subject is the principal
     * ({@code User:CN=…,O=…}, as Kafka's default SSL principal). A failed handshake closes the connection.
     */
    private Principal handshake(SSLSocket ssl) throws IOException {
        try {
            ssl.startHandshake();
        } catch (javax.net.ssl.SSLException e) {
            LOG.log(System.Logger.Level.INFO, "Closing Kafka connection from " + peer + ": TLS handshake failed ("
                    + e.getMessage() + ")");
            throw e;
        }
        if (!ssl.getNeedClientAuth()) {
            return null;
        }
        try {
            return Principal.user(ssl.getSession().getPeerPrincipal().getName());
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            return null;
        }
    }

    /** Waits (bounded) for the writer to send what is queued and close, reading nothing more. */
    private void drainUntilClosed(DataInputStream in) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!socket.isClosed() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    /** A bare SASL token after a v0 handshake: the reply goes back bare; a failure closes the connection. */
    private Pending rawToken(byte[] token) throws InterruptedException {
        SaslSession.Step step = sasl.evaluate(token);
        if (step.failed()) {
            Thread.sleep(step.waitMillis());
            LOG.log(System.Logger.Level.INFO, "Closing Kafka connection from " + peer + ": " + Authenticator.FAILED);
            return null;
        }
        return Pending.raw(step.reply());
    }

    /**
     * The security gate, before any engine call: without authentication only ApiVersions and the SASL
     * requests pass (anything else closes the connection, as Kafka does); an expired session must
     * re-authenticate first. Null: let the request through.
     */
    private Pending gate(RequestHeader header, AbstractRequest request, ConnectionContext context) throws InterruptedException {
        ApiKeys key = header.apiKey();
        short version = header.apiVersion();
        if (key == ApiKeys.SASL_HANDSHAKE) {
            String mechanism = ((SaslHandshakeRequest) request).data().mechanism();
            SaslHandshakeResponseData r = sasl.handshake(mechanism, version);
            if (r.errorCode() != Errors.NONE.code()) {
                LOG.log(System.Logger.Level.INFO, "Closing Kafka connection from " + peer + ": SASL mechanism '"
                        + mechanism + "' is not enabled (enabled: " + SaslSession.MECHANISMS + ")");
                return Pending.closing(header, r, version);
            }
            return new Pending(header, CompletableFuture.completedFuture(r), version);
        }
        if (key == ApiKeys.SASL_AUTHENTICATE) {
            if (!sasl.expectsAuthenticate()) {
                return Pending.closing(header, new SaslAuthenticateResponseData().setErrorCode(Errors.ILLEGAL_SASL_STATE.code())
                        .setErrorMessage("SaslAuthenticate before SaslHandshake"), version);
            }
            SaslSession.Step step = sasl.evaluate(((SaslAuthenticateRequest) request).data().authBytes());
            if (step.failed()) {
                Thread.sleep(step.waitMillis());
                return Pending.closing(header, sasl.response(step), version);
            }
            return new Pending(header, CompletableFuture.completedFuture(sasl.response(step)), version);
        }
        if (key == ApiKeys.API_VERSIONS) {
            return null;
        }
        if (sasl.expired(security.clock().millis())) {
            LOG.log(System.Logger.Level.INFO, "Closing Kafka connection from " + peer + ": the SASL session of "
                    + context.principal() + " expired without re-authentication");
            return CLOSE;
        }
        return null;
    }

    /** Null: the frame is malformed and the connection must close. A null response: send nothing (acks=0). */
    private Pending decodeAndHandle(ByteBuffer frame, ConnectionContext context) throws InterruptedException {
        RequestHeader header;
        try {
            header = RequestHeader.parse(frame);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.INFO, "Closing Kafka connection from " + peer + ": malformed request header ("
                    + e.getMessage() + ")");
            return null;
        }
        ApiKeys key = header.apiKey();
        short version = header.apiVersion();
        if (context.principal() == null && key != ApiKeys.API_VERSIONS && key != ApiKeys.SASL_HANDSHAKE
                && key != ApiKeys.SASL_AUTHENTICATE) {
            LOG.log(System.Logger.Level.INFO, "Closing Kafka connection from " + peer + ": " + key
                    + " before authentication (the client must use SASL: security.protocol=SASL_PLAINTEXT or SASL_SSL)");
            return null;
        }
        if (key == ApiKeys.API_VERSIONS && !key.isVersionSupported(version)) {
            // Kafka's rule: answer a too-new ApiVersions with v0 and UNSUPPORTED_VERSION, listing what we support.
            return new Pending(header, CompletableFuture.completedFuture(apis.apiVersions(Errors.UNSUPPORTED_VERSION)), (short) 0);
        }
        AbstractRequest request;
        try {
            request = AbstractRequest.parseRequest(key, version, new ByteBufferAccessor(frame)).request;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.INFO, "Closing Kafka connection from " + peer + ": cannot decode " + key + " v"
                    + version + " (" + e.getMessage() + ")");
            return null;
        }
        if (!apis.supports(key, version)) {
            try {
                return new Pending(header, CompletableFuture.completedFuture(
                        request.getErrorResponse(0, Errors.UNSUPPORTED_VERSION.exception(key + " v" + version
                                + " is not supported by Floe")).data()), version);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.INFO, "Closing Kafka connection from " + peer + ": unsupported " + key + " v" + version);
                return null;
            }
        }
        if (security.required()) {
            Pending gated = gate(header, request, context);
            if (gated != null) {
                return gated;
            }
        }
        CompletableFuture<ApiMessage> response;
        try {
            response = apis.handle(header, request, context);
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e);
        }
        if (response != null) {
            response = response.exceptionally(t -> {
                Errors error = KafkaErrors.of(t);
                return request.getErrorResponse(0, error.exception(KafkaErrors.message(t))).data();
            });
        }
        return new Pending(header, response, version);
    }

    private void writeLoop() {
        try {
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), StreamChannel.SCRATCH_BYTES);
            StreamChannel channel = new StreamChannel(out);
            while (true) {
                Pending p = queue.take();
                if (p == END) {
                    return;
                }
                if (p.raw() != null) {
                    out.write(ByteBuffer.allocate(4).putInt(p.raw().length).array());
                    out.write(p.raw());
                    out.flush();
                    continue;
                }
                if (p.header() == null) { // CLOSE
                    out.flush();
                    closeQuietly();
                    return;
                }
                ApiMessage body = p.response().join();
                if (p.header().apiKey() == ApiKeys.PRODUCE && faults.takeLostProduceResponse()) {
                    LOG.log(System.Logger.Level.INFO, "Fault injection: dropping a produce response and the connection from " + peer);
                    socket.close();
                    return;
                }
                channel.writeFully(send(p.header(), body, p.version()));
                if (p.closeAfter()) {
                    out.flush();
                    closeQuietly();
                    return;
                }
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "Writing to Kafka connection " + peer + " failed: " + e.getMessage());
            closeQuietly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot encode a response to " + peer + "; closing the connection", e);
            closeQuietly();
        }
    }

    /**
     * Size prefix, response header (its version follows the request's), body: the fields serialized into
     * one small buffer, record batches (Fetch) referenced where they are, not copied (D102).
     */
    static Send send(RequestHeader request, ApiMessage body, short version) {
        ResponseHeader h = request.toResponseHeader();
        return SendBuilder.buildResponseSend(h, body, version);
    }

    private void closeQuietly() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closing
        }
    }

    /**
     * What a handler may need to know about the connection: the address the client reached us at, who
     * it is ({@code principal}; null until it authenticated) and its address for ACL host checks.
     */
    record ConnectionContext(String localHost, int localPort, String peerHost, Principal principal, String clientAddress) {
        ConnectionContext withPrincipal(Principal p) {
            return new ConnectionContext(localHost, localPort, peerHost, p, clientAddress);
        }
    }
}
