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

    private static String httpHost(Map<String, String> props) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(props, "test", 100))
                .withInterceptors(new LoopbackUnlessSecured()).build();
        return config.getValue("quarkus.http.host", String.class);
    }
}
