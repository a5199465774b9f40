package io.floe.api.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.apache.kafka.common.network.Send;
import org.apache.kafka.common.network.TransferableChannel;

/**
 * A response's {@link Send} written to a connection's (blocking, possibly TLS) output stream, so that a
 * Fetch response is never assembled in one array: Kafka's {@code SendBuilder} serializes the message's
 * fields into a small buffer and hands the record batches over as the buffers they already are (views of
 * the segment cache), and this channel writes each buffer to the stream. A buffer with an accessible
 * array is written from it; a read-only one (the segment cache hands out read-only views) is copied
 * through one {@value #SCRATCH_BYTES}-byte scratch array, reused for every response of the connection.
 *
 * <p>Owned by the connection's writer thread.
 */
final class StreamChannel implements TransferableChannel {

    /** At least the writer's {@code BufferedOutputStream} buffer, so a scratch chunk passes straight through. */
    static final int SCRATCH_BYTES = 64 * 1024;

    private final OutputStream out;
    private final byte[] scratch = new byte[SCRATCH_BYTES];

    StreamChannel(OutputStream out) {
        this.out = out;
    }

    /** Writes the whole {@code send}, blocking. */
    void writeFully(Send send) throws IOException {
        while (!send.completed()) {
            send.writeTo(this);
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int n = src.remaining();
        if (src.hasArray()) {
            out.write(src.array(), src.arrayOffset() + src.position(), n);
            src.position(src.limit());
            return n;
        }
        while (src.hasRemaining()) {
            int chunk = Math.min(scratch.length, src.remaining());
            src.get(scratch, 0, chunk);
            out.write(scratch, 0, chunk);
        }
        return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long n = 0;
        for (int i = offset; i < offset + length; i++) {
            n += write(srcs[i]);
        }
        return n;
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    /** Floe sends no file regions; implemented for completeness, through the scratch array. */
    @Override
    public long transferFrom(FileChannel file, long position, long count) throws IOException {
        long done = 0;
        while (done < count) {
            ByteBuffer chunk = ByteBuffer.wrap(scratch, 0, (int) Math.min(scratch.length, count - done));
            int read = file.read(chunk, position + done);
            if (read < 0) {
                break;
            }
            out.write(scratch, 0, read);
            done += read;
        }
        return done;
    }

    @Override
    public boolean hasPendingWrites() {
        return false; // every write completes before it returns
    }

    @Override
    public boolean isOpen() {
        return true; // the connection owns the stream and closes it
    }

    @Override
    public void close() {
        // the connection closes its socket
    }
}
