package io.floe.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.model.FloeException;
import io.floe.model.Topic;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class WriteBufferTest {

    private static final Topic TOPIC = new Topic("t", "id", 1, io.floe.model.TopicConfig.empty(), 0L);

    private static WriteBuffer.Pending append(int bytes) {
        return new WriteBuffer.Pending(TOPIC, 0, ByteBuffer.allocate(bytes), 1, 1L, new CompletableFuture<>());
    }

    @Test
    void aFlushTakesTheOldestAppendsUpToTheObjectSizeAndAtLeastOne() {
        WriteBuffer buffer = new WriteBuffer(1 << 20);
        buffer.add(List.of(append(400), append(400), append(400)), 0);
        assertThat(buffer.drain(1000)).hasSize(2);
        assertThat(buffer.drain(100)).as("one append larger than the limit goes alone").hasSize(1);
        assertThat(buffer.isEmpty()).isTrue();
    }

    @Test
    void bytesInFlushesNotYetCommittedCountAgainstTheBufferLimit() {
        WriteBuffer buffer = new WriteBuffer(1000);
        buffer.add(List.of(append(600)), 0);
        List<WriteBuffer.Pending> flush = buffer.drain(1000);
        assertThatThrownBy(() -> buffer.add(List.of(append(600)), 1)).isInstanceOf(FloeException.class);
        buffer.flushed(flush.stream().mapToLong(p -> p.bytes().remaining()).sum());
        buffer.add(List.of(append(600)), 2);
        assertThat(buffer.isEmpty()).isFalse();
    }
}
