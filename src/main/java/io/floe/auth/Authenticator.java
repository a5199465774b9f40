package io.floe.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * Checks who a client is, against the users in the bucket: PLAIN passwords (SASL PLAIN, HTTP Basic)
 * against the salted SCRAM credentials, and the credentials a SCRAM exchange needs. An unknown user
 * gets a made-up credential derived from its name and a per-process secret, so a SCRAM exchange
 * fails at the same step, with the same message, whether the user exists or not.
 *
 * <p>Failures are logged (principal, client address; never a password), counted, and slow the
 * address down: each recent failure from an address adds {@link #PENALTY_MILLIS} before the
 * failure is answered, up to {@link #MAX_PENALTY_MILLIS}; the count decays after a quiet minute.
 * Thread-safe.
 */
public final class Authenticator {

    /** The one message every authentication failure carries: it does not tell whether the user exists. */
    public static final String FAILED = "Authentication failed: invalid username or password";
    static final long PENALTY_MILLIS = 250;
    static final long MAX_PENALTY_MILLIS = 5_000;
    private static final long FORGET_AFTER_MILLIS = 60_000;
    private static final System.Logger AUDIT = System.getLogger("io.floe.audit");

    private record Failures(int count, long lastMillis) {
    }

    private final SecurityStore store;
    private final Clock clock;
    private final java.util.function.Supplier<byte[]> secretSource;
    private volatile byte[] secret;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    /** Verified PLAIN checks: user → digest of (password, credential); spares 4096 HMACs per REST request. */
    private final Map<String, byte[]> verified = new ConcurrentHashMap<>();
    private final AtomicLong failureCount = new AtomicLong();

    public Authenticator(SecurityStore store, Clock clock, byte[] secret) {
        this(store, clock, secret::clone);
    }

    /** @param secret read on first need (it may come from the bucket, which may not answer at start-up) */
    public Authenticator(SecurityStore store, Clock clock, java.util.function.Supplier<byte[]> secret) {
        this.store = store;
        this.clock = clock;
        this.secretSource = secret;
    }

    private byte[] secret() {
        byte[] s = secret;
        if (s == null) {
            s = secretSource.get();
            secret = s;
        }
        return s;
    }

    /** Whether {@code password} is {@code user}'s (checked against any of its SCRAM credentials). */
    public boolean checkPassword(String user, String password) {
        Map<ScramMechanism, Credential> creds = store.snapshot().users().get(user);
        if (creds == null || creds.isEmpty()) {
            // Same work as a real check, so timing does not tell whether the user exists.
            madeUp(user, ScramMechanism.SCRAM_SHA_256).matches(password);
            return false;
        }
        Credential c = creds.getOrDefault(ScramMechanism.SCRAM_SHA_512, creds.values().iterator().next());
        byte[] key = digest(password, c);
        byte[] seen = verified.get(user);
        if (seen != null && MessageDigest.isEqual(seen, key)) {
            return true;
        }
        if (c.matches(password)) {
            verified.put(user, key);
            return true;
        }
        return false;
    }

    /** The credential a SCRAM exchange for {@code user} uses: the real one, or a made-up one that cannot match. */
    public Credential scramCredential(String user, ScramMechanism mechanism) {
        Optional<Credential> c = store.snapshot().credential(user, mechanism);
        return c.orElseGet(() -> madeUp(user, mechanism));
    }

    private Credential madeUp(String user, ScramMechanism mechanism) {
        byte[] seed = sha256((user + "\0" + mechanism.mechanismName()).getBytes(StandardCharsets.UTF_8), secret());
        byte[] salt = java.util.Arrays.copyOf(seed, 16);
        byte[] keys = sha256(seed, secret());
        int size = mechanism == ScramMechanism.SCRAM_SHA_512 ? 64 : 32;
        byte[] stored = java.util.Arrays.copyOf(keys, size);
        byte[] server = java.util.Arrays.copyOf(sha256(keys, secret()), size);
        return new Credential(mechanism, salt, stored, server, Credential.DEFAULT_ITERATIONS);
    }

    /**
     * Records a failed authentication from {@code address} and returns how long to wait before
     * answering it (the slow-down). Logged without any secret.
     */
    public long failed(String address, String user, String mechanism) {
        failureCount.incrementAndGet();
        long now = clock.millis();
        Failures f = failures.compute(address, (a, old) -> old == null || now - old.lastMillis() > FORGET_AFTER_MILLIS
                ? new Failures(1, now) : new Failures(old.count() + 1, now));
        AUDIT.log(System.Logger.Level.INFO, "AUTHENTICATION FAILED principal=User:" + printable(user) + " host=" + address
                + " mechanism=" + mechanism + " recentFailures=" + f.count());
        if (failures.size() > 10_000) {
            failures.entrySet().removeIf(e -> now - e.getValue().lastMillis() > FORGET_AFTER_MILLIS);
        }
        return Math.min(MAX_PENALTY_MILLIS, PENALTY_MILLIS * (f.count() - 1));
    }

    /** Authentication failures since start (a metric). */
    public long failures() {
        return failureCount.get();
    }

    private static String printable(String user) {
        if (user == null) {
            return "?";
        }
        String s = user.length() > 64 ? user.substring(0, 64) + "…" : user;
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private byte[] digest(String password, Credential c) {
        return sha256(sha256(password.getBytes(StandardCharsets.UTF_8), c.salt()), c.storedKey());
    }

    private static byte[] sha256(byte[] a, byte[] b) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(a);
            md.update(b);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
