package io.floe.runtime.lambda;

import io.floe.runtime.Defaults;
import io.floe.log.LogEngine;
import io.floe.log.LogSettings;
import io.floe.store.S3ObjectStore;
import io.floe.testkit.RadosGw;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Cold-start harness (a benchmark, not a test: its name keeps it out of every normal run). Measures
 * the Lambda-style cold start of the packaged function against radosgw: from the start of a fresh
 * JVM on the unpacked function.zip to the answer of its first produce (class loading, Quarkus
 * start, S3 client, topic metadata read, commit PUT), then the warm produce after it. Run with
 * <pre>./mvnw -B -Dlambda -DskipLambda verify -Dit.test=ColdStartBench -Dsurefire.skip=true -Dfloe.bench.runs=10</pre>
 * Results go to stdout and target/lambda/cold-start.txt; copy them to docs/BENCHMARKS.md with the machine.
 */
class ColdStartBench {

    @Test
    void coldStart() throws Exception {
        int runs = Integer.getInteger("floe.bench.runs", 10);
        Path build = Path.of(System.getProperty("floetest.build.dir", "target/lambda"));
        Path root = FunctionProcess.unpack(build.resolve("function.zip"), build.resolve("function-bench"));
        String bucket;
        try (S3ObjectStore store = RadosGw.newBucketStore("floe-coldstart")) {
            bucket = store.bucket();
            try (LogEngine e = new LogEngine(store, Clock.systemUTC(), new SplittableRandom(1),
                    Defaults.log("bench").withBackgroundThreads(false))) {
                e.createTopic("cold", 1, Map.of());
            }
        }
        Map<String, String> env = Map.of("FLOE_STORAGE_URL", "s3://" + bucket, "FLOE_S3_ENDPOINT", RadosGw.endpoint(),
                "FLOE_S3_PATH_STYLE", "true", "FLOE_S3_ACCESS_KEY", RadosGw.ACCESS_KEY,
                "FLOE_S3_SECRET_KEY", RadosGw.SECRET_KEY, "FLOE_S3_REGION", RadosGw.REGION);
        String produce = FunctionProcess.httpEvent("POST", "/topics/cold", null, "application/vnd.kafka.json.v2+json",
                "{\"records\":[{\"value\":{\"hello\":\"lambda\"}}]}");
        List<Double> ready = new ArrayList<>();
        List<Double> first = new ArrayList<>();
        List<Double> warm = new ArrayList<>();
        List<Double> firstCpu = new ArrayList<>();
        for (int i = 0; i < runs + 1; i++) {
            try (FunctionProcess fn = FunctionProcess.start(root, env)) {
                double init = fn.sinceStartNanos() / 1e6;
                String answer = fn.invoke(produce);
                double firstMs = fn.sinceStartNanos() / 1e6;
                double firstCpuMs = fn.cpuNanos() / 1e6;
                if (!answer.contains("\"statusCode\":200")) {
                    throw new AssertionError("produce failed: " + answer);
                }
                long t = System.nanoTime();
                fn.invoke(produce);
                double warmMs = (System.nanoTime() - t) / 1e6;
                if (i > 0) { // the first run warms the OS page cache and radosgw
                    ready.add(init);
                    first.add(firstMs);
                    warm.add(warmMs);
                    firstCpu.add(firstCpuMs);
                }
            }
        }
        String report = String.format("""
                Lambda-style cold start, %d runs (+1 discarded), function.zip %.1f MB, JVM %s
                  init (process start -> handler created, Quarkus started): median %.0f ms, max %.0f ms
                  first produce answered (from process start):              median %.0f ms, max %.0f ms
                  CPU time (user + system) of the process by that answer:   median %.0f ms, max %.0f ms
                  next produce (warm):                                      median %.1f ms
                """, runs, Files.size(build.resolve("function.zip")) / 1e6, Runtime.version(),
                median(ready), Collections.max(ready), median(first), Collections.max(first),
                median(firstCpu), Collections.max(firstCpu), median(warm));
        System.out.println(report);
        Files.writeString(build.resolve("cold-start.txt"), report);
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
