package io.floe.api.kafka;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for the Kafka listener from PEM files: the server's certificate chain and PKCS#8 key, and
 * optionally the CAs whose client certificates are required (mutual TLS; the certificate's subject
 * becomes the principal, as Kafka's default SSL principal builder does). The files are looked at
 * again at most once a second, on accept; when one changed, new connections use the new context
 * (certificates rotate without a restart; open connections keep theirs).
 *
 * <p>Thread-safe: the context is swapped atomically.
 */
public final class KafkaTls {

    private static final System.Logger LOG = System.getLogger(KafkaTls.class.getName());
    private static final Pattern PEM_KEY = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final long RECHECK_NANOS = 1_000_000_000L;

    private final Path certificate;
    private final Path key;
    private final Optional<Path> clientCa;
    private volatile SSLContext context;
    private volatile List<FileTime> stamps;
    private volatile long checkedAt;

    /** Loads the files now: a bad file stops start-up with a message naming it. */
    public KafkaTls(Path certificate, Path key, Optional<Path> clientCa) {
        this.certificate = certificate;
        this.key = key;
        this.clientCa = clientCa;
        this.stamps = stamps();
        this.context = load();
        this.checkedAt = System.nanoTime();
    }

    /** Whether clients must present a certificate. */
    public boolean mutual() {
        return clientCa.isPresent();
    }

    /** Wraps an accepted socket as the server side of a TLS connection (the handshake runs on first use). */
    SSLSocket wrap(Socket accepted) throws IOException {
        reloadIfChanged();
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(accepted, null, accepted.getPort(), true);
        s.setUseClientMode(false);
        if (clientCa.isPresent()) {
            s.setNeedClientAuth(true);
        }
        return s;
    }

    private void reloadIfChanged() {
        long now = System.nanoTime();
        if (now - checkedAt < RECHECK_NANOS) {
            return;
        }
        synchronized (this) {
            checkedAt = now;
            List<FileTime> current = stamps();
            if (current.equals(stamps)) {
                return;
            }
            try {
                context = load();
                stamps = current;
                LOG.log(System.Logger.Level.INFO, "Kafka listener: TLS certificate reloaded from " + certificate);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Kafka listener: keeping the previous TLS certificate; reloading failed: "
                        + e.getMessage());
            }
        }
    }

    private List<FileTime> stamps() {
        List<FileTime> out = new ArrayList<>();
        for (Path p : clientCa.isPresent() ? List.of(certificate, key, clientCa.get()) : List.of(certificate, key)) {
            try {
                out.add(Files.getLastModifiedTime(p));
            } catch (IOException e) {
                out.add(FileTime.fromMillis(-1));
            }
        }
        return out;
    }

    private SSLContext load() {
        try {
            List<Certificate> chain = certificates(certificate, "floe.tls.certificate-file");
            PrivateKey privateKey = privateKey(key);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("floe", privateKey, new char[0], chain.toArray(Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            TrustManagerFactory tmf = null;
            if (clientCa.isPresent()) {
                KeyStore ts = KeyStore.getInstance("PKCS12");
                ts.load(null, null);
                int i = 0;
                for (Certificate c : certificates(clientCa.get(), "floe.tls.client-ca-file")) {
                    ts.setCertificateEntry("ca-" + i++, c);
                }
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ts);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("TLS: cannot use " + certificate + " and " + key + ": " + e.getMessage(), e);
        }
    }

    private static List<Certificate> certificates(Path file, String setting) throws IOException, GeneralSecurityException {
        byte[] pem = Files.readAllBytes(file);
        List<Certificate> out = new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem)));
        if (out.isEmpty()) {
            throw new IllegalArgumentException(setting + " " + file + " holds no PEM certificate");
        }
        return out;
    }

    private static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        Matcher m = PEM_KEY.matcher(Files.readString(file, StandardCharsets.US_ASCII));
        if (!m.find()) {
            throw new IllegalArgumentException("floe.tls.key-file " + file
                    + " holds no unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----; convert with openssl pkcs8 -topk8 -nocrypt)");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "EdDSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException tryNext) {
                // not this algorithm
            }
        }
        throw new IllegalArgumentException("floe.tls.key-file " + file + ": not an RSA, EC or EdDSA key");
    }
}
