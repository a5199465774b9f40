package io.floe.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.DescribeAclsRequest;
import org.apache.kafka.common.requests.DescribeAclsResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The listener answers what it does not support, and survives garbage: random and truncated frames
 * close only their own connection, while other connections keep being served. Seeded: a failing seed
 * replays with {@code -Dfloetest.seed=N}.
 */
class ListenerRobustnessTest {

    private static final long SEED = Long.getLong("floetest.seed", System.nanoTime());
    private static FloeKafka floe;

    @BeforeAll
    static void start() {
        floe = FloeKafka.start("kafka-robust");
    }

    @AfterAll
    static void stop() {
        floe.close();
    }

    private static ApiVersionsResponse apiVersions(RawKafka c) throws IOException {
        return (ApiVersionsResponse) c.call(new ApiVersionsRequest(new ApiVersionsRequestData()
                .setClientSoftwareName("test").setClientSoftwareVersion("1"), (short) 3));
    }

    @Test
    void unsupportedApisAndVersionsGetAnErrorAnswerNotADroppedConnection() throws Exception {
        try (RawKafka c = new RawKafka(floe.listener.port())) {
            ApiVersionsResponse versions = apiVersions(c);
            assertThat(versions.data().errorCode()).isZero();
            assertThat(versions.apiVersion(ApiKeys.PRODUCE.id).maxVersion()).isEqualTo((short) 12);
            assertThat(versions.apiVersion(ApiKeys.DESCRIBE_ACLS.id)).isNull();

            DescribeAclsResponse acls = (DescribeAclsResponse) c.call(new DescribeAclsRequest.Builder(
                    org.apache.kafka.common.acl.AclBindingFilter.ANY).build((short) 2));
            assertThat(acls.error().error()).isEqualTo(Errors.UNSUPPORTED_VERSION);

            // The connection still works.
            MetadataResponse md = (MetadataResponse) c.call(new MetadataRequest(new MetadataRequestData()
                    .setTopics(null), (short) 12));
            assertThat(md.brokers()).hasSize(1);
        }
        // ApiVersions newer than any known: answered v0 with UNSUPPORTED_VERSION and the supported list.
        try (RawKafka c = new RawKafka(floe.listener.port())) {
            RequestHeader h = new RequestHeader(ApiKeys.API_VERSIONS, (short) 99, "future", 7);
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(frame);
            d.writeShort(ApiKeys.API_VERSIONS.id);
            d.writeShort(99);
            d.writeInt(7);
            d.writeShort(6);
            d.writeBytes("future");
            d.writeByte(0); // tagged fields
            byte[] body = frame.toByteArray();
            ByteBuffer sized = ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body);
            c.sendBytes(sized.array());
            ApiVersionsResponse r = (ApiVersionsResponse) c.read(ApiKeys.API_VERSIONS, (short) 0, h);
            assertThat(Errors.forCode(r.data().errorCode())).isEqualTo(Errors.UNSUPPORTED_VERSION);
            assertThat(r.apiVersion(ApiKeys.FETCH.id)).isNotNull();
        }
    }

    @Test
    void randomAndTruncatedFramesCloseOnlyTheirConnection() throws Exception {
        SplittableRandom random = new SplittableRandom(SEED);
        try (RawKafka bystander = new RawKafka(floe.listener.port())) {
            assertThat(apiVersions(bystander).data().errorCode()).as("seed %d", SEED).isZero();
            byte[] valid = validMetadataFrame();
            for (int i = 0; i < 200; i++) {
                byte[] garbage = switch (i % 4) {
                    case 0 -> randomBytes(random, random.nextInt(1, 64)); // random size prefix and body
                    case 1 -> Arrays.copyOf(valid, random.nextInt(1, valid.length)); // truncated
                    case 2 -> mutate(random, valid); // flipped bytes inside a valid frame
                    default -> withSize(randomBytes(random, random.nextInt(0, 300))); // well-sized junk
                };
                try (RawKafka attacker = new RawKafka(floe.listener.port())) {
                    attacker.sendBytes(garbage);
                    if (i % 4 == 1) {
                        attacker.close(); // truncated frame, then the client goes away
                    }
                } catch (IOException ignored) {
                    // the server may already have closed it: that is fine
                }
                if (i % 20 == 0) {
                    assertThat(apiVersions(bystander).data().errorCode()).as("seed %d, round %d", SEED, i).isZero();
                }
            }
            // Still serving: the old connection and new ones.
            assertThat(apiVersions(bystander).data().errorCode()).as("seed %d", SEED).isZero();
            try (RawKafka fresh = new RawKafka(floe.listener.port())) {
                assertThat(apiVersions(fresh).data().errorCode()).isZero();
            }
        }
    }

    @Test
    void aMalformedBodyClosesTheConnection() throws Exception {
        try (RawKafka c = new RawKafka(floe.listener.port())) {
            // A well-formed header whose body is missing.
            byte[] valid = validMetadataFrame();
            c.sendBytes(withSize(Arrays.copyOfRange(valid, 4, 4 + headerLength())));
            assertThat(c.closedByServer()).isTrue();
        }
    }

    private static int headerLength() {
        return 2 + 2 + 4 + 2 + "raw".length() + 1;
    }

    private static byte[] validMetadataFrame() {
        MetadataRequest req = new MetadataRequest(new MetadataRequestData().setTopics(null), (short) 12);
        ByteBuffer b = req.serializeWithHeader(new RequestHeader(ApiKeys.METADATA, (short) 12, "raw", 1));
        byte[] body = new byte[b.remaining()];
        b.get(body);
        return withSize(body);
    }

    private static byte[] withSize(byte[] body) {
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    private static byte[] randomBytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static byte[] mutate(SplittableRandom r, byte[] valid) {
        byte[] b = valid.clone();
        for (int k = 0; k < 3; k++) {
            int at = r.nextInt(4, b.length);
            b[at] = (byte) r.nextInt(256);
        }
        return b;
    }
}
