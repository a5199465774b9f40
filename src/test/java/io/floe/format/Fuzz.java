package io.floe.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;

/** Damages encoded objects in every way cheap to enumerate and checks that decoders fail only as documented. */
final class Fuzz {

    private Fuzz() {
    }

    /** Runs {@code decode}; it must return normally or throw a FloeException with {@code code}. */
    static void decodesOrFailsWith(ErrorCode code, byte[] bytes, Consumer<byte[]> decode) {
        try {
            decode.accept(bytes);
        } catch (FloeException e) {
            assertThat(e.code()).as("error code for %s", e.getMessage()).isEqualTo(code);
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    /** Every proper prefix must be rejected with {@code code}. */
    static void everyTruncationFails(ErrorCode code, byte[] valid, Consumer<byte[]> decode) {
        for (int n = 0; n < valid.length; n++) {
            byte[] prefix = Arrays.copyOf(valid, n);
            try {
                decode.accept(prefix);
                throw new AssertionError("truncation to " + n + " of " + valid.length + " bytes was accepted");
            } catch (FloeException e) {
                assertThat(e.code()).as("truncated to %d: %s", n, e.getMessage()).isEqualTo(code);
            }
        }
    }

    /** Random byte flips, with the trailing CRC-32C optionally recomputed so that the structure checks are reached. */
    static void randomFlips(ErrorCode code, byte[] valid, long seed, int rounds, boolean fixCrc, Consumer<byte[]> decode) {
        Random random = new Random(seed);
        for (int i = 0; i < rounds; i++) {
            byte[] b = valid.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                b[random.nextInt(b.length)] ^= (byte) (1 + random.nextInt(255));
            }
            if (fixCrc) {
                fixTrailingCrc(b);
            }
            decodesOrFailsWith(code, b, decode);
        }
    }

    static void randomGarbage(ErrorCode code, long seed, int rounds, Consumer<byte[]> decode) {
        Random random = new Random(seed);
        for (int i = 0; i < rounds; i++) {
            byte[] b = new byte[random.nextInt(300)];
            random.nextBytes(b);
            decodesOrFailsWith(code, b, decode);
        }
    }

    static void fixTrailingCrc(byte[] b) {
        int crc = ObjectWriter.crc32c(b, 0, b.length - 4);
        for (int i = 0; i < 4; i++) {
            b[b.length - 4 + i] = (byte) (crc >>> (24 - 8 * i));
        }
    }
}
