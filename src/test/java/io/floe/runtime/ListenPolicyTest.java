package io.floe.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Secure by default: without authentication or an explicit anonymous opt-in, both ports bind loopback only. */
class ListenPolicyTest {

    @Test
    void withoutAuthenticationEveryInterfaceBecomesLoopback() {
        assertThat(ListenPolicy.bindHost("0.0.0.0", false, false)).isEqualTo("127.0.0.1");
        assertThat(ListenPolicy.bindHost("10.1.2.3", false, false)).isEqualTo("127.0.0.1");
        assertThat(ListenPolicy.bindHost("::", false, false)).isEqualTo("127.0.0.1");
        assertThat(ListenPolicy.bindHost("example.com", false, false)).isEqualTo("127.0.0.1");
    }

    @Test
    void loopbackAsItWasAskedFor() {
        assertThat(ListenPolicy.bindHost("localhost", false, false)).isEqualTo("localhost");
        assertThat(ListenPolicy.bindHost("127.0.0.1", false, false)).isEqualTo("127.0.0.1");
        assertThat(ListenPolicy.bindHost("::1", false, false)).isEqualTo("::1");
    }

    @Test
    void authenticationOrAnExplicitAnonymousOptInAllowsEveryInterface() {
        assertThat(ListenPolicy.bindHost("0.0.0.0", true, false)).isEqualTo("0.0.0.0");
        assertThat(ListenPolicy.bindHost("0.0.0.0", false, true)).isEqualTo("0.0.0.0");
    }

    @Test
    void theRestHostSettingReadsAsLoopbackUnlessSecured() {
        assertThat(httpHost(Map.of("quarkus.http.host", "0.0.0.0"))).isEqualTo("127.0.0.1");
        assertThat(httpHost(Map.of("quarkus.http.host", "0.0.0.0", "floe.auth.enabled", "true"))).isEqualTo("0.0.0.0");
        assertThat(httpHost(Map.of("quarkus.http.host", "0.0.0.0", "floe.auth.anonymous", "true"))).isEqualTo("0.0.0.0");
        assertThat(httpHost(Map.of("quarkus.http.host", "0.0.0.0", "floe.auth.anonymous", "false"))).isEqualTo("127.0.0.1");
    }

    @Test
    void tlsFilesMakeTheRestPortServeHttpsOnlyFromTheSameFiles() {
        SmallRyeConfig c = config(Map.of("quarkus.http.port", "8080", "floe.tls.certificate-file", "/etc/floe/cert.pem",
                "floe.tls.key-file", "/etc/floe/key.pem", "floe.tls.client-ca-file", "/etc/floe/ca.pem"));
        assertThat(c.getValue("quarkus.http.ssl.certificate.files", String.class)).isEqualTo("/etc/floe/cert.pem");
        assertThat(c.getValue("quarkus.http.ssl.certificate.key-files", String.class)).isEqualTo("/etc/floe/key.pem");
        assertThat(c.getValue("quarkus.http.ssl.certificate.trust-store-files", String.class)).isEqualTo("/etc/floe/ca.pem");
        assertThat(c.getValue("quarkus.http.ssl.client-auth", String.class)).isEqualTo("REQUIRED");
        assertThat(c.getValue("quarkus.http.ssl-port", String.class)).isEqualTo("8080");
        assertThat(c.getValue("quarkus.http.insecure-requests", String.class)).isEqualTo("disabled");
        SmallRyeConfig plain = config(Map.of("quarkus.http.port", "8080"));
        assertThat(plain.getOptionalValue("quarkus.http.insecure-requests", String.class)).isEmpty();
        assertThat(plain.getOptionalValue("quarkus.http.ssl.certificate.files", String.class)).isEmpty();
    }

    private static String httpHost(Map<String, String> props) {
        return config(props).getValue("quarkus.http.host", String.class);
    }

    private static SmallRyeConfig config(Map<String, String> props) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(props, "test", 100))
                .withInterceptors(new LoopbackUnlessSecured()).build();
    }
}
