package io.floe.auth;

import java.time.Clock;
import java.time.Duration;

/**
 * The security components both front doors share: the users and ACLs ({@link SecurityStore}), who
 * a client is ({@link Authenticator}) and what it may do ({@link Authorizer}). Immutable.
 *
 * @param required        whether clients must authenticate (floe.auth.enabled)
 * @param sessionLifetime how long a Kafka SASL session lasts before the client must re-authenticate
 *                        (KIP-368); zero: until the connection closes
 */
public record Security(SecurityStore store, Authenticator authenticator, Authorizer authorizer, boolean required,
                       Duration sessionLifetime, Clock clock) {

    /** No authentication, everything allowed (Floe then listens on loopback only, or anonymous was asked for). */
    public static Security off(Clock clock) {
        return new Security(null, null, Authorizer.allowAll(), false, Duration.ZERO, clock);
    }
}
