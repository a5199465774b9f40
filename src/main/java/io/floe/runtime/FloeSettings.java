package io.floe.runtime;

import io.floe.api.rest.RestLimits;
import io.floe.log.LogSettings;
import io.floe.store.LatencyProfile;
import io.floe.store.StoreSettings;
import io.quarkus.runtime.configuration.MemorySize;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * Turns {@link FloeConfig} into the plain settings records of the store and the engine, checking
 * every value first. All problems are reported at once, each naming its setting, the value and
 * what is accepted. Stateless.
 */
final class FloeSettings {

    private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** The checked settings. */
    record Checked(StoreSettings store, LogSettings log, LatencyProfile latencyModel, RestLimits rest) {
    }

    /** An invalid setting; the message is for the operator and lists every problem. */
    static final class InvalidSettingsException extends IllegalArgumentException {
        InvalidSettingsException(List<String> problems) {
            super("Invalid Floe settings, start-up stopped:\n  - " + String.join("\n  - ", problems));
        }
    }

    private FloeSettings() {
    }

    static Checked check(FloeConfig c, RandomGenerator random) {
        List<String> problems = new ArrayList<>();

        // The URL's forms are checked by ObjectStores.open, which names floe.storage.url.
        String url = c.storage().url().trim();
        if (c.s3().accessKey().isPresent() != c.s3().secretKey().isPresent()) {
            problems.add("floe.s3.access-key and floe.s3.secret-key: set both, or neither (then the AWS default "
                    + "credential chain is used)");
        }
        if (c.s3().region().isBlank()) {
            problems.add("floe.s3.region is empty: expected an AWS region such as us-east-1");
        }
        c.s3().endpoint().ifPresent(e -> {
            if (!(e.startsWith("http://") || e.startsWith("https://"))) {
                problems.add("floe.s3.endpoint = '" + e + "': expected an http:// or https:// URL");
            }
        });
        String instanceId = c.instanceId().map(String::trim).orElseGet(() -> HexFormat.of().toHexDigits(random.nextInt()));
        if (!INSTANCE_ID.matcher(instanceId).matches()) {
            problems.add("floe.instance-id = '" + instanceId + "': expected 1 to 64 of A-Z a-z 0-9 . _ -");
        }

        Duration linger = atLeast(problems, "floe.flush.linger", c.flush().linger(), Duration.ZERO);
        int flushBytes = intSize(problems, "floe.flush.max-bytes", c.flush().maxBytes(), 1);
        int flushRecords = intAtLeast(problems, "floe.flush.max-records", c.flush().maxRecords(), 1);
        int inlineBytes = intSize(problems, "floe.flush.inline-bytes", c.flush().inlineBytes(), 0);
        int maxInFlight = intAtLeast(problems, "floe.flush.max-in-flight", c.flush().maxInFlight(), 1);
        if (maxInFlight > 16) {
            problems.add("floe.flush.max-in-flight = " + maxInFlight + ": expected an integer from 1 to 16");
        }
        long maxBuffered = size(problems, "floe.produce.max-buffered-bytes", c.produce().maxBufferedBytes(), 1);
        long cacheBytes = size(problems, "floe.cache.max-bytes", c.cache().maxBytes(), 0);
        Duration poll = atLeast(problems, "floe.fetch.poll-interval", c.fetch().pollInterval(), Duration.ofMillis(1));
        int checkpointEvery = intAtLeast(problems, "floe.checkpoint.every-commits", c.checkpoint().everyCommits(), 1);
        Duration metadataMaxAge = atLeast(problems, "floe.metadata.max-age", c.metadata().maxAge(), Duration.ZERO);
        LatencyProfile latencyModel = LatencyProfile.NONE;
        try {
            latencyModel = LatencyProfile.named(c.s3().latencyModel());
        } catch (IllegalArgumentException e) {
            problems.add("floe.s3.latency-model = " + e.getMessage());
        }

        Duration restWait = atLeast(problems, "floe.rest.max-wait", c.rest().maxWait(), Duration.ZERO);
        if (restWait.compareTo(RestLimits.API_MAX_WAIT) > 0) {
            problems.add("floe.rest.max-wait = " + restWait + ": expected at most 60s (the REST API's own limit)");
        }
        int restFetchBytes = intSize(problems, "floe.rest.max-fetch-bytes", c.rest().maxFetchBytes(), 1);
        if (restFetchBytes > RestLimits.API_MAX_FETCH_BYTES) {
            problems.add("floe.rest.max-fetch-bytes = " + restFetchBytes + ": expected at most 64M (the REST API's own limit)");
        }
        long restResponseBytes = size(problems, "floe.rest.max-response-bytes", c.rest().maxResponseBytes(), 0);
        atLeast(problems, "floe.lambda.quiesce-limit", c.lambda().quiesceLimit(), Duration.ZERO);

        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        StoreSettings store = new StoreSettings(url, trimmed(c.s3().endpoint()), c.s3().region().trim(),
                c.s3().pathStyle(), trimmed(c.s3().accessKey()), trimmed(c.s3().secretKey()));
        LogSettings log = new LogSettings(instanceId, linger, flushBytes, flushRecords, inlineBytes, maxBuffered,
                cacheBytes, poll, checkpointEvery, metadataMaxAge, true, maxInFlight);
        return new Checked(store, log, latencyModel, new RestLimits(restWait, restFetchBytes, restResponseBytes));
    }

    private static Optional<String> trimmed(Optional<String> value) {
        return value.map(String::trim).filter(v -> !v.isEmpty());
    }

    private static Duration atLeast(List<String> problems, String name, Duration value, Duration min) {
        if (value.compareTo(min) < 0) {
            problems.add(name + " = " + value + ": expected a duration of at least " + describe(min)
                    + " (e.g. 10ms, 5s, PT0.5S)");
        }
        return value;
    }

    private static String describe(Duration d) {
        return d.isZero() ? "0" : d.toMillis() + "ms";
    }

    private static int intAtLeast(List<String> problems, String name, int value, int min) {
        if (value < min) {
            problems.add(name + " = " + value + ": expected an integer >= " + min);
        }
        return value;
    }

    private static long size(List<String> problems, String name, MemorySize value, long min) {
        long v = value.asLongValue();
        if (v < min) {
            problems.add(name + " = " + v + ": expected a size of at least " + min + " byte" + (min == 1 ? "" : "s")
                    + " (e.g. 65536, 64K, 8M)");
        }
        return v;
    }

    private static int intSize(List<String> problems, String name, MemorySize value, long min) {
        long v = size(problems, name, value, min);
        if (v > Integer.MAX_VALUE) {
            problems.add(name + " = " + v + ": expected a size below 2G (at most " + Integer.MAX_VALUE + " bytes)");
            return Integer.MAX_VALUE;
        }
        return (int) v;
    }
}
