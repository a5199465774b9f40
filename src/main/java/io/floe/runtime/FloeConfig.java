package io.floe.runtime;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Every Floe setting, {@code floe.*}. Each can also be set as an environment variable: upper case,
 * dots and dashes as underscores ({@code floe.storage.url} → {@code FLOE_STORAGE_URL},
 * {@code floe.flush.max-bytes} → {@code FLOE_FLUSH_MAX_BYTES}). Sizes accept a number of bytes or a
 * suffix ({@code 64K}, {@code 8M}, {@code 1G}); durations accept {@code 10ms}, {@code 5s} or ISO-8601
 * ({@code PT0.5S}). Values are checked at start-up by {@link FloeSettings}; an invalid one stops
 * start-up with a message naming the setting and what it accepts. The HTTP port is Quarkus's
 * {@code quarkus.http.port} (8080).
 */
@ConfigMapping(prefix = "floe")
public interface FloeConfig {

    Storage storage();

    S3 s3();

    /**
     * Names this instance in the objects it writes (segment keys, debugging). 1 to 64 of
     * {@code [A-Za-z0-9._-]}. Default: a random short id, new at every start.
     */
    Optional<String> instanceId();

    Flush flush();

    Produce produce();

    Cache cache();

    Fetch fetch();

    Checkpoint checkpoint();

    Metadata metadata();

    Group group();

    Janitor janitor();

    Kafka kafka();

    Rest rest();

    Lambda lambda();

    Auth auth();

    Tls tls();

    interface Storage {
        /**
         * Where all state lives: {@code file:<directory>} (local files, the default {@code file:./data}),
         * {@code s3://<bucket>[/<prefix>]} (AWS S3 or any S3-compatible server), or {@code memory:}
         * (lost at exit; for tests).
         */
        @WithDefault("file:./data")
        String url();
    }

    interface S3 {
        /** Endpoint of an S3-compatible server (LocalStack, radosgw, MinIO), e.g. {@code http://localhost:4566}. Default: AWS. */
        Optional<String> endpoint();

        /** AWS region of the bucket. */
        @WithDefault("us-east-1")
        String region();

        /** Path-style addressing ({@code http://host/bucket/key}), which most S3-compatible servers need. */
        @WithDefault("false")
        boolean pathStyle();

        /** Access key id; set together with the secret key. Default: the AWS default credential chain. */
        Optional<String> accessKey();

        /** Secret access key; set together with the access key. */
        Optional<String> secretKey();

        /**
         * Adds the per-request latency of a real object store to every request, for benchmarks on a
         * fast local store: {@code none}, {@code s3-standard} or {@code s3-express} (docs/BENCHMARKS.md,
         * "S3 latency model"). Never set it in production.
         */
        @WithDefault("none")
        String latencyModel();
    }

    interface Flush {
        /** How long a flush waits for more records once the first one is buffered (>= 0). */
        @WithDefault("10ms")
        Duration linger();

        /**
         * The longest a flush waits for more records while they keep arriving at a high rate (>= 0): the
         * adaptive hold (D91) grows from {@code linger} at a quarter of max-bytes per max-linger to
         * max-linger at max-bytes per max-linger. At most {@code linger} turns it off.
         */
        @WithDefault("500ms")
        Duration maxLinger();

        /**
         * Flush as soon as this many bytes are buffered; also the largest flush object (one append larger
         * than this is written alone) (1 byte to 2 GiB - 1).
         */
        @WithDefault("16M")
        MemorySize maxBytes();

        /** Flush as soon as this many records are buffered (>= 1). */
        @WithDefault("100000")
        int maxRecords();

        /** A flush at most this large carries its data inside the commit object: one PUT instead of two (0 to 2 GiB - 1). */
        @WithDefault("1M")
        MemorySize inlineBytes();

        /** Flushes whose segment PUTs may overlap under load (1 to 16); commits stay in order. */
        @WithDefault("3")
        int maxInFlight();
    }

    interface Produce {
        /**
         * While this many bytes await a flush or its commit (so: the produce path's memory), further produce requests are refused as unavailable
         * (retriable: Kafka clients retry, REST answers 503) until a flush completes (>= 1).
         */
        @WithDefault("64M")
        MemorySize maxBufferedBytes();
    }

    interface Cache {
        /** Memory budget of the cache of segment ranges read from the bucket (>= 0; 0 disables it). */
        @WithDefault("64M")
        MemorySize maxBytes();
    }

    interface Fetch {
        /** How often a waiting fetch looks in the bucket for commits of other instances (> 0). */
        @WithDefault("100ms")
        Duration pollInterval();
    }

    interface Checkpoint {
        /** Write a checkpoint of a topic after every this many commits (>= 1). */
        @WithDefault("64")
        int everyCommits();
    }

    interface Metadata {
        /** How long topic metadata read from the bucket is trusted before it is read again (>= 0). */
        @WithDefault("10s")
        Duration maxAge();
    }

    interface Group {
        /** Session timeout of REST consumer instances that do not set session.timeout.ms (1s to 30min). */
        @WithDefault("45s")
        Duration sessionTimeout();

        /** How often a waiting join or sync re-reads its group object (> 0). */
        @WithDefault("200ms")
        Duration pollInterval();

        /** Deferred (auto-)commits are written to the bucket at the latest after this long (> 0). */
        @WithDefault("5s")
        Duration commitInterval();

        /**
         * How often the group-lag metric ({@code floe_group_lag} at /q/metrics) is recomputed from the
         * bucket; 0 turns it off. Each refresh reads every group's object and its topics' end offsets.
         */
        @WithDefault("60s")
        Duration lagMetricInterval();
    }

    /** Background work: retention, compaction, merging, checkpoints, deletion with grace (docs/DECISIONS.md D19-D25). */
    interface Janitor {
        /** Whether this instance runs the janitor on a schedule (the Lambda calls it per scheduled event instead). */
        @WithDefault("true")
        boolean enabled();

        /** Time between two janitor runs on this instance while there is work (> 0). */
        @WithDefault("30s")
        Duration interval();

        /**
         * Longest time between two janitor runs on this instance while the bucket is idle (>= interval): each
         * quiet run (nothing changed, nothing due) doubles the wait up to this; a change resets it (D48).
         * An instance whose janitor did not do the last complete run waits up to six times as long.
         */
        @WithDefault("5m")
        Duration maxInterval();

        /** How long the janitor lease lasts; another instance may take over after it expires (>= 1s). */
        @WithDefault("60s")
        Duration lease();

        /** How long an object stays after it stopped being referenced (>= 0; keep it minutes in production). */
        @WithDefault("10m")
        Duration grace();

        /** Index entries smaller than this are merged into larger per-partition objects. */
        @WithDefault("4M")
        MemorySize mergeSmallBytes();

        /** Target size of a merged object. */
        @WithDefault("16M")
        MemorySize mergeObjectBytes();

        /**
         * Source bytes that merging holds at once (>= merge-object-bytes): each source object is read once per
         * run for all partitions merged side by side, in batches of this size (docs/DECISIONS.md D30).
         */
        @WithDefault("64M")
        MemorySize mergeBufferBytes();

        /** A partition is merged once it has this many small entries (or a merged object's worth of bytes; >= 2). */
        @WithDefault("16")
        int mergeMinEntries();

        /** Entries younger than this (by their newest record) are not merged yet. */
        @WithDefault("30s")
        Duration mergeSettle();

        /** Compact a keyed topic when at least this share of its cleanable bytes is dirty (0..1). */
        @WithDefault("0.5")
        double minCleanableDirtyRatio();
    }

    interface Kafka {
        /** Whether the Kafka protocol listener runs. */
        @WithDefault("true")
        boolean enabled();

        /** TCP port of the Kafka listener (0: any free port). */
        @WithDefault("9092")
        int port();

        /**
         * Interface the Kafka listener binds ({@code 0.0.0.0}: all). Without authentication and without
         * {@code floe.auth.anonymous=true} Floe binds the loopback interface whatever this says (docs/DECISIONS.md D54).
         */
        @WithDefault("0.0.0.0")
        String host();

        /** Host name that Metadata tells clients to connect to. Default: the address the client connected to. */
        Optional<String> advertisedHost();

        /** Port that Metadata tells clients to connect to. Default: {@code floe.kafka.port} (the bound port). */
        Optional<Integer> advertisedPort();

        /** Whether Metadata for an unknown topic creates it (Kafka's auto.create.topics.enable), with one partition. */
        @WithDefault("true")
        boolean autoCreateTopics();
    }

    /**
     * Limits of REST fetches on this deployment (docs/DEPLOYMENT.md, "Time and size limits"). A
     * request above them is served within them, and the answer says so in a header. The Lambda
     * package lowers all three.
     */
    interface Rest {
        /** Longest long poll ({@code timeout}) of a fetch, 0 to 60s; a longer one is shortened (header Floe-Timeout-Clamped-Ms). */
        @WithDefault("60s")
        Duration maxWait();

        /** Largest {@code max_bytes} of a fetch, 1 byte to 64M; a larger one is lowered (header Floe-Max-Bytes-Clamped). */
        @WithDefault("64M")
        MemorySize maxFetchBytes();

        /**
         * Largest fetch answer, counted as its body escaped in a JSON string (how Lambda carries it);
         * records beyond it wait for the next fetch (header Floe-Response-Limited). 0: no limit.
         */
        @WithDefault("0")
        MemorySize maxResponseBytes();
    }

    /** Settings of the AWS Lambda shape only. */
    interface Lambda {
        /**
         * How long an invocation waits, before it answers, for work still in flight (flushes,
         * checkpoints); part of the function's timeout (terraform/modules/floe-lambda).
         */
        @WithDefault("10s")
        Duration quiesceLimit();
    }

    /** Who may connect and what they may do (README "Security"; docs/DECISIONS.md D54-D59). */
    interface Auth {
        /**
         * Whether clients must authenticate: SASL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) on the Kafka listener,
         * HTTP Basic on REST, and every request is authorized against the ACLs in the bucket.
         */
        @WithDefault("false")
        boolean enabled();

        /**
         * Without authentication, listen on every interface anyway (anyone who reaches the ports may do
         * anything). Without it and without {@code floe.auth.enabled}, Floe listens on loopback only.
         */
        @WithDefault("false")
        boolean anonymous();

        /** Password of the superuser {@code admin}, created or updated at start-up (stored as salted SCRAM only). */
        Optional<String> adminPassword();

        /** A file holding the admin password (for secrets managers); its trailing newline is ignored. */
        Optional<String> adminPasswordFile();

        /** Principals allowed everything, e.g. {@code User:ops,User:CN=operator}; {@code User:admin} always is. */
        Optional<java.util.List<String>> superUsers();

        /** How often each instance looks for changed users and ACLs in the bucket (one small GET each; > 0). */
        @WithDefault("5s")
        Duration refreshInterval();

        /**
         * How long a Kafka SASL session lasts: clients re-authenticate before it ends (KIP-368), a connection
         * that does not is closed (Kafka's connections.max.reauth.ms; 0: never).
         */
        @WithDefault("1h")
        Duration sessionLifetime();
    }

    /** TLS on both ports from PEM files, re-read when they change. */
    interface Tls {
        /** PEM certificate chain of this server; set together with {@code floe.tls.key-file}. */
        Optional<String> certificateFile();

        /** PEM private key (PKCS#8, unencrypted) of the certificate. */
        Optional<String> keyFile();

        /** PEM CA certificates: when set, clients must present a certificate they signed (mutual TLS). */
        Optional<String> clientCaFile();
    }
}
