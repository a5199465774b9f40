package io.floe.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made for a test with the {@code openssl} command: a CA, and certificates it signs
 * (for the server with SAN 127.0.0.1 and localhost, or for a client), as PEM files with unencrypted
 * PKCS#8 keys. Nothing is checked in.
 */
public final class TestCertificates {

    /** A certificate and its key, as PEM files. */
    public record Pem(Path certificate, Path key) {
        public String certificateText() throws IOException {
            return Files.readString(certificate);
        }

        public String keyText() throws IOException {
            return Files.readString(key);
        }
    }

    private final Path dir;
    private final Pem ca;

    private TestCertificates(Path dir) throws IOException {
        this.dir = dir;
        Path key = dir.resolve("ca.key");
        Path cert = dir.resolve("ca.pem");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", cert.toString(),
                "-subj", "/CN=floe-test-ca", "-days", "2");
        this.ca = new Pem(cert, key);
    }

    public static TestCertificates create() throws IOException {
        return new TestCertificates(Files.createTempDirectory("floe-certs"));
    }

    public Pem ca() {
        return ca;
    }

    /** A server certificate for 127.0.0.1 and localhost, signed by the CA. */
    public Pem server(String name) throws IOException {
        return signed(name, "subjectAltName=IP:127.0.0.1,DNS:localhost");
    }

    /** A client certificate with subject CN=name, signed by the CA. */
    public Pem client(String name) throws IOException {
        return signed(name, "extendedKeyUsage=clientAuth");
    }

    private Pem signed(String cn, String extension) throws IOException {
        Path key = dir.resolve(cn + ".key");
        Path csr = dir.resolve(cn + ".csr");
        Path cert = dir.resolve(cn + ".pem");
        Path ext = dir.resolve(cn + ".ext");
        Files.writeString(ext, extension + "\n");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", csr.toString(), "-subj", "/CN=" + cn);
        openssl("x509", "-req", "-in", csr.toString(), "-CA", ca.certificate().toString(), "-CAkey", ca.key().toString(),
                "-CAcreateserial", "-out", cert.toString(), "-days", "2", "-extfile", ext.toString());
        return new Pem(cert, key);
    }

    /** Runs openssl; fails with its output on a non-zero exit. */
    public static String openssl(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        return run(cmd, null);
    }

    public static String run(List<String> cmd, String stdin) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + cmd);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        if (p.exitValue() != 0 && !cmd.contains("s_client") && !cmd.contains("curl")) {
            throw new IOException(cmd + " exited " + p.exitValue() + ":\n" + out);
        }
        return out;
    }
}
