package io.floe.log;

import java.util.List;

import io.floe.model.Message;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.runtime.Defaults;
import io.floe.store.MemoryObjectStore;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the Kafka path's {@link LogEngine#append} refuses before anything is buffered. */
class AppendValidationTest {

    private final LogEngine engine = new LogEngine(new MemoryObjectStore(), Clock.systemUTC(), new SplittableRandom(1),
            Defaults.log("v").withBackgroundThreads(false));

    @AfterEach
    void close() {
        engine.close();
    }

    private static ByteBuffer batch(int valueBytes) {
        return MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(new byte[valueBytes])).buffer();
    }

    private static ByteBuffer concat(ByteBuffer... parts) {
        int size = 0;
        for (ByteBuffer p : parts) {
            size += p.remaining();
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (ByteBuffer p : parts) {
            out.put(p.duplicate());
        }
        return out.flip();
    }

    /** The error an append was refused with at once (a refused append never waits for a flush). */
    private static ErrorCode refusal(java.util.concurrent.CompletableFuture<Long> f) {
        assertThat(f).as("refused before buffering").isCompletedExceptionally();
        Throwable t = f.handle((v, e) -> e).join();
        Throwable c = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        return ((FloeException) c).code();
    }

    private static ByteBuffer stamped(long... timestamps) {
        SimpleRecord[] records = new SimpleRecord[timestamps.length];
        for (int i = 0; i < timestamps.length; i++) {
            records[i] = new SimpleRecord(timestamps[i], new byte[1], new byte[1]);
        }
        return MemoryRecords.withRecords(Compression.NONE, records).buffer();
    }

    @Test
    void createTimeOutsideTheTopicsTimestampBoundsIsInvalidTimestamp() {
        engine.createTopic("bounded", 1, Map.of("message.timestamp.before.max.ms", "60000",
                "message.timestamp.after.max.ms", "60000"));
        long now = System.currentTimeMillis();
        assertThat(engine.append("bounded", 0, stamped(now - 30_000, now + 30_000))).isNotCompletedExceptionally();
        // One record out of range refuses the whole append, whichever record it is.
        assertThat(refusal(engine.append("bounded", 0, stamped(now, now + 600_000, now)))).isEqualTo(ErrorCode.INVALID_TIMESTAMP);
        assertThat(refusal(engine.append("bounded", 0, stamped(now, now - 600_000, now)))).isEqualTo(ErrorCode.INVALID_TIMESTAMP);
        assertThatThrownBy(() -> engine.produce("bounded", List.of(new Message(0, null, new byte[1], List.of(), now + 600_000))).join())
                .cause().isInstanceOf(FloeException.class).hasMessageContaining("is out of range. The timestamp should be within [");
        // Kafka 4's defaults: any age, at most an hour ahead.
        engine.createTopic("defaults", 1, Map.of());
        assertThat(engine.append("defaults", 0, stamped(1, now + 3_000_000))).isNotCompletedExceptionally();
        assertThat(refusal(engine.append("defaults", 0, stamped(now + 4_000_000)))).isEqualTo(ErrorCode.INVALID_TIMESTAMP);
        // LogAppendTime topics take any CreateTime: Floe's clock replaces it.
        engine.createTopic("stamped", 1, Map.of("message.timestamp.type", "LogAppendTime", "message.timestamp.after.max.ms", "0"));
        assertThat(engine.append("stamped", 0, stamped(now + 600_000))).isNotCompletedExceptionally();
    }

    @Test
    void maxMessageBytesIsCheckedPerBatchWhenARequestHoldsSeveral() {
        engine.createTopic("small", 1, Map.of("max.message.bytes", "1000"));
        ByteBuffer twoLarge = concat(batch(5000), batch(5000));
        assertThat(refusal(engine.append("small", 0, twoLarge))).isEqualTo(ErrorCode.RECORD_TOO_LARGE);
        // One large batch behind a small one is caught too.
        assertThat(refusal(engine.append("small", 0, concat(batch(10), batch(5000))))).isEqualTo(ErrorCode.RECORD_TOO_LARGE);
        engine.flushNow();
        assertThat(engine.offsets("small", 0).endOffset()).isZero();
        // Several batches each under the limit are fine even when together they exceed it.
        engine.append("small", 0, concat(batch(600), batch(600)));
        engine.flushNow();
        assertThat(engine.offsets("small", 0).endOffset()).isEqualTo(2);
    }

    @Test
    void aBatchWithAWrongCrcIsRefusedAsCorruptNotInvalid() {
        engine.createTopic("t", 1, Map.of());
        ByteBuffer damaged = batch(100);
        damaged.put(damaged.limit() - 1, (byte) (damaged.get(damaged.limit() - 1) ^ 1));
        assertThat(refusal(engine.append("t", 0, damaged))).isEqualTo(ErrorCode.CORRUPT_RECORD);
    }
}
