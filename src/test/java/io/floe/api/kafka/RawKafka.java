package io.floe.api.kafka;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;

/** A bare Kafka protocol connection for tests: send any bytes, or a request, and read one response. */
final class RawKafka implements AutoCloseable {

    private final Socket socket;
    private final DataOutputStream out;
    private final DataInputStream in;
    private int correlation;

    RawKafka(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        out = new DataOutputStream(socket.getOutputStream());
        in = new DataInputStream(socket.getInputStream());
    }

    void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    AbstractResponse call(AbstractRequest request) throws IOException {
        RequestHeader header = new RequestHeader(request.apiKey(), request.version(), "raw", ++correlation);
        ByteBuffer frame = request.serializeWithHeader(header);
        out.writeInt(frame.remaining());
        out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
        out.flush();
        return read(request.apiKey(), request.version(), header);
    }

    AbstractResponse read(ApiKeys key, short version, RequestHeader header) throws IOException {
        int size = in.readInt();
        byte[] body = new byte[size];
        in.readFully(body);
        ByteBuffer buf = ByteBuffer.wrap(body);
        ResponseHeader rh = ResponseHeader.parse(buf, header.toResponseHeader().headerVersion());
        if (rh.correlationId() != header.correlationId()) {
            throw new IOException("correlation " + rh.correlationId() + " != " + header.correlationId());
        }
        return AbstractResponse.parseResponse(key, new ByteBufferAccessor(buf), version);
    }

    /** Whether the server closed the connection (reads EOF within the timeout). */
    boolean closedByServer() {
        try {
            return in.read() == -1;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
