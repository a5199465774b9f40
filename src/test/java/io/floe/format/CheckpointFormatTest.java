package io.floe.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.model.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointFormatTest {

    private static Checkpoint small() {
        return new Checkpoint(12, 1_700_000_000_000L, List.of(
                new Checkpoint.PartitionState(0, 0, 15, List.of(
                        new IndexEntry(0, 10, 5L, "segments/a", 8, 100),
                        new IndexEntry(10, 5, 6L, "data/t/commits/00000000000000000003", 120, 50))),
                new Checkpoint.PartitionState(1, 0, 0, List.of()),
                new Checkpoint.PartitionState(2, 7, 9, List.of(new IndexEntry(7, 2, -1L, "segments/a", 108, 12)))));
    }

    @Test
    void roundTripsPartitionsAndEntries() {
        assertThat(CheckpointFormat.decode(CheckpointFormat.encode(small()))).isEqualTo(small());
    }

    @Test
    void emptyCheckpointRoundTrips() {
        Checkpoint empty = new Checkpoint(0, 0, List.of());
        assertThat(CheckpointFormat.decode(CheckpointFormat.encode(empty))).isEqualTo(empty);
    }

    @Test
    void objectKeysAreStoredOnceAndSharedAfterDecoding() {
        List<IndexEntry> entries = new ArrayList<>();
        String[] keys = {"segments/0001700000000000-writer-1", "segments/0001700000000001-writer-2"};
        for (int i = 0; i < 50_000; i++) {
            entries.add(new IndexEntry(i * 10L, 10, i, keys[i % 2], i * 1000L, 1000));
        }
        List<Checkpoint.PartitionState> partitions = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            partitions.add(new Checkpoint.PartitionState(p, 0, 500_000, entries));
        }
        Checkpoint big = new Checkpoint(99, 1, partitions);

        byte[] bytes = CheckpointFormat.encode(big);
        Checkpoint decoded = CheckpointFormat.decode(bytes);

        assertThat(bytes.length).isLessThan(200_000 * CheckpointFormat.ENTRY_SIZE + 4 * 24 + 200);
        assertThat(decoded).isEqualTo(big);
        assertThat(decoded.partitions().get(3).entries().get(0).objectKey())
                .isSameAs(decoded.partitions().get(0).entries().get(2).objectKey());
    }

    @Test
    void decodeRejectsBadMagicUnknownVersionAndBadCrc() {
        byte[] good = CheckpointFormat.encode(small());
        byte[] magic = good.clone();
        magic[1] = 0;
        assertThatThrownBy(() -> CheckpointFormat.decode(magic)).isInstanceOf(CorruptObjectException.class).hasMessageContaining("magic");
        byte[] version = good.clone();
        version[4] = 9;
        assertThatThrownBy(() -> CheckpointFormat.decode(version)).isInstanceOf(CorruptObjectException.class).hasMessageContaining("version 9");
        byte[] crc = good.clone();
        crc[good.length - 10] ^= 1;
        assertThatThrownBy(() -> CheckpointFormat.decode(crc)).isInstanceOf(CorruptObjectException.class).hasMessageContaining("CRC");
    }

    @Test
    void decodeRejectsEveryTruncation() {
        Fuzz.everyTruncationFails(ErrorCode.CORRUPT_OBJECT, CheckpointFormat.encode(small()), CheckpointFormat::decode);
    }

    @Test
    void decodeFailsOnlyWithCorruptObjectOnDamagedOrRandomBytes() {
        byte[] bytes = CheckpointFormat.encode(small());
        Fuzz.randomFlips(ErrorCode.CORRUPT_OBJECT, bytes, 6, 20_000, false, CheckpointFormat::decode);
        Fuzz.randomFlips(ErrorCode.CORRUPT_OBJECT, bytes, 7, 20_000, true, CheckpointFormat::decode);
        Fuzz.randomGarbage(ErrorCode.CORRUPT_OBJECT, 8, 20_000, CheckpointFormat::decode);
    }

    private static Checkpoint withProducers() {
        return new Checkpoint(3, 9, List.of(new Checkpoint.PartitionState(0, 4, 30,
                List.of(new IndexEntry(4, 26, 5L, "segments/a", 8, 100)), 4,
                List.of(new Checkpoint.Producer(7, (short) 1, 1_700_000_000_000L, -1,
                                List.of(new Checkpoint.SeqRange(0, 4, 4, 8), new Checkpoint.SeqRange(5, 5, 9, 9))),
                        new Checkpoint.Producer(8, (short) 0, 5, 20, List.of(new Checkpoint.SeqRange(0, 0, 20, 20)))),
                List.of(new Checkpoint.AbortedTxn(9, 10, 15)))));
    }

    @Test
    void producerStateAndAbortedTransactionsRoundTripAsVersion3() {
        byte[] bytes = CheckpointFormat.encode(withProducers());
        assertThat(bytes[4]).isEqualTo((byte) 3);
        assertThat(CheckpointFormat.decode(bytes)).isEqualTo(withProducers());
        Fuzz.everyTruncationFails(ErrorCode.CORRUPT_OBJECT, bytes, CheckpointFormat::decode);
        Fuzz.randomFlips(ErrorCode.CORRUPT_OBJECT, bytes, 17, 5_000, true, CheckpointFormat::decode);
    }
}
