package io.floe.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.api.kafka.KafkaSettings;
import io.floe.group.GroupSettings;
import io.floe.janitor.JanitorSettings;
import io.floe.log.LogSettings;
import io.floe.store.LatencyProfile;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FloeSettingsTest {

    private static FloeConfig config(Map<String, String> values) {
        SmallRyeConfig c = new SmallRyeConfigBuilder()
                .withMapping(FloeConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withSources(new PropertiesConfigSource(values, "test", 500))
                .build();
        return c.getConfigMapping(FloeConfig.class);
    }

    private static FloeSettings.Checked check(Map<String, String> values) {
        return FloeSettings.check(config(values), new Random(1));
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        FloeSettings.Checked s = check(Map.of());
        assertThat(s.store().url()).isEqualTo("file:./data");
        assertThat(s.store().s3Region()).isEqualTo("us-east-1");
        assertThat(s.store().s3PathStyle()).isFalse();
        assertThat(s.store().s3Endpoint()).isEmpty();
        assertThat(s.store().s3AccessKey()).isEmpty();
        assertThat(s.log()).isEqualTo(new LogSettings(s.log().instanceId(), Duration.ofMillis(10), 16 << 20, 100_000,
                1 << 20, 64L << 20, 64L << 20, Duration.ofMillis(100), 64, Duration.ofSeconds(10), true, 3,
                Duration.ofMillis(500)));
        assertThat(s.log().instanceId()).matches("[0-9a-f]{8}");
        assertThat(s.group()).isEqualTo(new GroupSettings(s.log().instanceId(), Duration.ofSeconds(45), Duration.ofSeconds(1),
                Duration.ofMinutes(30), 0.5, Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(5), true));
        assertThat(s.janitor()).isEqualTo(new JanitorSettings(Duration.ofSeconds(60), Duration.ofMinutes(10),
                Duration.ofSeconds(20), 4 << 20, 16 << 20, 4 << 20, 16, Duration.ofSeconds(30), 0.5, 1 << 20, 64L << 20));
        assertThat(s.kafka()).isEqualTo(new KafkaSettings("127.0.0.1", 9092, Optional.empty(), Optional.empty(), 0, true));
    }

    @Test
    void defaultsForCodeWithoutQuarkusAreFloeConfigsOwn() {
        FloeSettings.Checked s = check(Map.of());
        assertThat(Defaults.log("x")).isEqualTo(new LogSettings("x", s.log().linger(), s.log().flushBytes(),
                s.log().flushRecords(), s.log().inlineBytes(), s.log().maxBufferedBytes(), s.log().cacheBytes(),
                s.log().pollInterval(), s.log().checkpointEvery(), s.log().metadataMaxAge(), true, s.log().flushMaxInFlight(),
                s.log().flushMaxLinger()));
        assertThat(Defaults.janitor()).isEqualTo(s.janitor());
        assertThat(Defaults.group(s.log().instanceId())).isEqualTo(s.group());
    }

    @Test
    void groupJanitorAndKafkaProblemsAreReportedTogetherWithTheOthers() {
        assertThatThrownBy(() -> check(Map.of(
                "floe.flush.max-records", "0", "floe.group.session-timeout", "500ms", "floe.group.poll-interval", "0s",
                "floe.janitor.lease", "100ms", "floe.janitor.merge-small-bytes", "32M", "floe.janitor.merge-min-entries", "1",
                "floe.janitor.min-cleanable-dirty-ratio", "1.5", "floe.kafka.port", "70000", "floe.kafka.advertised-port", "0")))
                .isInstanceOf(FloeSettings.InvalidSettingsException.class)
                .hasMessageContaining("floe.flush.max-records")
                .hasMessageContaining("floe.group.session-timeout = PT0.5S: expected a duration from 1000ms to 1800000ms")
                .hasMessageContaining("floe.group.poll-interval")
                .hasMessageContaining("floe.janitor.lease")
                .hasMessageContaining("floe.janitor.merge-object-bytes = 16777216: expected at least floe.janitor.merge-small-bytes")
                .hasMessageContaining("floe.janitor.merge-min-entries = 1: expected an integer >= 2")
                .hasMessageContaining("floe.janitor.min-cleanable-dirty-ratio = 1.5")
                .hasMessageContaining("floe.kafka.port = 70000")
                .hasMessageContaining("floe.kafka.advertised-port = 0");
    }

    @Test
    void tlsFilesThatDoNotGoTogetherAreReportedWithTheOthers() {
        assertThatThrownBy(() -> check(Map.of("floe.tls.certificate-file", "/etc/floe/cert.pem", "floe.flush.max-records", "0")))
                .isInstanceOf(FloeSettings.InvalidSettingsException.class)
                .hasMessageContaining("floe.flush.max-records")
                .hasMessageContaining("floe.tls.certificate-file and floe.tls.key-file: set both, or neither");
        assertThatThrownBy(() -> check(Map.of("floe.tls.client-ca-file", "/etc/floe/ca.pem")))
                .hasMessageContaining("floe.tls.client-ca-file needs floe.tls.certificate-file and floe.tls.key-file");
        check(Map.of("floe.tls.certificate-file", "/etc/floe/cert.pem", "floe.tls.key-file", "/etc/floe/key.pem"));
    }

    @Test
    void sizesAndDurationsAcceptFriendlyUnits() {
        FloeSettings.Checked s = check(Map.of(
                "floe.flush.max-bytes", "16M", "floe.flush.linger", "5ms", "floe.cache.max-bytes", "1G",
                "floe.fetch.poll-interval", "PT0.5S", "floe.instance-id", "node-1",
                "floe.storage.url", "s3://bucket/prefix", "floe.s3.endpoint", "http://127.0.0.1:7480",
                "floe.s3.path-style", "true", "floe.s3.access-key", "ak", "floe.s3.secret-key", "sk"));
        assertThat(s.log().flushBytes()).isEqualTo(16 << 20);
        assertThat(s.log().linger()).isEqualTo(Duration.ofMillis(5));
        assertThat(s.log().cacheBytes()).isEqualTo(1L << 30);
        assertThat(s.log().pollInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.log().instanceId()).isEqualTo("node-1");
        assertThat(s.store().s3Endpoint()).contains("http://127.0.0.1:7480");
        assertThat(s.store().s3PathStyle()).isTrue();
        assertThat(s.store().s3AccessKey()).isEqualTo(Optional.of("ak"));
    }

    @Test
    void invalidValuesAreAllNamedWithWhatIsAccepted() {
        assertThatThrownBy(() -> check(Map.of(
                "floe.flush.max-records", "0", "floe.flush.linger", "-5s", "floe.checkpoint.every-commits", "-1",
                "floe.instance-id", "no spaces!", "floe.s3.access-key", "only-one", "floe.fetch.poll-interval", "0s",
                "floe.s3.endpoint", "localhost:9000")))
                .isInstanceOf(FloeSettings.InvalidSettingsException.class)
                .hasMessageContaining("floe.flush.max-records = 0: expected an integer >= 1")
                .hasMessageContaining("floe.flush.linger")
                .hasMessageContaining("floe.checkpoint.every-commits")
                .hasMessageContaining("floe.instance-id")
                .hasMessageContaining("floe.s3.access-key and floe.s3.secret-key")
                .hasMessageContaining("floe.fetch.poll-interval")
                .hasMessageContaining("floe.s3.endpoint");
    }

    @Test
    void sizeThatDoesNotFitAnIntIsRejected() {
        assertThatThrownBy(() -> check(Map.of("floe.flush.max-bytes", "3G")))
                .hasMessageContaining("floe.flush.max-bytes")
                .hasMessageContaining("below 2G");
    }

    @Test
    void negativeSizeIsRejectedNamingTheSetting() {
        assertThatThrownBy(() -> check(Map.of("floe.cache.max-bytes", "-1")))
                .hasMessageContaining("floe.cache.max-bytes");
    }

    @Test
    void latencyModelIsNoneByDefaultAndNamedProfilesAreAccepted() {
        assertThat(check(Map.of()).latencyModel()).isEqualTo(LatencyProfile.NONE);
        assertThat(check(Map.of("floe.s3.latency-model", "s3-standard")).latencyModel()).isEqualTo(LatencyProfile.S3_STANDARD);
        assertThat(check(Map.of("floe.s3.latency-model", "s3-express")).latencyModel()).isEqualTo(LatencyProfile.S3_EXPRESS);
    }

    @Test
    void unknownLatencyModelStopsStartUpNamingTheChoices() {
        assertThatThrownBy(() -> check(Map.of("floe.s3.latency-model", "fast")))
                .isInstanceOf(FloeSettings.InvalidSettingsException.class)
                .hasMessageContaining("floe.s3.latency-model = 'fast': expected one of none, s3-standard, s3-express");
    }
}
