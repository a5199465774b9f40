package io.floe.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SASL session on the wire, with a 2-second session lifetime: the pre-authentication frame limit,
 * unknown mechanisms, re-authentication (KIP-368) by the Java client, the connection closed when a
 * session expires without it, and repeated failures slowed down.
 */
class SaslSessionTest {

    private static final String ADMIN_PASSWORD = "admin-pw-3";
    private static FloeKafka floe;

    @BeforeAll
    static void start() {
        floe = FloeKafka.startSecured("kafka-sasl-session", new FloeKafka.SecuredBy(ADMIN_PASSWORD, Duration.ofSeconds(2)));
    }

    @AfterAll
    static void stop() {
        floe.close();
    }

    private static SaslAuthenticateResponse plain(RawKafka raw, String user, String password) throws Exception {
        SaslHandshakeResponse h = (SaslHandshakeResponse) raw.call(new SaslHandshakeRequest.Builder(
                new SaslHandshakeRequestData().setMechanism("PLAIN")).build((short) 1));
        assertThat(h.data().errorCode()).isEqualTo(Errors.NONE.code());
        return (SaslAuthenticateResponse) raw.call(new SaslAuthenticateRequest.Builder(new SaslAuthenticateRequestData()
                .setAuthBytes(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8))).build((short) 2));
    }

    @Test
    void aFrameLargerThan512KiBBeforeAuthenticationClosesTheConnectionWithoutReadingIt() throws Exception {
        try (Socket s = new Socket("127.0.0.1", floe.listener.port())) {
            s.setSoTimeout(5000);
            new DataOutputStream(s.getOutputStream()).writeInt(512 * 1024 + 1);
            assertThat(s.getInputStream().read()).as("closed at once, nothing more sent").isEqualTo(-1);
        }
    }

    @Test
    void anUnknownMechanismIsRefusedWithTheEnabledOnesAndTheConnectionClosed() throws Exception {
        try (RawKafka raw = new RawKafka(floe.listener.port())) {
            SaslHandshakeResponse h = (SaslHandshakeResponse) raw.call(new SaslHandshakeRequest.Builder(
                    new SaslHandshakeRequestData().setMechanism("GSSAPI")).build((short) 1));
            assertThat(h.data().errorCode()).isEqualTo(Errors.UNSUPPORTED_SASL_MECHANISM.code());
            assertThat(h.data().mechanisms()).containsExactly("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void theSessionLifetimeIsSentAndAnExpiredSessionIsClosedOnItsNextRequest() throws Exception {
        try (RawKafka raw = new RawKafka(floe.listener.port())) {
            SaslAuthenticateResponse a = plain(raw, "admin", ADMIN_PASSWORD);
            assertThat(a.data().errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(a.data().sessionLifetimeMs()).isBetween(1L, 2000L);
            MetadataResponse m = (MetadataResponse) raw.call(new MetadataRequest.Builder(List.of(), false).build((short) 12));
            assertThat(m.data().brokers()).hasSize(1);
            Thread.sleep(2300);
            raw.sendBytes(SaslAndAclsTest.frame(new MetadataRequest.Builder(List.of(), false).build((short) 12)));
            assertThat(raw.closedByServer()).as("expired without re-authentication").isTrue();
        }
    }

    @Test
    void theJavaClientReauthenticatesAndKeepsWorkingPastTheSessionLifetime() throws Exception {
        String b = floe.bootstrap();
        Properties admin = SaslAndAclsTest.sasl(b, "SCRAM-SHA-256", "admin", ADMIN_PASSWORD);
        try (Admin a = Admin.create(admin)) {
            a.createTopics(List.of(new NewTopic("reauth", 1, (short) 1))).all().get();
        }
        Properties p = JavaClientsTest.producerProps(b);
        p.putAll(admin);
        int sent = 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            long end = System.nanoTime() + Duration.ofSeconds(7).toNanos();
            while (System.nanoTime() < end) {
                producer.send(new ProducerRecord<>("reauth", "k", "v" + sent)).get();
                sent++;
                Thread.sleep(250);
            }
        }
        assertThat(sent).as("one connection, sessions of 2 s, 7 s of sends").isGreaterThan(20);
        Properties c = new Properties();
        c.putAll(admin);
        c.put("group.id", "reauth-readers");
        c.put("auto.offset.reset", "earliest");
        c.put("key.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class.getName());
        c.put("value.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class.getName());
        int read = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
            consumer.subscribe(List.of("reauth"));
            long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (read < sent && System.nanoTime() < end) {
                read += consumer.poll(Duration.ofMillis(500)).count();
            }
        }
        assertThat(read).isEqualTo(sent);
    }

    @Test
    void repeatedFailuresFromOneAddressAreSlowedDown() throws Exception {
        long last = 0;
        for (int i = 0; i < 5; i++) {
            try (RawKafka raw = new RawKafka(floe.listener.port())) {
                long start = System.nanoTime();
                SaslAuthenticateResponse r = plain(raw, "admin", "wrong-" + i);
                last = (System.nanoTime() - start) / 1_000_000;
                assertThat(r.data().errorCode()).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED.code());
                assertThat(r.data().errorMessage()).doesNotContain("wrong-" + i);
                assertThat(raw.closedByServer()).isTrue();
            }
        }
        assertThat(last).as("the fifth failure in a row waits").isGreaterThanOrEqualTo(900);
    }
}
