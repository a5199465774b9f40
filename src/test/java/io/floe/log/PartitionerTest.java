package io.floe.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

class PartitionerTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void murmur2MatchesKnownVectors() {
        // the vectors of Kafka's own UtilsTest
        assertThat(Partitioner.murmur2(ascii("21"))).isEqualTo(-973932308);
        assertThat(Partitioner.murmur2(ascii("foobar"))).isEqualTo(-790332482);
        assertThat(Partitioner.murmur2(ascii("a-little-bit-long-string"))).isEqualTo(-985981536);
        assertThat(Partitioner.murmur2(ascii("a-little-bit-longer-string"))).isEqualTo(-1486304829);
        assertThat(Partitioner.murmur2(ascii("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8"))).isEqualTo(-58897971);
        assertThat(Partitioner.murmur2(new byte[] {'a', 'b', 'c'})).isEqualTo(479470107);
    }

    @Test
    void partitionOfFixedKeys() {
        assertThat(Partitioner.partition(ascii("foobar"), 10)).isEqualTo((-790332482 & 0x7fffffff) % 10);
        assertThat(Partitioner.partition(ascii("21"), 3)).isEqualTo((-973932308 & 0x7fffffff) % 3);
        assertThat(Partitioner.partition(ascii("anything"), 1)).isZero();
    }

    @Test
    void matchesKafkaForRandomKeysOfEveryLength() {
        Random random = new Random(2024);
        for (int i = 0; i < 20_000; i++) {
            byte[] key = new byte[random.nextInt(64)];
            random.nextBytes(key);
            int partitions = 1 + random.nextInt(1000);
            assertThat(Partitioner.murmur2(key)).isEqualTo(Utils.murmur2(key));
            assertThat(Partitioner.partition(key, partitions)).isEqualTo(BuiltInPartitioner.partitionForKey(key, partitions));
        }
    }

    @Test
    void toPositiveClearsTheSignBitLikeKafka() {
        assertThat(Partitioner.toPositive(Integer.MIN_VALUE)).isEqualTo(Utils.toPositive(Integer.MIN_VALUE)).isZero();
        assertThat(Partitioner.toPositive(-1)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void refusesNullKeysAndNonPositivePartitionCounts() {
        assertThatThrownBy(() -> Partitioner.partition(null, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Partitioner.partition(ascii("k"), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
