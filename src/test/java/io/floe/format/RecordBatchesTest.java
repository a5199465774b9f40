package io.floe.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.model.ErrorCode;
import io.floe.model.FetchedRecord;
import io.floe.model.FloeException;
import io.floe.model.Header;
import io.floe.model.Message;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

class RecordBatchesTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ByteBuffer concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.flip();
    }

    private static byte[] kafkaBatch(Compression compression, long timestamp, String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(timestamp + i, utf8("k" + i), utf8(values[i]));
        }
        ByteBuffer b = MemoryRecords.withRecords(compression, records).buffer();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** Recomputes the CRC-32C of a single batch after a test edited a field under it. */
    private static void fixCrc(byte[] batch) {
        ByteBuffer b = ByteBuffer.wrap(batch);
        CRC32C crc = new CRC32C();
        crc.update(batch, BatchHeader.ATTRIBUTES, batch.length - BatchHeader.ATTRIBUTES);
        b.putInt(BatchHeader.CRC, (int) crc.getValue());
    }

    private static void assertInvalid(byte[] bytes, String fragment) {
        assertThatThrownBy(() -> RecordBatches.inspect(ByteBuffer.wrap(bytes)))
                .isInstanceOfSatisfying(FloeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_RECORD))
                .hasMessageContaining(fragment);
    }

    @Test
    void buildThenDecodeKeepsKeysValuesHeadersAndNulls() {
        List<Message> messages = List.of(
                new Message(null, utf8("a"), utf8("one"), List.of(new Header("h", utf8("v")), new Header("n", null)), 1000L),
                new Message(null, null, null, null, null),
                new Message(null, new byte[0], utf8("three"), List.of(), 5L));
        ByteBuffer batches = ByteBuffer.wrap(RecordBatches.build(messages, 777L));
        RecordBatches.assignOffsets(batches, 40);

        List<FetchedRecord> records = RecordBatches.decode(3, batches, 0);

        assertThat(records).hasSize(3);
        FetchedRecord first = records.get(0);
        assertThat(first.partition()).isEqualTo(3);
        assertThat(first.offset()).isEqualTo(40);
        assertThat(first.timestamp()).isEqualTo(1000L);
        assertThat(first.key()).isEqualTo(utf8("a"));
        assertThat(first.value()).isEqualTo(utf8("one"));
        assertThat(first.headers()).hasSize(2);
        assertThat(first.headers().get(0).key()).isEqualTo("h");
        assertThat(first.headers().get(0).value()).isEqualTo(utf8("v"));
        assertThat(first.headers().get(1).value()).isNull();
        FetchedRecord second = records.get(1);
        assertThat(second.offset()).isEqualTo(41);
        assertThat(second.key()).isNull();
        assertThat(second.value()).isNull();
        assertThat(second.timestamp()).isEqualTo(777L);
        assertThat(records.get(2).key()).isEmpty();
        assertThat(records.get(2).offset()).isEqualTo(42);
    }

    @Test
    void buildRefusesAnEmptyListAndNegativeTimestamps() {
        assertThatThrownBy(() -> RecordBatches.build(List.of(), 0))
                .isInstanceOfSatisfying(FloeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_RECORD));
        assertThatThrownBy(() -> RecordBatches.build(List.of(new Message(null, null, utf8("x"), null, -5L)), 0))
                .isInstanceOfSatisfying(FloeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_RECORD))
                .hasMessageContaining("-5");
    }

    @Test
    void builtBatchHasTheV2HeaderFieldsAtTheDocumentedOffsets() {
        byte[] bytes = RecordBatches.build(List.of(Message.of(null, utf8("x")), Message.of(null, utf8("y"))), 99L);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        assertThat(b.getLong(BatchHeader.BASE_OFFSET)).isZero();
        assertThat(b.getInt(BatchHeader.BATCH_LENGTH)).isEqualTo(bytes.length - BatchHeader.LOG_OVERHEAD);
        assertThat(b.get(BatchHeader.MAGIC)).isEqualTo((byte) 2);
        assertThat(b.getInt(BatchHeader.LAST_OFFSET_DELTA)).isEqualTo(1);
        assertThat(b.getLong(BatchHeader.BASE_TIMESTAMP)).isEqualTo(99L);
        assertThat(b.getLong(BatchHeader.MAX_TIMESTAMP)).isEqualTo(99L);
        assertThat(b.getLong(BatchHeader.PRODUCER_ID)).isEqualTo(-1L);
        assertThat(b.getInt(BatchHeader.RECORD_COUNT)).isEqualTo(2);
    }

    @Test
    void inspectSummarisesSeveralBatchesWithoutMovingThePosition() {
        byte[] one = RecordBatches.build(List.of(new Message(null, null, utf8("a"), null, 10L)), 0);
        byte[] two = RecordBatches.build(List.of(new Message(null, null, utf8("b"), null, 30L),
                new Message(null, null, utf8("c"), null, 20L)), 0);
        ByteBuffer batches = concat(one, two);

        RecordBatches.Summary s = RecordBatches.inspect(batches);

        assertThat(s).isEqualTo(new RecordBatches.Summary(2, 3, 3, 30L, one.length + two.length, Math.max(one.length, two.length),
                10L));
        assertThat(batches.position()).isZero();
    }

    @Test
    void inspectCountsOffsetsFromLastOffsetDeltaNotRecordCount() {
        // A compacted batch: 2 records left of an offset range of 5 (lastOffsetDelta 4).
        byte[] batch = RecordBatches.build(List.of(Message.of(null, utf8("a")), Message.of(null, utf8("b"))), 1);
        ByteBuffer.wrap(batch).putInt(BatchHeader.LAST_OFFSET_DELTA, 4);
        fixCrc(batch);
        assertThat(RecordBatches.inspect(ByteBuffer.wrap(batch)).offsetCount()).isEqualTo(5);
    }

    @Test
    void assignOffsetsNumbersBatchesConsecutivelyAndKeepsTheCrcValid() {
        byte[] one = RecordBatches.build(List.of(Message.of(null, utf8("a")), Message.of(null, utf8("b"))), 1);
        byte[] two = RecordBatches.build(List.of(Message.of(null, utf8("c"))), 1);
        ByteBuffer batches = concat(new byte[7], one, two).position(7);

        RecordBatches.assignOffsets(batches, 1_000_000_000_000L);

        assertThat(batches.position()).isEqualTo(7);
        assertThat(batches.getLong(7)).isEqualTo(1_000_000_000_000L);
        assertThat(batches.getLong(7 + one.length)).isEqualTo(1_000_000_000_002L);
        RecordBatches.inspect(batches);
        assertThat(RecordBatches.decode(0, batches, 0)).extracting(FetchedRecord::offset)
                .containsExactly(1_000_000_000_000L, 1_000_000_000_001L, 1_000_000_000_002L);
    }

    @Test
    void decodeDecompressesEveryCodecKafkaClientsUse() {
        for (Compression c : List.of(Compression.NONE, Compression.gzip().build(), Compression.snappy().build(),
                Compression.lz4().build(), Compression.zstd().build())) {
            byte[] batch = kafkaBatch(c, 500L, "x", "y", "z");
            ByteBuffer b = ByteBuffer.wrap(batch);
            assertThat(RecordBatches.inspect(b).recordCount()).as(c.type().name).isEqualTo(3);
            RecordBatches.assignOffsets(b, 10);
            List<FetchedRecord> records = RecordBatches.decode(0, b, 11);
            assertThat(records).as(c.type().name).extracting(FetchedRecord::offset).containsExactly(11L, 12L);
            assertThat(records.get(1).value()).isEqualTo(utf8("z"));
            assertThat(records.get(1).timestamp()).isEqualTo(502L);
        }
    }

    @Test
    void decodeSkipsControlBatchesAndRecordsBelowFromOffset() {
        byte[] data = kafkaBatch(Compression.NONE, 1L, "a", "b");
        ByteBuffer marker = MemoryRecords.withEndTransactionMarker(0L, 7L, (short) 0,
                new EndTransactionMarker(ControlRecordType.COMMIT, 0)).buffer();
        byte[] control = new byte[marker.remaining()];
        marker.get(control);
        ByteBuffer batches = concat(data, control, data);
        RecordBatches.assignOffsets(batches, 0);

        assertThat(RecordBatches.inspect(batches).offsetCount()).isEqualTo(5);
        assertThat(RecordBatches.decode(0, batches, 1)).extracting(FetchedRecord::offset).containsExactly(1L, 3L, 4L);
        assertThat(RecordBatches.decode(0, batches, 5)).isEmpty();
    }

    @Test
    void offsetForTimestampFindsTheFirstRecordAtOrAfterTheTimestamp() {
        byte[] one = RecordBatches.build(List.of(new Message(null, null, utf8("a"), null, 100L),
                new Message(null, null, utf8("b"), null, 300L)), 0);
        byte[] two = RecordBatches.build(List.of(new Message(null, null, utf8("c"), null, 200L),
                new Message(null, null, utf8("d"), null, 400L)), 0);
        ByteBuffer batches = concat(one, two);
        RecordBatches.assignOffsets(batches, 50);

        assertThat(RecordBatches.offsetForTimestamp(batches, 0)).isEqualTo(50);
        assertThat(RecordBatches.offsetForTimestamp(batches, 100)).isEqualTo(50);
        assertThat(RecordBatches.offsetForTimestamp(batches, 101)).isEqualTo(51);
        assertThat(RecordBatches.offsetForTimestamp(batches, 350)).isEqualTo(53);
        assertThat(RecordBatches.offsetForTimestamp(batches, 401)).isEqualTo(-1);
        assertThat(batches.position()).isZero();
    }

    @Test
    void inspectRejectsEmptyInput() {
        assertInvalid(new byte[0], "empty");
    }

    @Test
    void inspectRejectsTruncatedFramesAtEveryLength() {
        byte[] batch = RecordBatches.build(List.of(Message.of(utf8("k"), utf8("value"))), 1);
        for (int n = 1; n < batch.length; n++) {
            byte[] prefix = java.util.Arrays.copyOf(batch, n);
            assertThatThrownBy(() -> RecordBatches.inspect(ByteBuffer.wrap(prefix)))
                    .isInstanceOfSatisfying(FloeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_RECORD))
                    .hasMessageContaining("Record batch 0");
        }
    }

    @Test
    void inspectNamesTheBatchThatIsBad() {
        byte[] good = RecordBatches.build(List.of(Message.of(null, utf8("a"))), 1);
        byte[] bad = good.clone();
        bad[bad.length - 1] ^= 1;
        assertThatThrownBy(() -> RecordBatches.inspect(concat(good, bad)))
                .hasMessageContaining("Record batch 1 (at byte " + good.length + ")")
                .hasMessageContaining("CRC");
    }

    @Test
    void inspectRejectsBatchLengthTooSmallOrTooLarge() {
        byte[] batch = RecordBatches.build(List.of(Message.of(null, utf8("a"))), 1);
        byte[] small = batch.clone();
        ByteBuffer.wrap(small).putInt(BatchHeader.BATCH_LENGTH, 48);
        assertInvalid(small, "batchLength 48");
        byte[] large = batch.clone();
        ByteBuffer.wrap(large).putInt(BatchHeader.BATCH_LENGTH, Integer.MAX_VALUE);
        assertInvalid(large, "batchLength " + Integer.MAX_VALUE);
    }

    @Test
    void inspectRejectsOtherMagicValues() {
        byte[] batch = RecordBatches.build(List.of(Message.of(null, utf8("a"))), 1);
        batch[BatchHeader.MAGIC] = 1;
        assertInvalid(batch, "magic 1");
    }

    @Test
    void inspectAnswersACrcMismatchAsCorruptRecord() {
        byte[] batch = RecordBatches.build(List.of(Message.of(null, utf8("a"))), 1);
        batch[BatchHeader.RECORDS + 3] ^= 0x40;
        assertThatThrownBy(() -> RecordBatches.inspect(ByteBuffer.wrap(batch)))
                .isInstanceOfSatisfying(FloeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_RECORD))
                .hasMessageContaining("CRC");
    }

    @Test
    void inspectDoesNotCoverTheBaseOffsetWithTheCrc() {
        byte[] batch = RecordBatches.build(List.of(Message.of(null, utf8("a"))), 1);
        ByteBuffer.wrap(batch).putLong(BatchHeader.BASE_OFFSET, 123456789L);
        assertThat(RecordBatches.inspect(ByteBuffer.wrap(batch)).batchCount()).isEqualTo(1);
    }

    @Test
    void inspectRejectsNegativeLastOffsetDeltaAndRecordCount() {
        byte[] batch = RecordBatches.build(List.of(Message.of(null, utf8("a"))), 1);
        byte[] delta = batch.clone();
        ByteBuffer.wrap(delta).putInt(BatchHeader.LAST_OFFSET_DELTA, -1);
        fixCrc(delta);
        assertInvalid(delta, "lastOffsetDelta -1");
        byte[] count = batch.clone();
        ByteBuffer.wrap(count).putInt(BatchHeader.RECORD_COUNT, -2);
        fixCrc(count);
        assertInvalid(count, "recordCount -2");
    }

    @Test
    void inspectRejectsARecordCountThatDisagreesWithTheRecords() {
        byte[] batch = RecordBatches.build(List.of(Message.of(null, utf8("a")), Message.of(null, utf8("b"))), 1);
        ByteBuffer.wrap(batch).putInt(BatchHeader.RECORD_COUNT, 1);
        fixCrc(batch);
        assertInvalid(batch, "Record batch 0");
    }

    @Test
    void inspectRejectsUnknownCompressionCodecs() {
        byte[] batch = RecordBatches.build(List.of(Message.of(null, utf8("a"))), 1);
        ByteBuffer.wrap(batch).putShort(BatchHeader.ATTRIBUTES, (short) 7);
        fixCrc(batch);
        assertInvalid(batch, "compression codec 7");
    }

    @Test
    void inspectFailsOnlyWithInvalidRecordOnRandomGarbage() {
        Fuzz.randomGarbage(ErrorCode.INVALID_RECORD, 42, 20_000, b -> RecordBatches.inspect(ByteBuffer.wrap(b)));
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            // garbage behind a plausible header, so that the deeper checks run too
            byte[] b = new byte[BatchHeader.HEADER_SIZE + random.nextInt(200)];
            random.nextBytes(b);
            ByteBuffer.wrap(b).putInt(BatchHeader.BATCH_LENGTH, b.length - BatchHeader.LOG_OVERHEAD).put(BatchHeader.MAGIC, (byte) 2);
            fixCrc(b);
            Fuzz.decodesOrFailsWith(ErrorCode.INVALID_RECORD, b, x -> RecordBatches.inspect(ByteBuffer.wrap(x)));
        }
    }

    @Test
    void inspectFailsOnlyWithInvalidRecordOnDamagedRecordsUnderAValidCrc() {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(RecordBatches.build(List.of(new Message(null, utf8("key"), utf8("value"),
                List.of(new Header("h", utf8("v"))), 5L), Message.of(null, null)), 1));
        for (Compression c : List.of(Compression.gzip().build(), Compression.snappy().build(),
                Compression.lz4().build(), Compression.zstd().build())) {
            seeds.add(kafkaBatch(c, 1L, "alpha", "beta", "gamma"));
        }
        Random random = new Random(11);
        for (byte[] seed : seeds) {
            for (int i = 0; i < 1_000; i++) {
                byte[] b = seed.clone();
                int at = BatchHeader.ATTRIBUTES + random.nextInt(b.length - BatchHeader.ATTRIBUTES);
                b[at] ^= (byte) (1 + random.nextInt(255));
                fixCrc(b);
                Fuzz.decodesOrFailsWith(ErrorCode.INVALID_RECORD, b, x -> RecordBatches.inspect(ByteBuffer.wrap(x)));
            }
        }
    }

    @org.junit.jupiter.api.Test
    void fromOffsetDropsWholeBatchesEndingBeforeTheOffsetAndKeepsTheOneHoldingIt() {
        java.util.List<byte[]> parts = new java.util.ArrayList<>();
        for (int b = 0; b < 3; b++) {
            java.util.List<io.floe.model.Message> ms = new java.util.ArrayList<>();
            for (int r = 0; r < 4; r++) {
                ms.add(io.floe.model.Message.of(null, ("b" + b + "r" + r).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            parts.add(RecordBatches.build(ms, 1L));
        }
        java.nio.ByteBuffer run = java.nio.ByteBuffer.allocate(parts.stream().mapToInt(x -> x.length).sum());
        parts.forEach(run::put);
        run.flip();
        RecordBatches.assignOffsets(run, 10);
        java.nio.ByteBuffer from = RecordBatches.fromOffset(run, 15);
        org.assertj.core.api.Assertions.assertThat(from.remaining()).isEqualTo(parts.get(1).length + parts.get(2).length);
        org.assertj.core.api.Assertions.assertThat(RecordBatches.decode(0, from, 0)).first()
                .satisfies(r -> org.assertj.core.api.Assertions.assertThat(r.offset()).isEqualTo(14));
        org.assertj.core.api.Assertions.assertThat(RecordBatches.fromOffset(run, 0).remaining()).isEqualTo(run.remaining());
        org.assertj.core.api.Assertions.assertThat(RecordBatches.fromOffset(run, 22).remaining()).isZero();
        org.assertj.core.api.Assertions.assertThat(run.position()).isZero();
    }
}
