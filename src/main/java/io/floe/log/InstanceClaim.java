package io.floe.log;

import io.floe.format.BucketLayout;
import io.floe.store.ConditionalUpdate;
import io.floe.store.ObjectStore;
import io.floe.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Detects a second live process running under the same {@code floe.instance-id} (fault 4 of issue
 * 12; DECISIONS.md D50). Data stays safe without it — every writer id carries a per-process nonce
 * and data objects are created only if absent — but two processes with one id are a configuration
 * mistake an operator must hear about.
 *
 * <p>The object {@code instances/{id}} holds {@code {"version":1,"nonce":"…","renewedMs":…}}. A process
 * claims it at start and renews it every {@link #RENEW_MS} by compare-and-swap. Finding another nonce
 * renewed within {@link #LIVE_MS} means another live process uses the id: {@link #duplicate()} turns true
 * and an error is logged (both processes see it within one renewal period). A claim older than that is a
 * predecessor that stopped (a restart), and is taken over silently.
 *
 * <p>Thread-safe (renewals come from one timer thread; the flag is volatile).
 */
final class InstanceClaim {

    static final long RENEW_MS = 60_000;
    static final long LIVE_MS = 3 * RENEW_MS;
    private static final Pattern NONCE = Pattern.compile("\"nonce\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern RENEWED = Pattern.compile("\"renewedMs\"\\s*:\\s*(\\d+)");

    private final ObjectStore store;
    private final Clock clock;
    private final String instanceId;
    private final String nonce;
    private final String key;
    private volatile boolean duplicate;

    InstanceClaim(ObjectStore store, Clock clock, String instanceId, String nonce) {
        this.store = store;
        this.clock = clock;
        this.instanceId = instanceId;
        this.nonce = nonce;
        this.key = BucketLayout.instanceClaim(instanceId);
    }

    /** Whether another live process was seen using this instance id. */
    boolean duplicate() {
        return duplicate;
    }

    /** Claims or renews; best effort (a store outage only delays detection). */
    void renew() {
        long now = clock.millis();
        try {
            ConditionalUpdate.update(store, key, current -> {
                current.ifPresent(bytes -> check(new String(bytes, StandardCharsets.UTF_8), now));
                return Optional.of(("{\"version\":1,\"nonce\":\"" + nonce + "\",\"renewedMs\":" + now + "}")
                        .getBytes(StandardCharsets.UTF_8));
            }, 3);
        } catch (StoreException e) {
            System.getLogger(InstanceClaim.class.getName()).log(System.Logger.Level.DEBUG,
                    "Could not renew the claim of instance id " + instanceId + "; will retry: " + e.getMessage());
        }
    }

    private void check(String claim, long now) {
        Matcher n = NONCE.matcher(claim);
        Matcher r = RENEWED.matcher(claim);
        if (n.find() && r.find() && !n.group(1).equals(nonce) && now - Long.parseLong(r.group(1)) < LIVE_MS) {
            if (!duplicate) {
                System.getLogger(InstanceClaim.class.getName()).log(System.Logger.Level.ERROR, "Another live process uses "
                        + "floe.instance-id '" + instanceId + "' (its claim " + key + " was renewed "
                        + (now - Long.parseLong(r.group(1))) + " ms ago). Give every instance its own id. Data stays safe:"
                        + " objects are created only if absent and writer ids carry a per-process nonce.");
            }
            duplicate = true;
        }
    }
}
