package io.floe.api.kafka;

import io.floe.auth.Authenticator;
import io.floe.auth.Principal;
import io.floe.auth.Security;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.plain.PlainAuthenticateCallback;
import org.apache.kafka.common.security.plain.internals.PlainSaslServer;
import org.apache.kafka.common.security.scram.ScramCredentialCallback;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramSaslServer;

/**
 * The SASL state of one Kafka connection: SaslHandshake picks a mechanism, then the client's tokens
 * arrive either inside SaslAuthenticate requests (handshake v1) or as bare size-prefixed frames
 * (handshake v0, kafka-python 2.0.2). PLAIN and SCRAM-SHA-256/512 run on kafka-clients' own SASL
 * servers; their callbacks read users from the {@link io.floe.auth.Authenticator}. After success the
 * session lasts {@link Security#sessionLifetime()}; a v1 client re-authenticates before then (KIP-368),
 * as the same principal.
 *
 * <p>Owned by the connection's reader thread; not thread-safe.
 */
final class SaslSession {

    private static final System.Logger LOG = System.getLogger(SaslSession.class.getName());
    static final List<String> MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

    /** What one token step gave: bytes to send back, or a failure; {@code done} once authenticated. */
    record Step(byte[] reply, boolean failed, boolean done, long waitMillis) {
    }

    private final Security security;
    private final String peerHost;
    private SaslServer server;
    private String mechanism;
    private short handshakeVersion = -1;
    private String user;
    private Principal principal;
    private long expiresAtMs = Long.MAX_VALUE;

    SaslSession(Security security, String peerHost) {
        this.security = security;
        this.peerHost = peerHost;
    }

    boolean authenticated() {
        return principal != null;
    }

    Principal principal() {
        return principal;
    }

    /** Whether the next frame is a bare SASL token (after a v0 handshake), not a request. */
    boolean expectsRawToken() {
        return server != null && handshakeVersion == 0;
    }

    /** Whether SaslAuthenticate is expected (after a v1 handshake). */
    boolean expectsAuthenticate() {
        return server != null && handshakeVersion >= 1;
    }

    boolean expired(long nowMs) {
        return nowMs >= expiresAtMs;
    }

    /** Picks the mechanism; an unknown one (or a v0 re-authentication) is refused and the connection closes. */
    SaslHandshakeResponseData handshake(String requested, short version) {
        SaslHandshakeResponseData out = new SaslHandshakeResponseData().setMechanisms(MECHANISMS);
        if (!MECHANISMS.contains(requested) || (authenticated() && version < 1)) {
            return out.setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code());
        }
        if (authenticated() && !requested.equals(mechanism)) {
            return out.setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code()); // KIP-368: same mechanism
        }
        mechanism = requested;
        handshakeVersion = version;
        server = newServer(requested);
        return out.setErrorCode(Errors.NONE.code());
    }

    /** One client token. A failure has waited its slow-down already and the caller closes the connection. */
    Step evaluate(byte[] token) {
        try {
            byte[] reply = server.evaluateResponse(token);
            if (!server.isComplete()) {
                return new Step(reply == null ? new byte[0] : reply, false, false, 0);
            }
            Principal p = Principal.user(server.getAuthorizationID());
            if (principal != null && !principal.equals(p)) {
                return fail(); // re-authentication must keep the principal
            }
            principal = p;
            long lifetime = security.sessionLifetime().toMillis();
            expiresAtMs = lifetime > 0 ? security.clock().millis() + lifetime : Long.MAX_VALUE;
            server = null;
            return new Step(reply == null ? new byte[0] : reply, false, true, 0);
        } catch (SaslException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "SASL " + mechanism + " failed for " + peerHost + ": " + e);
            return fail();
        }
    }

    private Step fail() {
        server = null;
        long wait = security.authenticator().failed(peerHost, user, mechanism);
        return new Step(null, true, false, wait);
    }

    /** The SaslAuthenticate answer to a step (v1 clients). */
    SaslAuthenticateResponseData response(Step step) {
        if (step.failed()) {
            return new SaslAuthenticateResponseData().setErrorCode(Errors.SASL_AUTHENTICATION_FAILED.code())
                    .setErrorMessage(Authenticator.FAILED).setAuthBytes(new byte[0]);
        }
        long remaining = expiresAtMs == Long.MAX_VALUE || !step.done() ? 0
                : Math.max(1, expiresAtMs - security.clock().millis());
        return new SaslAuthenticateResponseData().setErrorCode(Errors.NONE.code()).setAuthBytes(step.reply())
                .setSessionLifetimeMs(remaining);
    }

    private SaslServer newServer(String name) {
        CallbackHandler handler = this::handle;
        if (name.equals("PLAIN")) {
            return new PlainSaslServer(handler);
        }
        try {
            return new ScramSaslServer(ScramMechanism.forMechanismName(name), Map.of(), handler);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(Callback[] callbacks) throws UnsupportedCallbackException {
        for (Callback c : callbacks) {
            if (c instanceof NameCallback n) {
                user = n.getDefaultName();
                n.setName(user);
            } else if (c instanceof PlainAuthenticateCallback p) {
                p.authenticated(security.authenticator().checkPassword(user, new String(p.password())));
            } else if (c instanceof ScramCredentialCallback s) {
                s.scramCredential(security.authenticator()
                        .scramCredential(user, ScramMechanism.forMechanismName(mechanism)).toKafka());
            } else {
                throw new UnsupportedCallbackException(c);
            }
        }
    }
}
