package io.floe.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class PartitionerTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void partitionOfFixedKeys() {
        assertThat(Partitioner.partition(ascii("foobar"), 10)).isEqualTo((-790332482 & 0x7fffffff) % 10);
        assertThat(Partitioner.partition(ascii("21"), 3)).isEqualTo((-973932308 & 0x7fffffff) % 3);
        assertThat(Partitioner.partition(ascii("anything"), 1)).isZero();
    }

    @Test
    void matchesKafkasBuiltInPartitionerForRandomKeysOfEveryLength() {
        Random random = new Random(2024);
        for (int i = 0; i < 20_000; i++) {
            byte[] key = new byte[random.nextInt(64)];
            random.nextBytes(key);
            int partitions = 1 + random.nextInt(1000);
            assertThat(Partitioner.partition(key, partitions)).isEqualTo(BuiltInPartitioner.partitionForKey(key, partitions));
        }
    }

    @Test
    void refusesNullKeysAndNonPositivePartitionCounts() {
        assertThatThrownBy(() -> Partitioner.partition(null, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Partitioner.partition(ascii("k"), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
