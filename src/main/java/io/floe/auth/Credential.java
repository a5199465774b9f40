package io.floe.auth;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * A salted SCRAM credential (RFC 5802): what the bucket holds for a user and mechanism, never the
 * password. Made and checked with kafka-clients' {@link ScramFormatter}, so it is exactly what a
 * Kafka broker would store. Immutable (the arrays are not exposed for writing by convention).
 */
public record Credential(ScramMechanism mechanism, byte[] salt, byte[] storedKey, byte[] serverKey, int iterations) {

    /** Iterations for credentials Floe makes from a password (Kafka's tools use 4096 by default). */
    public static final int DEFAULT_ITERATIONS = 4096;

    public Credential {
        if (iterations < mechanism.minIterations() || iterations > mechanism.maxIterations()) {
            throw new IllegalArgumentException(mechanism.mechanismName() + " iterations must be " + mechanism.minIterations()
                    + " to " + mechanism.maxIterations() + ", not " + iterations);
        }
    }

    /** A new credential for {@code password} with a fresh random salt. */
    public static Credential fromPassword(ScramMechanism mechanism, String password, int iterations) {
        ScramCredential c = formatter(mechanism).generateCredential(password, iterations);
        return new Credential(mechanism, c.salt(), c.storedKey(), c.serverKey(), iterations);
    }

    /** The credential from a salted password, as AlterUserScramCredentials sends it (the client salted it). */
    public static Credential fromSaltedPassword(ScramMechanism mechanism, byte[] salt, byte[] saltedPassword, int iterations) {
        ScramFormatter f = formatter(mechanism);
        try {
            return new Credential(mechanism, salt.clone(), f.storedKey(f.clientKey(saltedPassword)), f.serverKey(saltedPassword),
                    iterations);
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("invalid salted password", e);
        }
    }

    /** Whether {@code password} is the one this credential was made from (constant-time comparison). */
    public boolean matches(String password) {
        ScramFormatter f = formatter(mechanism);
        try {
            byte[] salted = f.saltedPassword(password, salt, iterations);
            return MessageDigest.isEqual(f.storedKey(f.clientKey(salted)), storedKey);
        } catch (InvalidKeyException e) {
            return false;
        }
    }

    /** Kafka's form, for its SCRAM server. */
    public ScramCredential toKafka() {
        return new ScramCredential(salt, storedKey, serverKey, iterations);
    }

    static ScramFormatter formatter(ScramMechanism mechanism) {
        try {
            return new ScramFormatter(mechanism);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(mechanism.hashAlgorithm() + " is missing from this JDK", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Credential c && c.mechanism == mechanism && c.iterations == iterations
                && Arrays.equals(c.salt, salt) && Arrays.equals(c.storedKey, storedKey) && Arrays.equals(c.serverKey, serverKey);
    }

    @Override
    public int hashCode() {
        return mechanism.hashCode() * 31 + Arrays.hashCode(storedKey);
    }

    @Override
    public String toString() {
        return "Credential[" + mechanism.mechanismName() + ", iterations=" + iterations + "]"; // never the keys
    }
}
