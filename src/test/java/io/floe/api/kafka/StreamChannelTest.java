package io.floe.api.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.Test;

class StreamChannelTest {

    @Test
    void fetchResponseFromReadOnlyCachedBatchesIsWrittenAsKafkaSerializesIt() throws IOException {
        Random random = new Random(7);
        FetchResponseData body = new FetchResponseData();
        FetchResponseData.FetchableTopicResponse topic = new FetchResponseData.FetchableTopicResponse().setTopic("t");
        body.responses().add(topic);
        for (int p = 0; p < 3; p++) {
            SimpleRecord[] records = new SimpleRecord[40];
            for (int i = 0; i < records.length; i++) {
                byte[] value = new byte[4096]; // 160 KiB per partition: more than one scratch array
                random.nextBytes(value);
                records[i] = new SimpleRecord(i, null, value);
            }
            ByteBuffer batches = MemoryRecords.withRecords(100L * p, Compression.NONE, records).buffer();
            // As the segment cache hands them out: read-only, so written through the scratch array.
            topic.partitions().add(new FetchResponseData.PartitionData().setPartitionIndex(p).setHighWatermark(1000)
                    .setRecords(MemoryRecords.readableRecords(batches.asReadOnlyBuffer())));
        }
        for (short version : new short[] {4, 12, ApiKeys.FETCH.latestVersion()}) {
            RequestHeader request = new RequestHeader(ApiKeys.FETCH, version, "client", 42);
            ByteArrayOutputStream written = new ByteArrayOutputStream();
            new StreamChannel(written).writeFully(Connection.send(request, body, version));

            assertArrayEquals(kafkaSerialization(request, body, version), written.toByteArray(), "version " + version);
        }
    }

    /** Size prefix, header and body through Kafka's own accessor, into one array. */
    private static byte[] kafkaSerialization(RequestHeader request, FetchResponseData body, short version) {
        ResponseHeader h = request.toResponseHeader();
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = h.data().size(cache, h.headerVersion()) + body.size(cache, version);
        ByteBuffer buf = ByteBuffer.allocate(4 + size).putInt(size);
        ByteBufferAccessor w = new ByteBufferAccessor(buf);
        h.data().write(w, cache, h.headerVersion());
        body.write(w, cache, version);
        return buf.array();
    }
}
