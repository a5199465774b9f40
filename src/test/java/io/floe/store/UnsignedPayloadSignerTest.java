package io.floe.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/** What goes on the wire to an http endpoint (radosgw checks the signatures: S3ObjectStoreContractTest). */
class UnsignedPayloadSignerTest {

    private HttpServer server;
    private final Map<String, String> headers = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("ETag", "\"abc\"");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aPutOverHttpCarriesAnUnsignedPayloadLikeOneOverHttps() {
        try (S3Client s3 = client(true)) {
            s3.putObject(b -> b.bucket("b").key("k"), RequestBody.fromBytes(new byte[4096]));
        }
        assertThat(headers.get("x-amz-content-sha256")).isEqualTo("UNSIGNED-PAYLOAD");
        assertThat(headers.get("authorization")).contains("SignedHeaders=").contains("x-amz-content-sha256");
        assertThat(headers.get("host")).isEqualTo("127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    void theSdksOwnSignerHashesTheBodyOverHttp() {
        try (S3Client s3 = client(false)) {
            s3.putObject(b -> b.bucket("b").key("k"), RequestBody.fromBytes(new byte[4096]));
        }
        assertThat(headers.get("x-amz-content-sha256")).matches("[0-9a-f]{64}");
    }

    @Test
    void theDefaultHttpPortKeepsTheHostHeaderWithoutAPort() {
        SdkHttpRequest http = SdkHttpRequest.builder().method(SdkHttpMethod.PUT)
                .uri(URI.create("http://minio/b/k")).build();
        assertThat(UnsignedPayloadSigner.asHttps(http).getUri()).isEqualTo(URI.create("https://minio/b/k"));
        SdkHttpRequest explicit = SdkHttpRequest.builder().method(SdkHttpMethod.PUT)
                .uri(URI.create("http://minio:9000/b/k")).build();
        assertThat(UnsignedPayloadSigner.asHttps(explicit).getUri()).isEqualTo(URI.create("https://minio:9000/b/k"));
    }

    private S3Client client(boolean unsigned) {
        var builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "s")))
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build());
        if (unsigned) {
            builder.putAuthScheme(UnsignedPayloadSigner.scheme());
        }
        return builder.build();
    }
}
