package io.floe.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java client's transactional producer and read_committed consumer against Floe on radosgw: commit
 * and abort, sendOffsetsToTransaction with group metadata, zombie fencing, and the admin client's
 * transaction views. Tests that read with read_committed depend on the log side (last stable offset,
 * aborted-transaction index) of issue 12.
 */
class TransactionalClientsTest {

    private static FloeKafka floe;

    @BeforeAll
    static void start() {
        floe = FloeKafka.start("kafka-txn");
    }

    @AfterAll
    static void stop() {
        floe.close();
    }

    static Properties transactional(String bootstrap, String transactionalId) {
        Properties p = JavaClientsTest.producerProps(bootstrap);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "30000");
        return p;
    }

    static KafkaConsumer<String, String> readCommitted(String bootstrap, String group) {
        Properties c = JavaClientsTest.consumerProps(bootstrap, group);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(c);
    }

    /** Every value a read_committed consumer reads from the beginning (at least {@code atLeast}, or 30 s). */
    static List<String> readCommittedValues(String bootstrap, String topic, int partitions, int atLeast) {
        Properties c = JavaClientsTest.consumerProps(bootstrap, null);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> out = new ArrayList<>();
        JavaClientsTest.readAll(c, topic, partitions, atLeast).forEach(r -> out.add(r.value()));
        return out;
    }

    private static void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = JavaClientsTest.admin(floe.bootstrap())) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
    }

    @Test
    void committedTransactionsAreReadAndAbortedOnesAreNot() throws Exception {
        String topic = "txn-commit-abort";
        createTopic(topic, 3);
        List<String> committed = new ArrayList<>();
        try (KafkaProducer<String, String> p = new KafkaProducer<>(transactional(floe.bootstrap(), "tx-commit-abort"))) {
            p.initTransactions();
            p.beginTransaction();
            for (int i = 0; i < 30; i++) {
                p.send(new ProducerRecord<>(topic, "k" + i, "committed-a-" + i));
                committed.add("committed-a-" + i);
            }
            p.commitTransaction();
            p.beginTransaction();
            for (int i = 0; i < 30; i++) {
                p.send(new ProducerRecord<>(topic, "k" + i, "aborted-" + i));
            }
            p.flush();
            p.abortTransaction();
            p.beginTransaction();
            for (int i = 0; i < 10; i++) {
                p.send(new ProducerRecord<>(topic, "k" + i, "committed-b-" + i));
                committed.add("committed-b-" + i);
            }
            p.commitTransaction();
        }
        // read_uncommitted sees every data record; the markers are not records to a consumer.
        assertThat(JavaClientsTest.readAll(floe.bootstrap(), topic, 3, 70)).hasSize(70);
        assertThat(readCommittedValues(floe.bootstrap(), topic, 3, committed.size()))
                .containsExactlyInAnyOrderElementsOf(committed);
    }

    @Test
    void anOpenTransactionIsInvisibleToReadCommittedUntilItCommits() throws Exception {
        String topic = "txn-open";
        createTopic(topic, 1);
        Properties props = transactional(floe.bootstrap(), "tx-open");
        // The read_committed look below waits up to 30 s for a record that must not come: the transaction
        // must outlive it (with the 30 s of transactional() it would time out, be aborted and fenced).
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "120000");
        try (KafkaProducer<String, String> p = new KafkaProducer<>(props)) {
            p.initTransactions();
            p.beginTransaction();
            p.send(new ProducerRecord<>(topic, "k", "pending"));
            p.flush();
            assertThat(JavaClientsTest.readAll(floe.bootstrap(), topic, 1, 1)).hasSize(1);
            assertThat(readCommittedValues(floe.bootstrap(), topic, 1, 1)).isEmpty();
            p.commitTransaction();
        }
        assertThat(readCommittedValues(floe.bootstrap(), topic, 1, 1)).containsExactly("pending");
    }

    @Test
    void offsetsSentToATransactionAreCommittedWithItAndDroppedOnAbort() throws Exception {
        String in = "txn-offsets-in";
        String out = "txn-offsets-out";
        String group = "txn-copier";
        createTopic(in, 1);
        createTopic(out, 1);
        try (KafkaProducer<String, String> plain = new KafkaProducer<>(JavaClientsTest.producerProps(floe.bootstrap()))) {
            for (int i = 0; i < 20; i++) {
                plain.send(new ProducerRecord<>(in, "k", "m-" + i));
            }
            plain.flush();
        }
        TopicPartition tp = new TopicPartition(in, 0);
        try (KafkaProducer<String, String> p = new KafkaProducer<>(transactional(floe.bootstrap(), "tx-offsets"));
             KafkaConsumer<String, String> c = readCommitted(floe.bootstrap(), group)) {
            p.initTransactions();
            c.subscribe(List.of(in));
            List<ConsumerRecord<String, String>> batch = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 30_000;
            while (batch.size() < 10 && System.currentTimeMillis() < deadline) {
                ConsumerRecords<String, String> rs = c.poll(Duration.ofMillis(300));
                rs.forEach(batch::add);
            }
            assertThat(batch).hasSizeGreaterThanOrEqualTo(10);
            // Transaction 1 copies the first 10 and commits their offsets.
            p.beginTransaction();
            for (ConsumerRecord<String, String> r : batch.subList(0, 10)) {
                p.send(new ProducerRecord<>(out, r.key(), r.value()));
            }
            p.sendOffsetsToTransaction(Map.of(tp, new OffsetAndMetadata(10)), c.groupMetadata());
            assertThat(committedOffset(group, tp)).as("not before the commit").isNull();
            // A read_committed consumer asks for stable offsets (KIP-447) and waits while they are pending.
            assertThatThrownBy(() -> c.committed(java.util.Set.of(tp), Duration.ofSeconds(2)))
                    .isInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
            p.commitTransaction();
            assertThat(committedOffset(group, tp)).isEqualTo(10);
            assertThat(c.committed(java.util.Set.of(tp), Duration.ofSeconds(10)).get(tp).offset()).isEqualTo(10);
            // Transaction 2 sends offset 20 but aborts: the group keeps 10.
            p.beginTransaction();
            p.send(new ProducerRecord<>(out, "k", "never"));
            p.sendOffsetsToTransaction(Map.of(tp, new OffsetAndMetadata(20)), c.groupMetadata());
            p.abortTransaction();
            assertThat(committedOffset(group, tp)).isEqualTo(10);
        }
    }

    private static Long committedOffset(String group, TopicPartition tp) throws Exception {
        try (Admin admin = JavaClientsTest.admin(floe.bootstrap())) {
            OffsetAndMetadata o = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(tp);
            return o == null ? null : o.offset();
        }
    }

    @Test
    void aSecondProducerWithTheSameTransactionalIdFencesTheFirst() throws Exception {
        String topic = "txn-zombie";
        createTopic(topic, 1);
        KafkaProducer<String, String> zombie = new KafkaProducer<>(transactional(floe.bootstrap(), "tx-zombie"));
        try (KafkaProducer<String, String> successor = new KafkaProducer<>(transactional(floe.bootstrap(), "tx-zombie"))) {
            zombie.initTransactions();
            zombie.beginTransaction();
            zombie.send(new ProducerRecord<>(topic, "k", "zombie")).get();
            successor.initTransactions(); // aborts the zombie's open transaction and fences it
            assertThatThrownBy(zombie::commitTransaction).isInstanceOf(ProducerFencedException.class);
            successor.beginTransaction();
            successor.send(new ProducerRecord<>(topic, "k", "successor"));
            successor.commitTransaction();
        } finally {
            zombie.close(Duration.ZERO);
        }
        assertThat(readCommittedValues(floe.bootstrap(), topic, 1, 1)).containsExactly("successor");
    }

    @Test
    void adminClientListsAndDescribesTransactions() throws Exception {
        String topic = "txn-admin";
        createTopic(topic, 2);
        try (KafkaProducer<String, String> p = new KafkaProducer<>(transactional(floe.bootstrap(), "tx-admin"));
             Admin admin = JavaClientsTest.admin(floe.bootstrap())) {
            p.initTransactions();
            p.beginTransaction();
            p.send(new ProducerRecord<>(topic, 1, "k", "v")).get();
            var listed = admin.listTransactions().all().get();
            assertThat(listed).extracting(TransactionListing::transactionalId).contains("tx-admin");
            var d = admin.describeTransactions(List.of("tx-admin")).all().get().get("tx-admin");
            assertThat(d.state().toString()).isEqualTo("Ongoing");
            assertThat(d.topicPartitions()).containsExactly(new TopicPartition(topic, 1));
            assertThat(d.transactionTimeoutMs()).isEqualTo(30_000);
            var producers = admin.describeProducers(List.of(new TopicPartition(topic, 1))).all().get()
                    .get(new TopicPartition(topic, 1)).activeProducers();
            assertThat(producers).hasSize(1);
            assertThat(producers.getFirst().currentTransactionStartOffset()).hasValue(0L);
            p.commitTransaction();
            d = admin.describeTransactions(List.of("tx-admin")).all().get().get("tx-admin");
            assertThat(d.state().toString()).isEqualTo("CompleteCommit");
            assertThat(d.topicPartitions()).isEmpty();
        }
    }
}
