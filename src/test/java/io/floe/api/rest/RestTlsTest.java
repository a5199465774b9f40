package io.floe.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.testkit.TestCertificates;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * TLS on the REST port from floe.tls.* (the same PEM files as the Kafka port): HTTPS only, the
 * certificate as openssl s_client sees it, HTTP Basic over it with curl.
 */
@QuarkusTest
@TestProfile(RestTlsTest.Tls.class)
class RestTlsTest {

    /** Certificates made once per JVM; kept in system properties (the profile runs in another class loader). */
    public static class Tls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                String dir = System.getProperty("floetest.tls.ca");
                if (dir == null) {
                    TestCertificates certs = TestCertificates.create();
                    TestCertificates.Pem server = certs.server("floe-rest-server");
                    System.setProperty("floetest.tls.ca", certs.ca().certificate().toString());
                    System.setProperty("floetest.tls.cert", server.certificate().toString());
                    System.setProperty("floetest.tls.key", server.key().toString());
                }
                return Map.of("floe.auth.enabled", "true", "floe.auth.admin-password", "tls-rest-admin",
                        "floe.tls.certificate-file", System.getProperty("floetest.tls.cert"),
                        "floe.tls.key-file", System.getProperty("floetest.tls.key"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @Test
    void restServesHttpsOnlyWithTheConfiguredCertificate() throws Exception {
        String ca = System.getProperty("floetest.tls.ca");
        String base = https.toString().replaceAll("/$", "");
        assertThat(base).startsWith("https://");
        String code = TestCertificates.run(List.of("curl", "-s", "--cacert", ca, "-o", "/dev/null", "-w", "%{http_code}",
                base + "/topics"), null);
        assertThat(code).isEqualTo("401");
        String clusters = TestCertificates.run(List.of("curl", "-s", "--cacert", ca, "-u", "admin:tls-rest-admin",
                base + "/v3/clusters"), null);
        assertThat(clusters).contains("KafkaClusterList");
        String plain = TestCertificates.run(List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                base.replace("https://", "http://") + "/topics"), null);
        assertThat(plain).as("no plaintext HTTP on the port").isNotEqualTo("401").isNotEqualTo("200");
        String hostPort = base.substring("https://".length());
        String cert = TestCertificates.run(List.of("openssl", "s_client", "-connect", hostPort.replace("localhost", "127.0.0.1"),
                "-CAfile", ca), "");
        assertThat(cert).contains("CN = floe-rest-server").contains("Verify return code: 0 (ok)");
    }
}
