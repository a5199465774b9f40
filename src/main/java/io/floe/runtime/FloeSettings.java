package io.floe.runtime;

import io.floe.api.kafka.KafkaSettings;
import io.floe.api.rest.RestLimits;
import io.floe.group.GroupSettings;
import io.floe.janitor.JanitorSettings;
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
 * Turns {@link FloeConfig} into the plain settings records of every component (store, log engine,
 * groups, janitor, Kafka listener), checking every value first: the one validation path of Floe's
 * settings. All problems are reported at once, each naming its setting, the value and what is
 * accepted. The defaults are FloeConfig's alone ({@link Defaults} reads them for code that runs
 * without Quarkus). Stateless.
 */
final class FloeSettings {

    private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** The checked settings. */
    record Checked(StoreSettings store, LogSettings log, GroupSettings group, JanitorSettings janitor,
                   KafkaSettings kafka, LatencyProfile latencyModel, RestLimits rest) {
    }

    /** An invalid setting; the message is for the operator and lists every problem. */
    static final class InvalidSettingsException extends IllegalArgumentException {
        InvalidSettingsException(List<String> problems) {
            super("Invalid Floe settings, start-up stopped:\n  - " + String.join("\n  - ", problems));
        }
    }

    private FloeSettings() {
    }

    /** The instance id of a process whose {@code floe.instance-id} is not set: 8 hex digits drawn from {@code random}. */
    static String drawInstanceId(RandomGenerator random) {
        return HexFormat.of().toHexDigits(random.nextInt());
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
        String instanceId = c.instanceId().map(String::trim).orElseGet(() -> drawInstanceId(random));
        if (!INSTANCE_ID.matcher(instanceId).matches()) {
            problems.add("floe.instance-id = '" + instanceId + "': expected 1 to 64 of A-Z a-z 0-9 . _ -");
        }

        Duration linger = atLeast(problems, "floe.flush.linger", c.flush().linger(), Duration.ZERO);
        Duration maxLinger = atLeast(problems, "floe.flush.max-linger", c.flush().maxLinger(), Duration.ZERO);
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

        FloeConfig.Group g = c.group();
        Duration sessionTimeout = between(problems, "floe.group.session-timeout", g.sessionTimeout(),
                GroupSettings.MIN_SESSION_TIMEOUT, GroupSettings.MAX_SESSION_TIMEOUT);
        Duration groupPoll = atLeast(problems, "floe.group.poll-interval", g.pollInterval(), Duration.ofMillis(1));
        Duration commitInterval = atLeast(problems, "floe.group.commit-interval", g.commitInterval(), Duration.ofMillis(1));
        atLeast(problems, "floe.group.lag-metric-interval", g.lagMetricInterval(), Duration.ZERO);

        FloeConfig.Janitor j = c.janitor();
        atLeast(problems, "floe.janitor.interval", j.interval(), Duration.ofMillis(1));
        atLeast(problems, "floe.janitor.max-interval", j.maxInterval(), j.interval());
        Duration lease = atLeast(problems, "floe.janitor.lease", j.lease(), Duration.ofSeconds(1));
        Duration grace = atLeast(problems, "floe.janitor.grace", j.grace(), Duration.ZERO);
        int mergeSmall = intSize(problems, "floe.janitor.merge-small-bytes", j.mergeSmallBytes(), 1);
        int mergeObject = intSize(problems, "floe.janitor.merge-object-bytes", j.mergeObjectBytes(), 1);
        if (mergeObject < mergeSmall) {
            problems.add("floe.janitor.merge-object-bytes = " + mergeObject + ": expected at least floe.janitor.merge-small-bytes ("
                    + mergeSmall + ")");
        }
        if (mergeObject > Integer.MAX_VALUE / 2) {
            problems.add("floe.janitor.merge-object-bytes = " + mergeObject + ": expected a size below 1G");
        }
        long mergeBuffer = size(problems, "floe.janitor.merge-buffer-bytes", j.mergeBufferBytes(), 1);
        if (mergeBuffer < mergeObject) {
            problems.add("floe.janitor.merge-buffer-bytes = " + mergeBuffer + ": expected at least floe.janitor.merge-object-bytes ("
                    + mergeObject + "), the merge buffer holds at least one merged object");
        }
        int mergeMinEntries = intAtLeast(problems, "floe.janitor.merge-min-entries", j.mergeMinEntries(), 2);
        Duration mergeSettle = atLeast(problems, "floe.janitor.merge-settle", j.mergeSettle(), Duration.ZERO);
        double dirtyRatio = j.minCleanableDirtyRatio();
        if (!(dirtyRatio >= 0 && dirtyRatio <= 1)) {
            problems.add("floe.janitor.min-cleanable-dirty-ratio = " + dirtyRatio + ": expected a number from 0 to 1");
        }

        FloeConfig.Kafka k = c.kafka();
        if (k.port() < 0 || k.port() > 65535) {
            problems.add("floe.kafka.port = " + k.port() + ": expected 0 to 65535");
        }
        k.advertisedPort().ifPresent(p -> {
            if (p < 1 || p > 65535) {
                problems.add("floe.kafka.advertised-port = " + p + ": expected 1 to 65535");
            }
        });
        k.advertisedHost().ifPresent(h -> {
            if (h.isBlank()) {
                problems.add("floe.kafka.advertised-host is empty: set a host name or leave it unset");
            }
        });

        FloeConfig.Tls tls = c.tls();
        if (tls.certificateFile().isPresent() != tls.keyFile().isPresent()) {
            problems.add("floe.tls.certificate-file and floe.tls.key-file: set both, or neither (plaintext)");
        } else if (tls.clientCaFile().isPresent() && tls.certificateFile().isEmpty()) {
            problems.add("floe.tls.client-ca-file needs floe.tls.certificate-file and floe.tls.key-file (mutual TLS is TLS)");
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
                cacheBytes, poll, checkpointEvery, metadataMaxAge, true, maxInFlight, maxLinger);
        GroupSettings group = new GroupSettings(instanceId, sessionTimeout, GroupSettings.MIN_SESSION_TIMEOUT,
                GroupSettings.MAX_SESSION_TIMEOUT, GroupSettings.RENEW_FRACTION, groupPoll, GroupSettings.STATE_MAX_AGE,
                commitInterval, true);
        // A run stops starting work well before its lease ends; merged objects are indexed in entries of
        // the small size; compaction waits for at least 1 MiB of dirty bytes.
        JanitorSettings janitor = new JanitorSettings(lease, grace, lease.dividedBy(3), mergeSmall, mergeObject,
                mergeSmall, mergeMinEntries, mergeSettle, dirtyRatio, JanitorSettings.MIN_DIRTY_BYTES, mergeBuffer);
        // Without authentication (or an explicit floe.auth.anonymous) the listener binds loopback only (D54).
        String kafkaHost = ListenPolicy.bindHost(k.host().trim(), c.auth().enabled(), c.auth().anonymous());
        KafkaSettings kafka = new KafkaSettings(kafkaHost, k.port(), trimmed(k.advertisedHost()), k.advertisedPort(), 0,
                k.autoCreateTopics());
        return new Checked(store, log, group, janitor, kafka, latencyModel,
                new RestLimits(restWait, restFetchBytes, restResponseBytes));
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

    private static Duration between(List<String> problems, String name, Duration value, Duration min, Duration max) {
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            problems.add(name + " = " + value + ": expected a duration from " + describe(min) + " to " + describe(max));
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
