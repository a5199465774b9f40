package io.floe.txn;

import java.time.Duration;

/**
 * Settings of the transaction coordinator.
 *
 * @param instanceId   this instance's id, part of every write id
 * @param maxTimeout   the longest {@code transaction.timeout.ms} accepted (Kafka's
 *                     {@code transaction.max.timeout.ms}, 15 minutes)
 * @param abortScan    how often an instance looks for expired transactions to abort (Kafka's
 *                     {@code transaction.abort.timed.out.transaction.cleanup.interval.ms} is 10 s; a scan
 *                     costs one LIST and one GET per transactional id, so Floe waits 30 s)
 * @param casAttempts  compare-and-swap attempts per request before CONCURRENT_UPDATE (retriable)
 * @param idExpiration how long a transactional id may stay unused (no transaction open) before the scan
 *                     deletes its state (Kafka's {@code transactional.id.expiration.ms}, 7 days)
 */
public record TxnSettings(String instanceId, Duration maxTimeout, Duration abortScan, int casAttempts,
                          Duration idExpiration) {
    public TxnSettings {
        if (maxTimeout.toMillis() < 1 || abortScan.isNegative() || abortScan.isZero() || casAttempts < 1
                || idExpiration.compareTo(maxTimeout) <= 0) {
            throw new IllegalArgumentException("maxTimeout and abortScan must be positive, casAttempts >= 1, "
                    + "idExpiration longer than maxTimeout");
        }
    }

    public static TxnSettings defaults(String instanceId) {
        return new TxnSettings(instanceId, Duration.ofMinutes(15), Duration.ofSeconds(30), 20, Duration.ofDays(7));
    }
}
