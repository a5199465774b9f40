package io.floe.bench;

import io.floe.group.GroupCoordinator;
import io.floe.log.LogEngine;
import io.floe.runtime.Defaults;
import io.floe.api.kafka.KafkaListener;
import io.floe.api.kafka.KafkaSettings;
import io.floe.store.CountingObjectStore;
import io.floe.store.Operation;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Transactional produce against idempotent produce, with the Java client, on Floe (in this JVM, on a
 * fresh radosgw bucket, its store requests counted) and on a real Kafka 4.3.1 broker in the same run
 * (docs/BENCHMARKS.md, "Transactions"). Each workload writes {@code --mib} MiB of {@code --record-bytes}
 * records to a topic of {@code --partitions} partitions with one producer: idempotent (acks=all,
 * linger 5 ms), then transactional with transactions of {@code --txn-kib} KiB (begin, send, commit).
 * Prints MB/s, commit latency percentiles and, for Floe, store requests per transaction by kind.
 *
 * <p>Not a test (STYLE.md rule 12). Run: {@code infra/bench/txn-compare.sh}, or
 * {@code ./mvnw -q -Pbench compile exec:exec -Dbench.main=io.floe.bench.TxnBenchmark -Dbench.args="--kafka 127.0.0.1:29092"}.
 */
public final class TxnBenchmark {

    private static final double MB = 1e6;

    private int mib = 64;
    private int txnKib = 1024;
    private int recordBytes = 1024;
    private int partitions = 4;
    private String kafka;

    public static void main(String[] args) throws Exception {
        TxnBenchmark b = new TxnBenchmark();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--mib" -> b.mib = Integer.parseInt(args[i + 1]);
                case "--txn-kib" -> b.txnKib = Integer.parseInt(args[i + 1]);
                case "--record-bytes" -> b.recordBytes = Integer.parseInt(args[i + 1]);
                case "--partitions" -> b.partitions = Integer.parseInt(args[i + 1]);
                case "--kafka" -> b.kafka = args[i + 1];
                default -> throw new IllegalArgumentException(
                        "options: --mib N --txn-kib N --record-bytes N --partitions N --kafka HOST:PORT; got " + args[i]);
            }
        }
        b.run();
    }

    private void run() throws Exception {
        java.util.logging.Logger.getLogger("org.apache.kafka").setLevel(java.util.logging.Level.WARNING);
        String endpoint = System.getProperty("bench.s3.endpoint", "http://127.0.0.1:7480");
        try (BenchTarget target = BenchTarget.open("s3", endpoint, null)) {
            LogEngine engine = new LogEngine(target.counting, Clock.systemUTC(), new SplittableRandom(1),
                    Defaults.log("bench-txn"));
            GroupCoordinator groups = new GroupCoordinator(target.counting, engine, Clock.systemUTC(), new SplittableRandom(2),
                    Defaults.group("bench-txn"));
            KafkaListener listener = new KafkaListener(engine, groups, target.counting, Clock.systemUTC(),
                    KafkaSettings.onPort(0)).start();
            try {
                System.out.println("Floe on " + target.description + "; records " + recordBytes + " B, transactions of "
                        + txnKib + " KiB, " + mib + " MiB per workload, " + partitions + " partitions");
                measure("Floe", "127.0.0.1:" + listener.port(), target.counting);
                if (kafka != null) {
                    measure("Kafka 4.3.1", kafka, null);
                }
            } finally {
                listener.close();
                groups.close();
                engine.close();
            }
        }
    }

    private void measure(String system, String bootstrap, CountingObjectStore counting) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String idem = "bench-idem-" + suffix;
        String txn = "bench-txn-" + suffix;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(idem, partitions, (short) 1), new NewTopic(txn, partitions, (short) 1)))
                    .all().get();
        }
        long records = (long) mib * (1 << 20) / recordBytes;
        int perTxn = Math.max(1, txnKib * 1024 / recordBytes);
        byte[] value = new byte[recordBytes];
        new SplittableRandom(3).nextBytes(value);

        // Warm-up: connections, metadata, producer ids.
        runIdempotent(bootstrap, idem, Math.min(records, 2000), value);
        CountingObjectStore.Counts before = counting == null ? null : counting.snapshot();
        double idemSeconds = runIdempotent(bootstrap, idem, records, value);
        Map<Operation, Long> idemRequests = counting == null ? Map.of() : counting.snapshot().minus(before).requests();
        report(system, "idempotent", records * recordBytes / idemSeconds / MB, null, idemRequests, mib, 0);

        Samples commits = new Samples();
        before = counting == null ? null : counting.snapshot();
        long[] txns = new long[1];
        double txnSeconds = runTransactional(bootstrap, txn, records, perTxn, value, commits, txns);
        Map<Operation, Long> txnRequests = counting == null ? Map.of() : counting.snapshot().minus(before).requests();
        report(system, "transactional", records * recordBytes / txnSeconds / MB, commits, txnRequests, mib, txns[0]);
        System.out.printf("RESULT %s transactional/idempotent throughput: %.2f%n", system, idemSeconds / txnSeconds);
    }

    private Properties props(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    private double runIdempotent(String bootstrap, String topic, long records, byte[] value) throws Exception {
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(props(bootstrap))) {
            long start = System.nanoTime();
            List<Future<?>> last = new ArrayList<>();
            for (long i = 0; i < records; i++) {
                Future<?> f = p.send(new ProducerRecord<>(topic, value));
                if (i >= records - 1) {
                    last.add(f);
                }
            }
            p.flush();
            for (Future<?> f : last) {
                f.get();
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private double runTransactional(String bootstrap, String topic, long records, int perTxn, byte[] value, Samples commits,
                                    long[] txns) {
        Properties props = props(bootstrap);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-" + topic);
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(props)) {
            p.initTransactions();
            long start = System.nanoTime();
            long sent = 0;
            while (sent < records) {
                p.beginTransaction();
                for (int i = 0; i < perTxn && sent < records; i++, sent++) {
                    p.send(new ProducerRecord<>(topic, value));
                }
                long t0 = System.nanoTime();
                p.commitTransaction();
                commits.add(System.nanoTime() - t0);
                txns[0]++;
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private static void report(String system, String workload, double mbs, Samples commits, Map<Operation, Long> requests,
                               int mib, long txns) {
        StringBuilder line = new StringBuilder(String.format("RESULT %s %s: %.1f MB/s", system, workload, mbs));
        if (commits != null) {
            line.append(String.format(", commitTransaction p50 %.1f ms p99 %.1f ms over %d transactions",
                    commits.millis(0.5), commits.millis(0.99), commits.count()));
        }
        if (!requests.isEmpty()) {
            Map<Operation, String> per = new LinkedHashMap<>();
            long total = 0;
            for (var e : requests.entrySet()) {
                if (e.getValue() > 0) {
                    per.put(e.getKey(), txns > 0 ? String.format("%.1f", e.getValue() / (double) txns)
                            : String.format("%.1f", e.getValue() / (double) mib));
                    total += e.getValue();
                }
            }
            line.append(txns > 0 ? String.format("; store requests per transaction %.1f %s", total / (double) txns, per)
                    : String.format("; store requests per MiB %.1f %s", total / (double) mib, per));
        }
        System.out.println(line);
    }
}
