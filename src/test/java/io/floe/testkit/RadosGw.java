package io.floe.testkit;

import io.floe.store.S3ObjectStore;
import io.floe.store.StoreSettings;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The real S3 server of the test suite: Ceph radosgw, started by {@code infra/radosgw/start.sh}.
 *
 * <p>Reads the endpoint from the system property {@code floetest.s3.endpoint} (the pom sets it;
 * default {@code http://127.0.0.1:7480}). If nothing answers there, runs the project's
 * {@code infra/radosgw/start.sh} once (the project directory comes from {@code floetest.project.dir})
 * and waits. If radosgw still does not answer, the test fails, saying how to install and start it:
 * tests that need S3 never skip.
 *
 * <p>Thread-safe; the server check runs once per JVM.
 */
public final class RadosGw {

    /** Credentials created by start.sh. */
    public static final String ACCESS_KEY = "floe";
    public static final String SECRET_KEY = "floe-secret";
    public static final String REGION = "us-east-1";

    private static final String HOW_TO = """
            Ceph radosgw (the real S3 server of the tests) is not answering at %s.
            Install and start it:        ./test --setup              (stays up; or ./test runs the whole suite)
            Install it (Debian/Ubuntu):  sudo apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd ceph-base curl
            Start it:                    infra/radosgw/start.sh      (stop: infra/radosgw/stop.sh)
            Or point the tests elsewhere: -Dfloetest.s3.endpoint=http://host:port (access key %s, secret %s)""";

    private static boolean checked;

    private RadosGw() {
    }

    /** The S3 endpoint, e.g. {@code http://127.0.0.1:7480}. */
    public static String endpoint() {
        return System.getProperty("floetest.s3.endpoint", "http://127.0.0.1:7480");
    }

    /**
     * Makes sure radosgw answers, starting it with {@code infra/radosgw/start.sh} if needed.
     *
     * @throws AssertionError with installation instructions when it cannot be reached
     */
    public static synchronized void ensureRunning() {
        if (checked) {
            return;
        }
        if (!answers()) {
            String startOutput = runStartScript();
            if (!answers()) {
                throw new AssertionError(HOW_TO.formatted(endpoint(), ACCESS_KEY, SECRET_KEY)
                        + "\nstart.sh said:\n" + startOutput);
            }
        }
        checked = true;
    }

    /** Settings for {@code s3://bucket} on radosgw: path-style, fixed credentials. Starts radosgw if needed. */
    public static StoreSettings settings(String bucket) {
        ensureRunning();
        return StoreSettings.of("s3://" + bucket).withS3Endpoint(endpoint(), ACCESS_KEY, SECRET_KEY);
    }

    /**
     * Creates a fresh bucket named {@code namePrefix} plus a random suffix, and opens a store on it.
     * The caller closes the store; buckets are not deleted (radosgw keeps them in memory only).
     */
    public static S3ObjectStore newBucketStore(String namePrefix) {
        String clean = namePrefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        if (clean.length() > 40) {
            clean = clean.substring(0, 40);
        }
        String bucket = clean + "-" + UUID.randomUUID().toString().substring(0, 12);
        if (!Character.isLetterOrDigit(bucket.charAt(0))) {
            bucket = "b" + bucket;
        }
        StoreSettings settings = settings(bucket);
        S3ObjectStore.createBucketIfMissing(settings);
        return S3ObjectStore.open(settings);
    }

    private static boolean answers() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(endpoint()).toURL().openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(5000);
            int status = c.getResponseCode();
            c.disconnect();
            return status > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static String runStartScript() {
        String projectDir = System.getProperty("floetest.project.dir", System.getProperty("user.dir"));
        Path script = Path.of(projectDir, "infra", "radosgw", "start.sh");
        if (!Files.isExecutable(script)) {
            return "(no executable " + script + ")";
        }
        try {
            Path log = Files.createTempFile("floe-radosgw-start", ".log");
            Process p = new ProcessBuilder("bash", script.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "(start.sh did not finish within 120 s; log " + log + ")";
            }
            return Files.readString(log);
        } catch (IOException e) {
            return "(could not run " + script + ": " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }
}
