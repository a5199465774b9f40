package io.floe.bench;

import io.floe.runtime.Defaults;
import io.floe.log.FetchResult;
import io.floe.log.LogEngine;
import io.floe.log.LogSettings;
import io.floe.log.PartitionOffsets;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.Message;
import io.floe.store.CountingObjectStore;
import io.floe.store.ObjectStore;
import io.floe.store.Operation;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives {@link LogEngine} directly (no HTTP) against radosgw or local files and prints what it
 * measured, one {@code RESULT} line per run plus detail lines. Not a test (STYLE.md rule 12): run on
 * purpose, results written down in docs/BENCHMARKS.md with the machine.
 *
 * <pre>
 * ./mvnw -q -Pbench compile exec:exec -Dbench.args="--store s3 --scenario produce --partitions 1,8 --producers 64"
 * </pre>
 *
 * Scenarios:
 * <ul>
 *   <li>{@code produce}: closed loop, {@code --producers} threads each with one produce call of
 *       {@code --batch-kib} of {@code --record-bytes} records in flight (each call to one partition,
 *       round robin, as Kafka's producer batches per partition); acknowledged = durable.</li>
 *   <li>{@code latency}: open loop, calls of {@code --latency-batch-kib} sent at a fixed schedule
 *       giving {@code --rate-mb} MB/s; latency measured from the scheduled send time, so a stall
 *       counts against every call it delays (no coordinated omission).</li>
 *   <li>{@code fetch}: writes {@code --fetch-mib} MiB, opens a fresh engine (empty cache) and reads
 *       every partition from offset 0 to its end (cold), then again (cached).</li>
 * </ul>
 * Every run prints S3 requests per GiB written (CountingObjectStore) and heap/RSS/CPU.
 */
public final class EngineBenchmark {

    static final double MB = 1e6;
    static final double GIB = 1L << 30;

    private final Options o;

    private EngineBenchmark(Options o) {
        this.o = o;
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        if (o == null) {
            System.out.println(Options.HELP);
            return;
        }
        System.out.printf("floe engine benchmark: %s, java %s on %s %s, %d cores, max heap %d MiB%n", o,
                System.getProperty("java.version"), System.getProperty("os.name"), System.getProperty("os.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        EngineBenchmark b = new EngineBenchmark(o);
        for (String scenario : o.scenarios) {
            for (int partitions : o.partitions) {
                for (int rep = 1; rep <= o.repeat; rep++) {
                    switch (scenario) {
                        case "produce" -> {
                            for (int producers : o.producers) {
                                b.produce(partitions, producers, rep);
                            }
                        }
                        case "latency" -> b.latency(partitions, rep);
                        case "fetch" -> b.fetch(partitions, rep);
                        case "store-put" -> {
                            for (int concurrency : o.producers) {
                                b.storePut(concurrency, rep);
                            }
                        }
                        default -> throw new IllegalArgumentException("unknown scenario " + scenario);
                    }
                }
            }
        }
        System.exit(0); // the SDK's idle connection reaper must not keep us alive
    }

    // ---- scenarios ----------------------------------------------------------------------------

    private void produce(int partitions, int producers, int rep) throws Exception {
        try (BenchTarget target = BenchTarget.open(o.store, o.endpoint, o.fileRoot)) {
            LogEngine engine = engine(target.counting);
            engine.createTopic("bench", partitions, Map.of());
            ClosedLoop loop = new ClosedLoop(engine, "bench", partitions, producers, calls(partitions, o.batchBytes));
            loop.start();
            Thread.sleep(o.warmupSeconds * 1000L);
            Window w = Window.open(target);
            loop.measuring = true;
            long recs0 = loop.acked.sum();
            Thread.sleep(o.seconds * 1000L);
            long recs = loop.acked.sum() - recs0;
            loop.measuring = false;
            Window.Closed c = w.close();
            loop.stop();
            engine.close();
            String label = String.format("produce store=%s partitions=%d producers=%d batch=%dKiB rep=%d",
                    o.store, partitions, producers, o.batchBytes >> 10, rep);
            report(label, c, recs, loop.latency, loop.rejected.get(), loop.failed.get());
        }
    }

    private void latency(int partitions, int rep) throws Exception {
        try (BenchTarget target = BenchTarget.open(o.store, o.endpoint, o.fileRoot)) {
            LogEngine engine = engine(target.counting);
            engine.createTopic("bench", partitions, Map.of());
            List<List<Message>> calls = calls(partitions, o.latencyBatchBytes);
            int recordsPerCall = calls.get(0).size();
            long intervalNs = Math.round(o.latencyBatchBytes / (o.rateMb * MB) * 1e9);
            Samples latency = new Samples();
            LongAdder acked = new LongAdder();
            AtomicLong failed = new AtomicLong();
            List<CompletableFuture<?>> outstanding = new ArrayList<>();
            long start = System.nanoTime() + 100_000_000L;
            long measureFrom = start + o.warmupSeconds * 1_000_000_000L;
            long end = measureFrom + o.seconds * 1_000_000_000L;
            Window w = null;
            for (long i = 0; ; i++) {
                long intended = start + i * intervalNs;
                if (intended >= end) {
                    break;
                }
                if (w == null && intended >= measureFrom) {
                    w = Window.open(target);
                }
                long wait = intended - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                boolean measured = intended >= measureFrom;
                CompletableFuture<?> f = engine.produce("bench", calls.get((int) (i % partitions))).whenComplete((r, e) -> {
                    if (e != null) {
                        failed.incrementAndGet();
                    } else if (measured) {
                        latency.add(System.nanoTime() - intended);
                        acked.add(recordsPerCall);
                    }
                });
                if (measured) {
                    outstanding.add(f);
                }
            }
            CompletableFuture.allOf(outstanding.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
            Window.Closed c = w.close(o.seconds);
            engine.close();
            String label = String.format("latency store=%s partitions=%d offered=%.1fMB/s batch=%dKiB linger=%dms rep=%d",
                    o.store, partitions, o.rateMb, o.latencyBatchBytes >> 10, o.lingerMs, rep);
            report(label, c, acked.sum(), latency, 0, failed.get());
            double p99 = latency.millis(0.99);
            System.out.printf("  target: p99 <= linger + 25 ms = %d ms -> %s (p99 %.1f ms)%n", o.lingerMs + 25,
                    p99 <= o.lingerMs + 25 ? "MET" : "MISSED", p99);
        }
    }

    private void fetch(int partitions, int rep) throws Exception {
        try (BenchTarget target = BenchTarget.open(o.store, o.endpoint, o.fileRoot)) {
            LogEngine writer = engine(target.counting);
            writer.createTopic("bench", partitions, Map.of());
            ClosedLoop loop = new ClosedLoop(writer, "bench", partitions, o.producers[0], calls(partitions, o.batchBytes));
            long wantRecords = (long) o.fetchMib * (1 << 20) / o.recordBytes;
            loop.measuring = true;
            long t0 = System.nanoTime();
            loop.start();
            while (loop.acked.sum() < wantRecords) {
                Thread.sleep(20);
            }
            loop.stop();
            writer.close();
            double writeS = (System.nanoTime() - t0) / 1e9;
            long written = loop.acked.sum();
            System.out.printf("fetch: wrote %d records (%.1f MB payload) to %d partitions in %.1f s%n",
                    written, written * o.recordBytes / MB, partitions, writeS);

            CountingObjectStore cold = target.freshCounting();
            LogEngine reader = engine(cold);
            Machine.resetPeaks();
            long o0 = System.nanoTime();
            List<PartitionOffsets> ends = reader.offsets("bench");
            double openMs = (System.nanoTime() - o0) / 1e6;
            var afterOpen = cold.snapshot();
            System.out.printf("  fresh engine loaded the chain in %.1f ms with %d requests (%s)%n", openMs,
                    afterOpen.totalRequests(), nonZero(afterOpen.requests()));
            for (String pass : List.of("cold", "cached")) {
                var before = cold.snapshot();
                Machine.Cpu cpu0 = Machine.cpu();
                long p0 = System.nanoTime();
                long[] totals = readAll(reader, ends);
                double s = (System.nanoTime() - p0) / 1e9;
                var d = cold.snapshot().minus(before);
                Machine.Cpu cpu = Machine.cpu().minus(cpu0);
                System.out.printf("RESULT fetch-%s store=%s partitions=%d data=%dMiB rep=%d: %.1f MB/s, %.0f records/s,"
                                + " %d records, %d fetches, %d requests (%s), %.2f s%n",
                        pass, o.store, partitions, o.fetchMib, rep, totals[1] / MB / s, totals[0] / s, totals[0], totals[2],
                        d.totalRequests(), nonZero(d.requests()), s);
                System.out.println("  " + cpu.perSecond(s) + "; " + Machine.memory());
                if (totals[0] != written) {
                    System.out.printf("  !! read %d records, expected %d%n", totals[0], written);
                }
            }
            reader.close();
        }
    }

    /**
     * The store alone, no engine: {@code --producers} threads each PUTting {@code --flush-mib} MiB
     * objects back to back. The ceiling of a write path that has that many segment PUTs in flight
     * (the engine has one).
     */
    private void storePut(int concurrency, int rep) throws Exception {
        try (BenchTarget target = BenchTarget.open(o.store, o.endpoint, o.fileRoot)) {
            byte[] content = new byte[o.flushMib << 20];
            new Random(3).nextBytes(content);
            LongAdder bytes = new LongAdder();
            Samples latency = new Samples();
            AtomicLong seq = new AtomicLong();
            long end = System.nanoTime() + o.seconds * 1_000_000_000L;
            Machine.Cpu cpu0 = Machine.cpu();
            long t0 = System.nanoTime();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    while (System.nanoTime() < end) {
                        long s = System.nanoTime();
                        target.raw.put("put/" + seq.incrementAndGet(), content);
                        latency.add(System.nanoTime() - s);
                        bytes.add(content.length);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("RESULT store-put store=%s object=%dMiB concurrency=%d rep=%d: %.1f MB/s, PUT %s%n",
                    o.store, o.flushMib, concurrency, rep, bytes.sum() / MB / secs, latency.summary());
            System.out.println("  " + Machine.cpu().minus(cpu0).perSecond(secs));
        }
    }

    /** Reads every partition from 0 to its end, one reader thread per partition. {records, bytes, fetches} */
    private long[] readAll(LogEngine engine, List<PartitionOffsets> ends) throws InterruptedException {
        LongAdder records = new LongAdder();
        LongAdder bytes = new LongAdder();
        LongAdder fetches = new LongAdder();
        List<Thread> readers = new ArrayList<>();
        for (PartitionOffsets end : ends) {
            readers.add(Thread.ofPlatform().name("reader-" + end.partition()).start(() -> {
                long offset = end.logStartOffset();
                while (offset < end.endOffset()) {
                    FetchResult r = engine.fetch("bench", end.partition(), offset, o.fetchMaxBytes, Duration.ZERO).join();
                    fetches.increment();
                    for (ByteBuffer b : r.batches()) {
                        bytes.add(b.remaining());
                        int pos = b.position();
                        while (b.limit() - pos >= 61) {
                            long base = b.getLong(pos);
                            int lastDelta = b.getInt(pos + 23);
                            if (base + lastDelta >= offset) {
                                records.add(base + lastDelta + 1 - Math.max(base, offset));
                                offset = base + lastDelta + 1;
                            }
                            pos += 12 + b.getInt(pos + 8);
                        }
                    }
                }
            }));
        }
        for (Thread t : readers) {
            t.join();
        }
        return new long[] {records.sum(), bytes.sum(), fetches.sum()};
    }

    // ---- reporting --------------------------------------------------------------------------

    /** Counters and clocks at the start of a measured window. */
    private record Window(BenchTarget target, CountingObjectStore.Counts counts, Machine.Cpu cpu, long startNs) {
        static Window open(BenchTarget target) {
            target.times.reset();
            Machine.resetPeaks();
            return new Window(target, target.counting.snapshot(), Machine.cpu(), System.nanoTime());
        }

        Closed close() {
            return new Closed(target, target.counting.snapshot().minus(counts), Machine.cpu().minus(cpu),
                    (System.nanoTime() - startNs) / 1e9);
        }

        /** Closes with a fixed length (the open loop's schedule), not the time it took to drain. */
        Closed close(double seconds) {
            return new Closed(target, target.counting.snapshot().minus(counts), Machine.cpu().minus(cpu), seconds);
        }

        record Closed(BenchTarget target, CountingObjectStore.Counts counts, Machine.Cpu cpu, double seconds) {
        }
    }

    private void report(String label, Window.Closed c, long records, Samples latency, long rejected, long failed) {
        double payload = (double) records * o.recordBytes;
        CountingObjectStore.Counts k = c.counts();
        long reads = k.requests(Operation.GET) + k.requests(Operation.RANGE_GET);
        long writes = k.requests(Operation.PUT) + k.requests(Operation.CREATE_IF_ABSENT) + k.requests(Operation.REPLACE_IF_MATCH);
        double gib = payload / GIB;
        System.out.printf("RESULT %s: %.1f MB/s, %.0f records/s, ack latency %s, %.0f requests/GiB"
                        + " (writes %.0f, reads %.0f, lists %.0f, deletes %.0f), rejected(buffer full) %d, failed %d%n",
                label, payload / MB / c.seconds(), records / c.seconds(), latency.summary(), k.totalRequests() / gib,
                writes / gib, reads / gib, k.requests(Operation.LIST) / gib, k.requests(Operation.DELETE) / gib, rejected, failed);
        RequestTimes t = c.target().times;
        Samples seg = t.samples(Operation.PUT);
        Samples commit = t.samples(Operation.CREATE_IF_ABSENT);
        double busy = (seg.sumNanos() + commit.sumNanos()) / 1e9;
        System.out.printf("  requests: %s; stored %.1f MB (%.2fx payload)%n", nonZero(k.requests()), k.bytesWritten() / MB,
                k.bytesWritten() / Math.max(1, payload));
        System.out.printf("  flushes: %.1f/s; segment PUT %d x mean %.2f MB: %s; commit create-if-absent %d x mean %.1f KB: %s%n",
                commit.count() / c.seconds(), seg.count(), seg.count() == 0 ? 0 : t.bytes(Operation.PUT) / MB / seg.count(),
                seg.summary(), commit.count(), commit.count() == 0 ? 0 : t.bytes(Operation.CREATE_IF_ABSENT) / 1e3 / commit.count(),
                commit.summary());
        System.out.printf("  store time on the flush path: %.2f s of %.2f s wall (%.0f%%)%n", busy, c.seconds(), 100 * busy / c.seconds());
        System.out.println("  " + c.cpu().perSecond(c.seconds()) + "; " + Machine.memory());
    }

    private static String nonZero(Map<Operation, Long> requests) {
        StringBuilder sb = new StringBuilder();
        for (Operation op : Operation.values()) {
            long n = requests.getOrDefault(op, 0L);
            if (n > 0) {
                sb.append(sb.isEmpty() ? "" : ", ").append(op).append(' ').append(n);
            }
        }
        return sb.toString();
    }

    // ---- set-up ------------------------------------------------------------------------------

    private LogEngine engine(ObjectStore store) {
        LogSettings d = Defaults.log("bench-" + UUID.randomUUID().toString().substring(0, 8));
        LogSettings s = new LogSettings(d.instanceId(), Duration.ofMillis(o.lingerMs), o.flushMib << 20, d.flushRecords(),
                o.inlineKib << 10, d.maxBufferedBytes(), (long) o.cacheMib << 20, d.pollInterval(), d.checkpointEvery(),
                d.metadataMaxAge(), true, 3);
        return new LogEngine(store, Clock.systemUTC(), new Random(42), s);
    }

    /** One produce call per partition: {@code batchBytes / recordBytes} keyless records of random bytes. */
    private List<List<Message>> calls(int partitions, int batchBytes) {
        Random random = new Random(7);
        int n = Math.max(1, batchBytes / o.recordBytes);
        List<List<Message>> out = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            List<Message> call = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] value = new byte[o.recordBytes];
                random.nextBytes(value);
                call.add(new Message(p, null, value, List.of(), null));
            }
            out.add(List.copyOf(call));
        }
        return out;
    }

    /** Producer threads, each with one produce call in flight, partitions round robin. */
    private final class ClosedLoop {
        final LogEngine engine;
        final String topic;
        final int partitions;
        final List<List<Message>> calls;
        final List<Thread> threads = new ArrayList<>();
        final LongAdder acked = new LongAdder();
        final Samples latency = new Samples();
        final AtomicLong rejected = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        volatile boolean measuring;
        volatile boolean stopped;

        ClosedLoop(LogEngine engine, String topic, int partitions, int producers, List<List<Message>> calls) {
            this.engine = engine;
            this.topic = topic;
            this.partitions = partitions;
            this.calls = calls;
            for (int i = 0; i < producers; i++) {
                int first = i;
                threads.add(Thread.ofPlatform().name("producer-" + i).unstarted(() -> run(first)));
            }
        }

        void start() {
            threads.forEach(Thread::start);
        }

        private void run(int next) {
            while (!stopped) {
                List<Message> call = calls.get(next++ % partitions);
                long t0 = System.nanoTime();
                try {
                    engine.produce(topic, call).join();
                    if (measuring) {
                        latency.add(System.nanoTime() - t0);
                        acked.add(call.size());
                    }
                } catch (CompletionException e) {
                    if (e.getCause() instanceof FloeException f && f.code() == ErrorCode.STORE_UNAVAILABLE
                            && f.getMessage().contains("more slowly")) {
                        rejected.incrementAndGet(); // buffer full: back off as a client would
                        LockSupport.parkNanos(1_000_000);
                    } else {
                        failed.incrementAndGet();
                        if (failed.get() <= 3) {
                            System.out.println("produce failed: " + e.getCause());
                        }
                    }
                }
            }
        }

        void stop() throws InterruptedException {
            stopped = true;
            for (Thread t : threads) {
                t.join();
            }
        }
    }

    /** Command-line options. */
    static final class Options {
        static final String HELP = """
                EngineBenchmark options (defaults in brackets):
                  --store s3|file            [s3]  radosgw bucket (fresh, emptied afterwards) or local directory
                  --endpoint URL             [http://127.0.0.1:7480]
                  --file-root DIR            [target/bench-data]
                  --scenario LIST            [produce,latency,fetch]  (also: store-put = raw PUTs of --flush-mib, --producers in flight)
                  --partitions LIST          [1,8]
                  --producers LIST           [64]   concurrent produce calls (closed loop)
                  --batch-kib N              [32]   bytes per produce call (closed loop)
                  --record-bytes N           [1024] value size of a record (keyless)
                  --warmup S / --seconds S   [5 / 20]
                  --rate-mb X                [5]    offered load of the latency scenario, MB/s (10^6 bytes)
                  --latency-batch-kib N      [16]
                  --fetch-mib N              [96]   data written, then read back, by the fetch scenario
                  --fetch-max-bytes N        [1048576]
                  --linger-ms N --flush-mib N --inline-kib N --cache-mib N   engine settings [10, 8, 64, 128]
                  --repeat N                 [1]
                """;

        String store = "s3";
        String endpoint = "http://127.0.0.1:7480";
        Path fileRoot = Path.of("target/bench-data");
        List<String> scenarios = List.of("produce", "latency", "fetch");
        int[] partitions = {1, 8};
        int[] producers = {64};
        int batchBytes = 32 << 10;
        int recordBytes = 1024;
        int warmupSeconds = 5;
        int seconds = 20;
        double rateMb = 5;
        int latencyBatchBytes = 16 << 10;
        int fetchMib = 96;
        int fetchMaxBytes = 1 << 20;
        int lingerMs = 10;
        int flushMib = 8;
        int inlineKib = 64;
        int cacheMib = 128;
        int repeat = 1;

        static Options parse(String[] args) {
            Options o = new Options();
            Map<String, String> a = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--help")) {
                    return null;
                }
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("expected --option value, got '" + args[i] + "'\n" + HELP);
                }
                a.put(args[i].substring(2), args[++i]);
            }
            for (var e : a.entrySet()) {
                String v = e.getValue();
                switch (e.getKey()) {
                    case "store" -> o.store = v;
                    case "endpoint" -> o.endpoint = v;
                    case "file-root" -> o.fileRoot = Path.of(v);
                    case "scenario" -> o.scenarios = List.of(v.split(","));
                    case "partitions" -> o.partitions = ints(v);
                    case "producers" -> o.producers = ints(v);
                    case "batch-kib" -> o.batchBytes = Integer.parseInt(v) << 10;
                    case "record-bytes" -> o.recordBytes = Integer.parseInt(v);
                    case "warmup" -> o.warmupSeconds = Integer.parseInt(v);
                    case "seconds" -> o.seconds = Integer.parseInt(v);
                    case "rate-mb" -> o.rateMb = Double.parseDouble(v);
                    case "latency-batch-kib" -> o.latencyBatchBytes = Integer.parseInt(v) << 10;
                    case "fetch-mib" -> o.fetchMib = Integer.parseInt(v);
                    case "fetch-max-bytes" -> o.fetchMaxBytes = Integer.parseInt(v);
                    case "linger-ms" -> o.lingerMs = Integer.parseInt(v);
                    case "flush-mib" -> o.flushMib = Integer.parseInt(v);
                    case "inline-kib" -> o.inlineKib = Integer.parseInt(v);
                    case "cache-mib" -> o.cacheMib = Integer.parseInt(v);
                    case "repeat" -> o.repeat = Integer.parseInt(v);
                    default -> throw new IllegalArgumentException("unknown option --" + e.getKey() + "\n" + HELP);
                }
            }
            return o;
        }

        private static int[] ints(String v) {
            return Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
        }

        @Override
        public String toString() {
            return String.format("store=%s scenarios=%s partitions=%s producers=%s batch=%dKiB record=%dB warmup=%ds"
                            + " measure=%ds rate=%.1fMB/s latencyBatch=%dKiB fetch=%dMiB linger=%dms flush=%dMiB inline=%dKiB cache=%dMiB",
                    store, scenarios, Arrays.toString(partitions), Arrays.toString(producers), batchBytes >> 10, recordBytes,
                    warmupSeconds, seconds, rateMb, latencyBatchBytes >> 10, fetchMib, lingerMs, flushMib, inlineKib, cacheMib);
        }
    }
}
