package io.floe.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka's own command-line tools from the kafka-tools 4.3.1 jar, each run as a child JVM on the test
 * class path: TopicCommand, the console producer and consumer (--from-beginning, --group) and
 * ConsumerGroupCommand --describe with lag.
 */
class KafkaToolsTest {

    private static FloeKafka floe;

    @BeforeAll
    static void start() {
        floe = FloeKafka.start("kafka-tools");
    }

    @AfterAll
    static void stop() {
        floe.close();
    }

    private static String tool(String mainClass, String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        return NativeClientsTest.run(cmd, stdin, 120);
    }

    @Test
    void topicsConsoleProducerConsumerAndGroupLag() throws Exception {
        String b = floe.bootstrap();
        tool("org.apache.kafka.tools.TopicCommand", null, "--bootstrap-server", b, "--create", "--topic", "console",
                "--partitions", "3", "--replication-factor", "1");
        assertThat(tool("org.apache.kafka.tools.TopicCommand", null, "--bootstrap-server", b, "--list")).contains("console");
        assertThat(tool("org.apache.kafka.tools.TopicCommand", null, "--bootstrap-server", b, "--describe",
                "--topic", "console")).contains("PartitionCount: 3");

        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            lines.append("message-").append(i).append('\n');
        }
        tool("org.apache.kafka.tools.ConsoleProducer", lines.toString(), "--bootstrap-server", b, "--topic", "console");

        String replay = tool("org.apache.kafka.tools.consumer.ConsoleConsumer", null, "--bootstrap-server", b,
                "--topic", "console", "--from-beginning", "--group", "console-readers", "--max-messages", "30",
                "--timeout-ms", "30000");
        assertThat(replay.lines().filter(l -> l.startsWith("message-")).toList()).hasSize(30);

        // 10 more records: the group's lag is 10 in total.
        StringBuilder more = new StringBuilder();
        for (int i = 30; i < 40; i++) {
            more.append("message-").append(i).append('\n');
        }
        tool("org.apache.kafka.tools.ConsoleProducer", more.toString(), "--bootstrap-server", b, "--topic", "console");
        String describe = tool("org.apache.kafka.tools.consumer.group.ConsumerGroupCommand", null, "--bootstrap-server", b,
                "--describe", "--group", "console-readers");
        long lag = 0;
        int rows = 0;
        for (String l : describe.lines().toList()) {
            String[] f = l.trim().split("\\s+");
            if (f.length >= 6 && f[0].equals("console-readers") && f[1].equals("console")) {
                lag += Long.parseLong(f[5]);
                rows++;
            }
        }
        assertThat(rows).as(describe).isEqualTo(3);
        assertThat(lag).as(describe).isEqualTo(10);
        assertThat(tool("org.apache.kafka.tools.consumer.group.ConsumerGroupCommand", null, "--bootstrap-server", b,
                "--list")).contains("console-readers");
    }
}
