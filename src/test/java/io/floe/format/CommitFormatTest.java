package io.floe.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.model.ErrorCode;
import io.floe.model.Message;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommitFormatTest {

    private static ByteBuffer batch(String value) {
        return ByteBuffer.wrap(RecordBatches.build(List.of(Message.of(null, value.getBytes())), 1));
    }

    private static List<CommitFormat.Draft> mixedDrafts() {
        return List.of(
                new CommitFormat.Draft(0, 100, 1, 1L, 0, 0, batch("inline-0")),
                new CommitFormat.Draft(1, 200, 5, 9L, 8, 321, null),
                new CommitFormat.Draft(2, 0, 1, 1L, 0, 0, batch("inline-2, a bit longer")));
    }

    @Test
    void roundTripsHeaderAndEntries() {
        byte[] bytes = CommitFormat.encode(42, "commit-1", "writer-a", 1_700_000_000_000L, "segments/x", mixedDrafts());
        Commit c = CommitFormat.decode(bytes);

        assertThat(c.sequence()).isEqualTo(42);
        assertThat(c.commitId()).isEqualTo("commit-1");
        assertThat(c.writerId()).isEqualTo("writer-a");
        assertThat(c.timestampMs()).isEqualTo(1_700_000_000_000L);
        assertThat(c.segmentKey()).isEqualTo("segments/x");
        assertThat(c.entries()).hasSize(3);
        assertThat(c.entries().get(1)).isEqualTo(new Commit.Entry(1, 200, 5, 9L, false, 8, 321));
    }

    @Test
    void inlineEntryPositionsAreAbsoluteWithinTheCommitObject() {
        List<CommitFormat.Draft> drafts = mixedDrafts();
        byte[] bytes = CommitFormat.encode(1, "c", "w", 0, "segments/x", drafts);
        Commit c = CommitFormat.decode(bytes);
        for (int i : new int[] {0, 2}) {
            Commit.Entry e = c.entries().get(i);
            assertThat(e.inline()).isTrue();
            ByteBuffer slice = ByteBuffer.wrap(bytes, (int) e.position(), e.length()).slice();
            assertThat(slice).isEqualTo(drafts.get(i).inlineBytes());
            assertThat(RecordBatches.inspect(slice).recordCount()).isEqualTo(1);
        }
        assertThat(drafts.get(0).inlineBytes().position()).isZero();
    }

    @Test
    void allInlineCommitHasNoSegmentKey() {
        byte[] bytes = CommitFormat.encode(0, "c", "w", 0, null,
                List.of(new CommitFormat.Draft(3, 0, 1, 1L, 0, 0, batch("x"))));
        assertThat(CommitFormat.decode(bytes).segmentKey()).isNull();
    }

    @Test
    void segmentEntryWithoutSegmentKeyIsRefusedAtEncode() {
        assertThatThrownBy(() -> CommitFormat.encode(0, "c", "w", 0, null,
                List.of(new CommitFormat.Draft(3, 0, 1, 1L, 0, 10, null)))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptyCommitRoundTrips() {
        Commit c = CommitFormat.decode(CommitFormat.encode(7, "", "w", 0, null, List.of()));
        assertThat(c.entries()).isEmpty();
        assertThat(c.commitId()).isEmpty();
    }

    @Test
    void manyEntriesAndLongStringsRoundTrip() {
        List<CommitFormat.Draft> drafts = new ArrayList<>();
        for (int p = 0; p < 10_000; p++) {
            drafts.add(new CommitFormat.Draft(p, Long.MAX_VALUE - Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE, (long) p * 100, 100, null));
        }
        String longKey = "s".repeat(ObjectWriter.MAX_STRING_BYTES);
        Commit c = CommitFormat.decode(CommitFormat.encode(Long.MAX_VALUE, "c", "w", -1, longKey, drafts));
        assertThat(c.entries()).hasSize(10_000);
        assertThat(c.segmentKey()).isEqualTo(longKey);
        assertThat(c.entries().get(9_999).position()).isEqualTo(999_900L);
        assertThatThrownBy(() -> CommitFormat.encode(0, "c", "w", 0, longKey + "s", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decodeRejectsBadMagicUnknownVersionAndBadCrc() {
        byte[] good = CommitFormat.encode(1, "c", "w", 0, "seg", mixedDrafts());
        byte[] magic = good.clone();
        magic[0] = 'X';
        assertThatThrownBy(() -> CommitFormat.decode(magic)).isInstanceOf(CorruptObjectException.class).hasMessageContaining("magic");
        byte[] version = good.clone();
        version[4] = 9;
        assertThatThrownBy(() -> CommitFormat.decode(version)).isInstanceOf(CorruptObjectException.class).hasMessageContaining("version 9");
        byte[] crc = good.clone();
        crc[30] ^= 1;
        assertThatThrownBy(() -> CommitFormat.decode(crc)).isInstanceOf(CorruptObjectException.class).hasMessageContaining("CRC");
    }

    @Test
    void decodeRejectsInconsistentInlineLengthEvenUnderAValidCrc() {
        byte[] bytes = CommitFormat.encode(1, "c", "w", 0, "seg", mixedDrafts());
        // inline length is the u32 right before the first entry: 4+1+8+8 + (2+1) + (2+1) + (2+3) + 4
        int at = 4 + 1 + 8 + 8 + 3 + 3 + 5 + 4;
        ByteBuffer.wrap(bytes).putInt(at, ByteBuffer.wrap(bytes).getInt(at) + 1);
        Fuzz.fixTrailingCrc(bytes);
        assertThatThrownBy(() -> CommitFormat.decode(bytes)).isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining("inline length");
    }

    @Test
    void decodeRejectsEveryTruncation() {
        Fuzz.everyTruncationFails(ErrorCode.CORRUPT_OBJECT, CommitFormat.encode(1, "c", "w", 0, "seg", mixedDrafts()),
                CommitFormat::decode);
    }

    @Test
    void decodeFailsOnlyWithCorruptObjectOnDamagedOrRandomBytes() {
        byte[] bytes = CommitFormat.encode(1, "c", "w", 0, "seg", mixedDrafts());
        Fuzz.randomFlips(ErrorCode.CORRUPT_OBJECT, bytes, 3, 20_000, false, CommitFormat::decode);
        Fuzz.randomFlips(ErrorCode.CORRUPT_OBJECT, bytes, 4, 20_000, true, CommitFormat::decode);
        Fuzz.randomGarbage(ErrorCode.CORRUPT_OBJECT, 5, 20_000, CommitFormat::decode);
    }

    @Test
    void controlEntriesRoundTripAsVersion2WhileAppendOnlyCommitsStayVersion1() {
        byte[] v1 = CommitFormat.encode(3, "c", "w", 5, null, java.util.List.of(
                new CommitFormat.Draft(0, 10, 2, 7, 0, 0, java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}))));
        assertThat(v1[4]).isEqualTo((byte) 1);
        java.util.List<Commit.Control> controls = java.util.List.of(
                new Commit.Truncate(1, 42),
                new Commit.Replace(0, 10, 30, java.util.List.of(new IndexEntry(10, 5, 99, "merged/t/1", 8, 100),
                        new IndexEntry(15, 15, 100, "merged/t/1", 108, 200)), 30),
                new Commit.Replace(2, 0, 4, java.util.List.of(new IndexEntry(0, 4, 1, "segments/s", 8, 9)), -1));
        byte[] v2 = CommitFormat.encode(4, "c2", "janitor", 6, null, java.util.List.of(
                new CommitFormat.Draft(0, 12, 1, 7, 0, 0, java.nio.ByteBuffer.wrap(new byte[] {9}))), controls);
        assertThat(v2[4]).isEqualTo((byte) 2);
        Commit c = CommitFormat.decode(v2);
        assertThat(c.controls()).isEqualTo(controls);
        assertThat(c.entries()).hasSize(1);
        assertThat(v2[(int) c.entries().get(0).position()]).isEqualTo((byte) 9);
        assertThat(CommitFormat.decode(v1).controls()).isEmpty();
        byte[] corrupt = v2.clone();
        corrupt[corrupt.length - 5] ^= 1;
        assertThatThrownBy(() -> CommitFormat.decode(corrupt)).isInstanceOf(CorruptObjectException.class);
    }

    private static final List<Commit.ProducerBatch> PRODUCER_BATCHES = List.of(
            new Commit.ProducerBatch(0, 100, 100, 7, (short) 2, 10, 10, Commit.BatchKind.IDEMPOTENT),
            new Commit.ProducerBatch(1, 200, 203, 8, (short) 0, 0, 3, Commit.BatchKind.TRANSACTIONAL),
            new Commit.ProducerBatch(1, 204, 204, 8, (short) 0, -1, -1, Commit.BatchKind.ABORT_MARKER),
            new Commit.ProducerBatch(2, 0, 0, 9, Short.MAX_VALUE, -1, -1, Commit.BatchKind.COMMIT_MARKER));

    @Test
    void producerBatchesRoundTripAsVersion3() {
        byte[] bytes = CommitFormat.encode(5, "c", "w", 0, "segments/x", mixedDrafts(), List.of(), PRODUCER_BATCHES);
        assertThat(bytes[4]).isEqualTo((byte) 3);
        Commit c = CommitFormat.decode(bytes);
        assertThat(c.producerBatches()).isEqualTo(PRODUCER_BATCHES);
        assertThat(c.entries()).hasSize(3);
        assertThat(CommitFormat.decode(CommitFormat.encode(5, "c", "w", 0, "segments/x", mixedDrafts())).producerBatches())
                .isEmpty();
    }

    @Test
    void version3FailsOnlyAsCorruptWhenDamaged() {
        byte[] bytes = CommitFormat.encode(5, "c", "w", 0, "segments/x", mixedDrafts(), List.of(), PRODUCER_BATCHES);
        Fuzz.everyTruncationFails(ErrorCode.CORRUPT_OBJECT, bytes, CommitFormat::decode);
        Fuzz.randomFlips(ErrorCode.CORRUPT_OBJECT, bytes, 13, 5_000, true, CommitFormat::decode);
    }
}
