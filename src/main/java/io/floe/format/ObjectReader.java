package io.floe.format;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/**
 * A bounds-checked big-endian reader over one object's bytes. Every read checks what remains and
 * fails with a {@link CorruptObjectException} that names the object kind, the field and the byte
 * position, so that a truncated or damaged object never surfaces as an IndexOutOfBoundsException.
 * Owned by one thread for the duration of one decode.
 */
final class ObjectReader {

    private final byte[] buf;
    private final String what;
    private int pos;
    private int limit;

    ObjectReader(byte[] buf, String what) {
        this.buf = buf;
        this.what = what;
        this.limit = buf.length;
    }

    int position() {
        return pos;
    }

    int remaining() {
        return limit - pos;
    }

    /** Restricts reading to {@code [position, limit)} (for example, to exclude a trailing CRC). */
    void limit(int newLimit) {
        this.limit = newLimit;
    }

    void position(int newPosition) {
        this.pos = newPosition;
    }

    CorruptObjectException corrupt(String message) {
        return new CorruptObjectException(what + ": " + message);
    }

    private void need(int n, String field) {
        if (n > limit - pos) {
            throw corrupt("truncated: " + field + " at byte " + pos + " needs " + n + " bytes, only "
                    + Math.max(0, limit - pos) + " remain");
        }
    }

    int u8(String field) {
        need(1, field);
        return buf[pos++] & 0xFF;
    }

    int u16(String field) {
        need(2, field);
        int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    int i32(String field) {
        need(4, field);
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return v;
    }

    long i64(String field) {
        need(8, field);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return v;
    }

    /** A count that must be >= 0 and whose items (each at least {@code minItemBytes}) must fit. */
    int count(String field, int minItemBytes) {
        int at = pos;
        int n = i32(field);
        if (n < 0) {
            throw corrupt(field + " at byte " + at + " is negative (" + n + ")");
        }
        if ((long) n * minItemBytes > remaining()) {
            throw corrupt(field + " at byte " + at + " is " + n + " but only " + remaining()
                    + " bytes remain for them (at least " + minItemBytes + " each)");
        }
        return n;
    }

    void expectMagic(int magic, String field) {
        int at = pos;
        int m = i32(field);
        if (m != magic) {
            throw corrupt("bad " + field + " at byte " + at + ": expected 0x" + Integer.toHexString(magic)
                    + ", found 0x" + Integer.toHexString(m));
        }
    }

    String string(String field) {
        String s = nullableString(field);
        if (s == null) {
            throw corrupt(field + " is null but is required");
        }
        return s;
    }

    String nullableString(String field) {
        int len = u16(field + " length");
        if (len == ObjectWriter.NULL_STRING) {
            return null;
        }
        need(len, field);
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buf, pos, len)).toString();
            pos += len;
            return s;
        } catch (CharacterCodingException e) {
            throw corrupt(field + " at byte " + pos + " is not valid UTF-8");
        }
    }

    /** Checks that the last four bytes are the CRC-32C of everything before them, then excludes them. */
    void checkTrailingCrc32c(int minLength) {
        if (buf.length < minLength) {
            throw corrupt("truncated: " + buf.length + " bytes, the smallest valid object is " + minLength);
        }
        int crcAt = buf.length - 4;
        int stored = ((buf[crcAt] & 0xFF) << 24) | ((buf[crcAt + 1] & 0xFF) << 16)
                | ((buf[crcAt + 2] & 0xFF) << 8) | (buf[crcAt + 3] & 0xFF);
        int actual = ObjectWriter.crc32c(buf, 0, crcAt);
        if (stored != actual) {
            throw corrupt("CRC-32C mismatch: stored 0x" + Integer.toHexString(stored) + ", computed 0x"
                    + Integer.toHexString(actual) + " over " + crcAt + " bytes");
        }
        limit = crcAt;
    }

    void expectEnd(String afterWhat) {
        if (pos != limit) {
            throw corrupt((limit - pos) + " unexpected bytes at " + pos + " after " + afterWhat);
        }
    }
}
