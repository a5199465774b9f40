package io.floe.runtime.lambda;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The packaged function (target/lambda/function.zip) running in its own JVM under
 * {@link LambdaJavaRuntime}, as the java21 Lambda runtime would run it. Used by
 * {@code PackagedFunctionIT} and by the cold-start harness {@code ColdStartBench}. Not thread-safe.
 */
final class FunctionProcess implements AutoCloseable {

    static final String HANDLER = "io.floe.runtime.lambda.FloeLambda::handleRequest";

    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final long startedNanos;

    private FunctionProcess(Process process, long startedNanos) {
        this.process = process;
        this.startedNanos = startedNanos;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /** Unpacks {@code functionZip} into {@code dir} (emptied first). */
    static Path unpack(Path functionZip, Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(dir);
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(functionZip))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                Path target = dir.resolve(e.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException("zip entry outside the target: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target);
                }
            }
        }
        return dir;
    }

    /**
     * Starts the function in {@code taskRoot} (an unpacked function.zip) with {@code env}; the JVM
     * options are those of the Lambda java21 runtime that matter for start-up time
     * ({@code -XX:+TieredCompilation -XX:TieredStopAtLevel=1}, serial GC).
     */
    static FunctionProcess start(Path taskRoot, Map<String, String> env) throws IOException {
        List<String> cp = new ArrayList<>();
        cp.add(taskRoot.toString());
        try (Stream<Path> jars = Files.list(taskRoot.resolve("lib"))) {
            jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> cp.add(p.toString()));
        }
        // The runtime shim alone (not the test class path, whose application.properties would leak in).
        cp.add(shim(taskRoot.resolveSibling(taskRoot.getFileName() + "-runtime")).toString());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Xshare:auto", "-Xmx512m"));
        if (Runtime.version().feature() >= 24) {
            // Lambda's java21 needs nothing; JDK 24+ (the build JDK here) closes java.lang to JBoss Threads.
            cmd.add("--add-opens=java.base/java.lang=ALL-UNNAMED");
        }
        String extra = System.getProperty("floe.bench.jvm-args", "").trim(); // e.g. an AppCDS archive (ColdStartBench)
        if (!extra.isEmpty()) {
            cmd.addAll(List.of(extra.split("\\s+")));
        }
        cmd.addAll(List.of("-cp", String.join(File.pathSeparator, cp), LambdaJavaRuntime.class.getName(), HANDLER));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        long t0 = System.nanoTime();
        FunctionProcess f = new FunctionProcess(pb.start(), t0);
        f.expect("READY");
        return f;
    }

    /** Nanoseconds since the process was started. */
    long sinceStartNanos() {
        return System.nanoTime() - startedNanos;
    }

    /**
     * CPU time (user + system, all threads) the process has used so far, in nanoseconds; -1 where the OS does not
     * tell. Unlike wall time it barely moves with what else runs on the machine.
     */
    long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
    }

    /** Invokes the function with one event and returns its raw response. */
    String invoke(String event) {
        try {
            in.write(Base64.getEncoder().encodeToString(event.getBytes(StandardCharsets.UTF_8)) + "\n");
            in.flush();
            String line = expect("ANSWER ", "FAILED ");
            String payload = new String(Base64.getDecoder().decode(line.substring(7)), StandardCharsets.UTF_8);
            if (line.startsWith("FAILED ")) {
                throw new AssertionError("the handler threw:\n" + payload);
            }
            return payload;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String expect(String... prefixes) throws IOException {
        for (String line; (line = out.readLine()) != null; ) {
            for (String prefix : prefixes) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
            System.out.println("[function] " + line); // the application's own stdout (logs)
        }
        throw new IOException("the function process ended (exit " + waitExit() + ") before answering " + String.join(" or ", prefixes));
    }

    private int waitExit() {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // the process may be gone already
        }
        process.destroy();
        waitExit();
    }

    /** API Gateway v2 / function URL events, as AWS sends them. */
    static String httpEvent(String method, String path, String query, String contentType, String body) {
        return httpEvent(method, path, query, contentType, body, null);
    }

    /**
     * As {@link #httpEvent(String, String, String, String, String)}, from an IAM caller that AWS authenticated
     * ({@code AWS_IAM} function URL auth puts it in {@code requestContext.authorizer.iam}); null: none.
     */
    static String iamEvent(String method, String path, String query, String callerArn) {
        return httpEvent(method, path, query, null, null, callerArn);
    }

    private static String httpEvent(String method, String path, String query, String contentType, String body,
                                    String callerArn) {
        String headers = "\"host\":\"abc.lambda-url.us-east-1.on.aws\",\"accept\":\"application/json\""
                + (contentType == null ? "" : ",\"content-type\":\"" + contentType + "\"");
        return "{\"version\":\"2.0\",\"routeKey\":\"$default\",\"rawPath\":\"" + path + "\",\"rawQueryString\":\""
                + (query == null ? "" : query) + "\",\"headers\":{" + headers + "},\"requestContext\":{"
                + "\"accountId\":\"000000000000\",\"apiId\":\"abc\",\"domainName\":\"abc.lambda-url.us-east-1.on.aws\","
                + "\"http\":{\"method\":\"" + method + "\",\"path\":\"" + path + "\",\"protocol\":\"HTTP/1.1\","
                + "\"sourceIp\":\"127.0.0.1\",\"userAgent\":\"test\"},\"requestId\":\"r-" + System.nanoTime()
                + "\",\"routeKey\":\"$default\",\"stage\":\"$default\",\"time\":\"01/Jan/2026:00:00:00 +0000\","
                + "\"timeEpoch\":0" + (callerArn == null ? "" : ",\"authorizer\":{\"iam\":{\"accessKey\":\"ASIAEXAMPLE\","
                        + "\"accountId\":\"000000000000\",\"callerId\":\"AROAEXAMPLE:session\",\"userArn\":\"" + callerArn
                        + "\",\"userId\":\"AROAEXAMPLE:session\"}}") + "},"
                + (body == null ? "" : "\"body\":" + jsonString(Base64.getEncoder().encodeToString(
                        body.getBytes(StandardCharsets.UTF_8))) + ",")
                + "\"isBase64Encoded\":" + (body != null) + "}";
    }

    /** An EventBridge scheduled event, as the rule of terraform/modules/floe-lambda sends it. */
    static String scheduledEvent() {
        return "{\"version\":\"0\",\"id\":\"" + java.util.UUID.randomUUID() + "\",\"detail-type\":\"Scheduled Event\","
                + "\"source\":\"aws.events\",\"account\":\"000000000000\",\"time\":\"2026-01-01T00:00:00Z\","
                + "\"region\":\"us-east-1\",\"resources\":[\"arn:aws:events:us-east-1:000000000000:rule/floe-maintenance\"],"
                + "\"detail\":{}}";
    }

    private static String jsonString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Copies the class file of {@link LambdaJavaRuntime} into {@code dir}, a class-path root of its own. */
    private static Path shim(Path dir) throws IOException {
        String name = LambdaJavaRuntime.class.getName().replace('.', '/') + ".class";
        Path target = dir.resolve(name);
        Files.createDirectories(target.getParent());
        try (var bytes = LambdaJavaRuntime.class.getClassLoader().getResourceAsStream(name)) {
            Files.copy(bytes, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return dir;
    }
}
