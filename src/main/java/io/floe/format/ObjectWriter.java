package io.floe.format;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * A growable big-endian byte buffer for encoding Floe's binary objects. Strings are written as a
 * u16 length and UTF-8 bytes; {@link #NULL_STRING} as the length marks a null string.
 * Owned by one thread for the duration of one encode.
 */
final class ObjectWriter {

    /** The u16 length that stands for a null string. */
    static final int NULL_STRING = 0xFFFF;
    /** The longest string (in UTF-8 bytes) a u16 length can carry, the null marker excluded. */
    static final int MAX_STRING_BYTES = 0xFFFE;

    private byte[] buf;
    private int pos;

    ObjectWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    int position() {
        return pos;
    }

    private void ensure(int n) {
        long needed = (long) pos + n;
        if (needed > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("Object would exceed 2 GiB (" + needed + " bytes).");
        }
        if (needed > buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(needed, 2L * buf.length)));
        }
    }

    ObjectWriter u8(int v) {
        ensure(1);
        buf[pos++] = (byte) v;
        return this;
    }

    ObjectWriter i16(int v) {
        ensure(2);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
        return this;
    }

    ObjectWriter i32(int v) {
        ensure(4);
        for (int s = 24; s >= 0; s -= 8) {
            buf[pos++] = (byte) (v >>> s);
        }
        return this;
    }

    ObjectWriter i64(long v) {
        ensure(8);
        for (int s = 56; s >= 0; s -= 8) {
            buf[pos++] = (byte) (v >>> s);
        }
        return this;
    }

    ObjectWriter bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
        return this;
    }

    /** Copies the remaining bytes of {@code b} without changing its position. */
    ObjectWriter bytes(ByteBuffer b) {
        int n = b.remaining();
        ensure(n);
        b.duplicate().get(buf, pos, n);
        pos += n;
        return this;
    }

    /** A u16 length then UTF-8; {@code null} is written as length {@link #NULL_STRING}. */
    ObjectWriter string(String s, String field) {
        if (s == null) {
            return i16(NULL_STRING);
        }
        byte[] utf8 = utf8(s, field);
        return i16(utf8.length).bytes(utf8);
    }

    static byte[] utf8(String s, String field) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > MAX_STRING_BYTES) {
            throw new IllegalArgumentException(field + " is " + utf8.length + " UTF-8 bytes; at most " + MAX_STRING_BYTES + " fit.");
        }
        return utf8;
    }

    /** Appends the CRC-32C of every byte written so far. */
    ObjectWriter crc32cOfAll() {
        return i32(crc32c(buf, 0, pos));
    }

    /** Overwrites four bytes at {@code at} (a length or position known only later). */
    void i32At(int at, int v) {
        for (int i = 0; i < 4; i++) {
            buf[at + i] = (byte) (v >>> (24 - 8 * i));
        }
    }

    byte[] toByteArray() {
        return buf.length == pos ? buf : Arrays.copyOf(buf, pos);
    }

    /** The CRC-32C of {@code length} bytes written from {@code offset}, without copying them. */
    int crc32c(int offset, int length) {
        return crc32c(buf, offset, length);
    }

    static int crc32c(byte[] b, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(b, offset, length);
        return (int) crc.getValue();
    }
}
