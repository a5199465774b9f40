package io.floe.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.model.ErrorCode;
import io.floe.model.Message;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentFormatTest {

    private static ByteBuffer batch(String value) {
        return ByteBuffer.wrap(RecordBatches.build(List.of(Message.of(null, value.getBytes())), 1));
    }

    private static List<SegmentFormat.Chunk> threeChunks() {
        return List.of(new SegmentFormat.Chunk("topic-a", 0, batch("a0")),
                new SegmentFormat.Chunk("topic-b", 7, batch("b7-longer")),
                new SegmentFormat.Chunk("topic-a", 1, batch("a1")));
    }

    @Test
    void aChunkOfSeveralPartsEncodesAsItsPartsConcatenated() {
        java.nio.ByteBuffer a = batch("a0");
        java.nio.ByteBuffer b = batch("a0-more");
        java.nio.ByteBuffer joined = java.nio.ByteBuffer.allocate(a.remaining() + b.remaining());
        joined.put(a.duplicate()).put(b.duplicate()).flip();
        byte[] fromParts = SegmentFormat.encode(List.of(new SegmentFormat.Chunk("topic-a", 0, List.of(a, b)),
                new SegmentFormat.Chunk("topic-é", 1, batch("b")))).bytes();
        byte[] fromOne = SegmentFormat.encode(List.of(new SegmentFormat.Chunk("topic-a", 0, joined),
                new SegmentFormat.Chunk("topic-é", 1, batch("b")))).bytes();
        assertThat(fromParts).isEqualTo(fromOne);
        assertThat(SegmentFormat.readIndex(fromParts)).hasSize(2);
        assertThat(a.remaining()).as("parts are read, not consumed").isPositive();
    }

    @Test
    void encodeLocatesChunksInInputOrderAndReadIndexAgrees() {
        SegmentFormat.Encoded e = SegmentFormat.encode(threeChunks());

        assertThat(e.chunks()).extracting(SegmentFormat.Located::topicId).containsExactly("topic-a", "topic-b", "topic-a");
        assertThat(e.chunks().get(0).position()).isEqualTo(SegmentFormat.HEADER_SIZE);
        assertThat(SegmentFormat.readIndex(e.bytes())).isEqualTo(e.chunks());
        for (int i = 0; i < 3; i++) {
            SegmentFormat.Located l = e.chunks().get(i);
            ByteBuffer range = ByteBuffer.wrap(e.bytes(), (int) l.position(), l.length()).slice();
            assertThat(range).isEqualTo(threeChunks().get(i).bytes());
        }
    }

    @Test
    void encodeDoesNotMoveTheChunkBuffers() {
        ByteBuffer b = batch("x");
        SegmentFormat.encode(List.of(new SegmentFormat.Chunk("t", 0, b)));
        assertThat(b.position()).isZero();
    }

    @Test
    void emptySegmentAndEmptyChunksRoundTrip() {
        assertThat(SegmentFormat.readIndex(SegmentFormat.encode(List.of()).bytes())).isEmpty();
        SegmentFormat.Encoded e = SegmentFormat.encode(List.of(new SegmentFormat.Chunk("t", 0, ByteBuffer.allocate(0))));
        assertThat(SegmentFormat.readIndex(e.bytes())).containsExactly(new SegmentFormat.Located("t", 0, 8, 0));
    }

    @Test
    void topicIdsAreStoredOncePerSegment() {
        List<SegmentFormat.Chunk> chunks = new ArrayList<>();
        String topic = "0123456789abcdef0123456789abcdef";
        for (int p = 0; p < 1000; p++) {
            chunks.add(new SegmentFormat.Chunk(topic, p, ByteBuffer.allocate(0)));
        }
        byte[] bytes = SegmentFormat.encode(chunks).bytes();
        assertThat(bytes.length).isEqualTo(SegmentFormat.HEADER_SIZE + 4 + 2 + topic.length()
                + 1000 * SegmentFormat.INDEX_ENTRY_SIZE + SegmentFormat.FOOTER_SIZE);
        assertThat(SegmentFormat.readIndex(bytes)).hasSize(1000);
    }

    @Test
    void footerIsTheFixedTailOfTheObject() {
        byte[] bytes = SegmentFormat.encode(threeChunks()).bytes();
        ByteBuffer b = ByteBuffer.wrap(bytes);
        assertThat(b.getInt(0)).isEqualTo(SegmentFormat.MAGIC);
        assertThat(b.getInt(bytes.length - 4)).isEqualTo(SegmentFormat.FOOTER_MAGIC);
        long indexPosition = b.getLong(bytes.length - SegmentFormat.FOOTER_SIZE);
        int indexLength = b.getInt(bytes.length - SegmentFormat.FOOTER_SIZE + 8);
        assertThat(indexPosition + indexLength).isEqualTo(bytes.length - SegmentFormat.FOOTER_SIZE);
    }

    @Test
    void readIndexRejectsAnUnknownVersion() {
        byte[] bytes = SegmentFormat.encode(threeChunks()).bytes();
        bytes[4] = 2;
        assertThatThrownBy(() -> SegmentFormat.readIndex(bytes)).isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining("version 2");
    }

    @Test
    void readIndexRejectsAnIndexWhoseCrcDoesNotMatch() {
        byte[] bytes = SegmentFormat.encode(threeChunks()).bytes();
        bytes[bytes.length - SegmentFormat.FOOTER_SIZE - 3] ^= 1;
        assertThatThrownBy(() -> SegmentFormat.readIndex(bytes)).isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining("CRC");
    }

    @Test
    void readIndexRejectsEveryTruncation() {
        byte[] bytes = SegmentFormat.encode(threeChunks()).bytes();
        Fuzz.everyTruncationFails(ErrorCode.CORRUPT_OBJECT, bytes, SegmentFormat::readIndex);
        // a suffix (what a ranged GET from the wrong offset would give) fails too
        assertThatThrownBy(() -> SegmentFormat.readIndex(Arrays.copyOfRange(bytes, 5, bytes.length)))
                .isInstanceOf(CorruptObjectException.class);
    }

    @Test
    void readIndexFailsOnlyWithCorruptObjectOnDamagedOrRandomBytes() {
        byte[] bytes = SegmentFormat.encode(threeChunks()).bytes();
        Fuzz.randomFlips(ErrorCode.CORRUPT_OBJECT, bytes, 1, 20_000, false, SegmentFormat::readIndex);
        Fuzz.randomGarbage(ErrorCode.CORRUPT_OBJECT, 2, 20_000, SegmentFormat::readIndex);
    }
}
