package io.floe.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS on the Kafka port from PEM files made in the test: SASL_SSL with the Java client and
 * kafka-python 2.0.2 (PLAIN and SCRAM), the certificate as openssl s_client sees it, rotation without
 * a restart, and mutual TLS where the client certificate's subject is the principal the ACLs name.
 */
class KafkaTlsTest {

    private static final String ADMIN_PASSWORD = "tls-admin-pw";
    private static TestCertificates certs;
    private static Path certFile;
    private static Path keyFile;
    private static FloeKafka floe;

    @BeforeAll
    static void start() throws Exception {
        certs = TestCertificates.create();
        TestCertificates.Pem server = certs.server("floe-server-1");
        Path dir = Files.createTempDirectory("floe-tls");
        certFile = Files.copy(server.certificate(), dir.resolve("server.pem"));
        keyFile = Files.copy(server.key(), dir.resolve("server.key"));
        floe = FloeKafka.startSecured("kafka-tls", new FloeKafka.SecuredBy(ADMIN_PASSWORD, Duration.ofHours(1),
                new KafkaTls(certFile, keyFile, Optional.empty())));
    }

    @AfterAll
    static void stop() {
        floe.close();
    }

    static Properties saslSsl(String bootstrap, String mechanism, String user, String password) {
        Properties p = SaslAndAclsTest.sasl(bootstrap, mechanism, user, password);
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
        p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, certs.ca().certificate().toString());
        return p;
    }

    @Test
    void javaClientAndKafkaPythonProduceAndConsumeOverSaslSsl() throws Exception {
        String b = floe.bootstrap();
        Properties admin = saslSsl(b, "SCRAM-SHA-512", "admin", ADMIN_PASSWORD);
        try (Admin a = Admin.create(admin)) {
            a.createTopics(List.of(new NewTopic("tls-orders", 1, (short) 1))).all().get();
        }
        Properties p = JavaClientsTest.producerProps(b);
        p.putAll(admin);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>("tls-orders", "k", "tls-" + i)).get();
            }
        }
        Path script = NativeClientsTest.script("kafka_python_sasl.py");
        for (String mechanism : List.of("PLAIN", "SCRAM-SHA-256")) {
            String out = NativeClientsTest.run(List.of(NativeClientsTest.PYTHON, script.toString(), b, "tls-orders", "3",
                    "tls-py-" + mechanism, mechanism, "admin", ADMIN_PASSWORD, certs.ca().certificate().toString()), null, 120);
            assertThat(out).as(mechanism).contains("tls-0").contains("py-2").doesNotContain("\"error\"");
        }
        // A plaintext client gets nowhere, and the listener keeps serving.
        Properties plain = SaslAndAclsTest.sasl(b, "PLAIN", "admin", ADMIN_PASSWORD);
        plain.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        plain.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        try (Admin a = Admin.create(plain)) {
            assertThatThrownBy(() -> a.listTopics().names().get()).isInstanceOf(ExecutionException.class);
        }
        try (Admin a = Admin.create(admin)) {
            assertThat(a.listTopics().names().get()).contains("tls-orders");
        }
    }

    @Test
    void opensslSeesTheCertificateAndANewOneAfterTheFilesChange() throws Exception {
        String port = Integer.toString(floe.listener.port());
        String before = TestCertificates.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-CAfile",
                certs.ca().certificate().toString(), "-verify_return_error"), "");
        assertThat(before).contains("CN = floe-server-1").contains("Verify return code: 0 (ok)");

        TestCertificates.Pem next = certs.server("floe-server-2");
        Path tmpCert = Files.copy(next.certificate(), certFile.resolveSibling("next.pem"));
        Path tmpKey = Files.copy(next.key(), keyFile.resolveSibling("next.key"));
        Files.move(tmpKey, keyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(tmpCert, certFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String after = "";
        while (System.nanoTime() < deadline && !after.contains("CN = floe-server-2")) {
            Thread.sleep(300);
            after = TestCertificates.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-CAfile",
                    certs.ca().certificate().toString()), "");
        }
        assertThat(after).contains("CN = floe-server-2").contains("Verify return code: 0 (ok)");
    }

    @Test
    void mutualTlsMakesTheCertificateSubjectThePrincipal() throws Exception {
        TestCertificates.Pem server = certs.server("floe-mtls");
        TestCertificates.Pem app = certs.client("billing-app");
        try (FloeKafka mtls = FloeKafka.sharingSecured(floe, "kafka-mtls", new FloeKafka.SecuredBy(ADMIN_PASSWORD,
                Duration.ofHours(1), new KafkaTls(server.certificate(), server.key(), Optional.of(certs.ca().certificate()))))) {
            String b = mtls.bootstrap();
            Properties p = JavaClientsTest.producerProps(b);
            p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
            p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
            p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, certs.ca().certificate().toString());
            p.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PEM");
            p.put(SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG, app.certificateText());
            p.put(SslConfigs.SSL_KEYSTORE_KEY_CONFIG, app.keyText());
            p.put("max.block.ms", "10000");
            p.put("delivery.timeout.ms", "10000");
            p.put("request.timeout.ms", "5000");
            try (Admin admin = Admin.create(saslSsl(floe.bootstrap(), "SCRAM-SHA-512", "admin", ADMIN_PASSWORD))) {
                admin.createTopics(List.of(new NewTopic("billing", 1, (short) 1))).all().get();
            }
            try (Admin admin = Admin.create(saslSsl(b, "SCRAM-SHA-512", "admin", ADMIN_PASSWORD))) {
                assertThatThrownBy(() -> admin.listTopics().names().get())
                        .as("no client certificate: the handshake fails").isInstanceOf(ExecutionException.class);
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
                ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                        () -> producer.send(new ProducerRecord<>("billing", "k", "v")).get());
                assertThat(e.getCause()).isInstanceOf(TopicAuthorizationException.class);
            }
            try (Admin admin = Admin.create(saslSsl(floe.bootstrap(), "SCRAM-SHA-512", "admin", ADMIN_PASSWORD))) {
                admin.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, "billing", PatternType.LITERAL),
                        new AccessControlEntry("User:CN=billing-app", "*", AclOperation.WRITE, AclPermissionType.ALLOW))))
                        .all().get();
            }
            Thread.sleep(500); // the other instance's refresh interval is 200 ms
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
                producer.send(new ProducerRecord<>("billing", "k", "from-billing")).get();
            }
        }
    }
}
