package io.floe.runtime;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Secure by default: which interface a front door may bind. Without authentication
 * ({@code floe.auth.enabled}) and without the explicit {@code floe.auth.anonymous=true}, anyone who
 * reaches a port could read, write and delete every topic, so both ports bind the loopback interface
 * only, whatever host was asked for (docs/DECISIONS.md D54). Stateless.
 */
public final class ListenPolicy {

    /** The loopback address both ports bind when Floe is not secured. */
    public static final String LOOPBACK = "127.0.0.1";

    private ListenPolicy() {
    }

    /** Whether Floe may listen beyond loopback: authentication is on, or anonymous access was asked for. */
    public static boolean mayListenBeyondLoopback(boolean authEnabled, boolean anonymous) {
        return authEnabled || anonymous;
    }

    /** The host to bind: {@code requested} when allowed or already loopback, else {@link #LOOPBACK}. */
    public static String bindHost(String requested, boolean authEnabled, boolean anonymous) {
        if (mayListenBeyondLoopback(authEnabled, anonymous) || isLoopback(requested)) {
            return requested;
        }
        return LOOPBACK;
    }

    static boolean isLoopback(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        if (host.equals("localhost")) {
            return true;
        }
        try {
            // Literal addresses only: a name is not resolved here (it could resolve differently later).
            if (!Character.isDigit(host.charAt(0)) && !host.contains(":")) {
                return false;
            }
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
