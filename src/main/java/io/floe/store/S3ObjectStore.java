package io.floe.store;

import io.floe.store.StoreException.Kind;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An {@link ObjectStore} on S3 or an S3-compatible server (LocalStack, Ceph radosgw, MinIO), with
 * the AWS SDK for Java v2. The only class in Floe that speaks S3.
 *
 * <p>Thread-safe: it holds one immutable SDK client over one HTTP client. <b>The SDK never retries</b>
 * (docs/DECISIONS.md D41): Floe's one retry policy ({@code log.Retry}) retries UNAVAILABLE answers
 * around this store, and a retry nested inside it would multiply the attempts. Conditional writes
 * must not be retried blindly anyway: a retry of a create that landed but whose answer was lost would
 * answer 412 and turn our own success into a Conflict. Instead an ambiguous answer (5xx, timeout,
 * I/O error) to a conditional write is resolved by re-reading the key ({@link AmbiguousWrite}).
 *
 * <p>Mapping of answers: 412 PreconditionFailed and 409 ConditionalRequestConflict → {@code Conflict};
 * 404 NoSuchKey → empty; 416 InvalidRange → empty content; 5xx, 503 SlowDown, timeouts, I/O errors
 * → {@link Kind#UNAVAILABLE}; 403, NoSuchBucket and other 4xx → {@link Kind#FATAL} with a message
 * naming bucket and endpoint.
 *
 * <p>Server quirks handled: request checksums only when required (radosgw answers 400 to the SDK's
 * default trailing checksums); no aws-chunked bodies (radosgw answers 400 to an empty one); ETags are returned and sent unquoted (radosgw's If-Match only
 * matches an unquoted ETag).
 */
public final class S3ObjectStore implements ObjectStore {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);
    static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(30);

    private final SdkHttpClient http;
    private final S3Client client;
    private final String bucket;
    private final String prefix;
    private final String where;
    private volatile int listPageSize = 1000;

    private S3ObjectStore(StoreSettings settings, String bucket, String prefix) {
        this.bucket = bucket;
        this.prefix = prefix;
        this.where = "bucket '" + bucket + "'" + settings.s3Endpoint().map(e -> " at " + e).orElse(" (AWS S3, region " + settings.s3Region() + ")");
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(SOCKET_TIMEOUT)
                .build();
        this.client = buildClient(settings, http, AwsRetryStrategy.doNotRetry());
    }

    /**
     * Opens the store for {@code settings.url()}, which must be {@code s3://bucket[/prefix]}.
     * Does not contact the server; see {@link #createBucketIfMissing(StoreSettings)}.
     */
    public static S3ObjectStore open(StoreSettings settings) {
        if (!(StorageUrl.parse(settings.url()) instanceof StorageUrl.S3 s3)) {
            throw new IllegalArgumentException(StoreSettings.URL_SETTING + ": expected s3://bucket[/prefix], got '" + settings.url() + "'");
        }
        return new S3ObjectStore(settings, s3.bucket(), s3.prefix());
    }

    /**
     * Creates the bucket of {@code settings.url()} unless it exists (for tests and a first start).
     *
     * @throws StoreException FATAL when the bucket cannot be created (e.g. owned by someone else)
     */
    public static void createBucketIfMissing(StoreSettings settings) {
        try (S3ObjectStore store = open(settings)) {
            store.call("create the bucket", () -> {
                try {
                    store.client.headBucket(b -> b.bucket(store.bucket));
                    return null;
                } catch (S3Exception e) {
                    if (e.statusCode() != 404) {
                        throw e;
                    }
                }
                try {
                    store.client.createBucket(b -> b.bucket(store.bucket));
                } catch (S3Exception e) {
                    if (!"BucketAlreadyOwnedByYou".equals(errorCode(e))) {
                        throw e;
                    }
                }
                return null;
            });
        }
    }

    /** The bucket name. */
    public String bucket() {
        return bucket;
    }

    /** The key prefix inside the bucket: empty or ending with {@code /}. */
    public String prefix() {
        return prefix;
    }

    /** For tests: a small page size exercises ListObjectsV2 paging without thousands of objects. */
    void listPageSize(int size) {
        this.listPageSize = size;
    }

    @Override
    public Optional<StoredObject> get(String key) {
        String k = prefix + KeyRules.check(key);
        return call("get " + k, () -> {
            try {
                return Optional.of(client.getObject(b -> b.bucket(bucket).key(k), S3ObjectStore::content));
            } catch (S3Exception e) {
                if (isMissingKey(e)) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    @Override
    public Optional<StoredObject> getRange(String key, long position, int length) {
        MemoryObjectStore.checkRange(position, length);
        String k = prefix + KeyRules.check(key);
        if (length == 0) {
            return head(k).map(etag -> new StoredObject(new byte[0], etag));
        }
        String range = "bytes=" + position + "-" + (position + length - 1);
        return call("get " + range + " of " + k, () -> {
            try {
                return Optional.of(client.getObject(b -> b.bucket(bucket).key(k).range(range), S3ObjectStore::content));
            } catch (S3Exception e) {
                if (isMissingKey(e)) {
                    return Optional.empty();
                }
                if (e.statusCode() == 416) {       // InvalidRange: the range starts past the end
                    return head(k).map(etag -> new StoredObject(new byte[0], etag));
                }
                throw e;
            }
        });
    }

    /**
     * The body read into one array of its announced length: the SDK's byte-array transformer grows a
     * buffer by doubling and copies it once more at the end, i.e. up to three times the object's size
     * in the heap for a whole flush object, and two copies of every byte consumed.
     */
    private static StoredObject content(GetObjectResponse response, java.io.InputStream in) throws IOException {
        Long length = response.contentLength();
        byte[] bytes = length == null ? in.readAllBytes() : in.readNBytes(Math.toIntExact(length));
        if (length != null && bytes.length != length) {
            throw new IOException("The response ended after " + bytes.length + " of " + length + " bytes.");
        }
        return new StoredObject(bytes, ETags.unquote(response.eTag()));
    }

    private Optional<String> head(String k) {
        return call("head " + k, () -> {
            try {
                HeadObjectResponse r = client.headObject(b -> b.bucket(bucket).key(k));
                return Optional.of(ETags.unquote(r.eTag()));
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    @Override
    public WriteResult createIfAbsent(String key, byte[] content) {
        KeyRules.check(key);
        return conditionalPut(key, content, Optional.empty());
    }

    @Override
    public WriteResult replaceIfMatch(String key, byte[] content, String expectedEtag) {
        KeyRules.check(key);
        return conditionalPut(key, content, Optional.of(ETags.unquote(expectedEtag)));
    }

    private WriteResult conditionalPut(String key, byte[] content, Optional<String> expectedEtag) {
        String k = prefix + key;
        PutObjectRequest.Builder req = PutObjectRequest.builder().bucket(bucket).key(k).contentLength((long) content.length);
        expectedEtag.ifPresentOrElse(req::ifMatch, () -> req.ifNoneMatch("*"));
        try {
            return new WriteResult.Written(etagOf(client.putObject(req.build(), body(content)).eTag(), content));
        } catch (S3Exception e) {
            int status = e.statusCode();
            String code = errorCode(e);
            if (status == 412 || status == 409 || "PreconditionFailed".equals(code)
                    || "ConditionalRequestConflict".equals(code)) {
                return WriteResult.CONFLICT;
            }
            if (expectedEtag.isPresent() && status == 404) {     // replace of a missing key
                return WriteResult.CONFLICT;
            }
            if (status < 500) {
                throw translate("write " + k, e);
            }
            return resolveAmbiguous(key, content, expectedEtag, e);
        } catch (SdkClientException e) {
            if (!isTransient(e)) {
                throw translate("write " + k, e);
            }
            return resolveAmbiguous(key, content, expectedEtag, e);
        }
    }

    private WriteResult resolveAmbiguous(String key, byte[] content, Optional<String> expectedEtag, SdkException cause) {
        Optional<StoredObject> now;
        try {
            now = get(key);
        } catch (StoreException e) {
            e.addSuppressed(cause);
            throw e;
        }
        return AmbiguousWrite.resolve(content, expectedEtag, now).orElseThrow(() -> new StoreException(Kind.UNAVAILABLE,
                "conditional write of " + prefix + key + " in " + where + " has an unknown outcome: " + cause.getMessage(), cause));
    }

    @Override
    public String put(String key, byte[] content) {
        String k = prefix + KeyRules.check(key);
        return call("put " + k, () -> etagOf(client.putObject(b -> b.bucket(bucket).key(k).contentLength((long) content.length), body(content)).eTag(), content));
    }

    @Override
    public List<ObjectInfo> list(String listPrefix, String startAfter, int limit) {
        String p = prefix + KeyRules.checkPrefix(listPrefix);
        MemoryObjectStore.checkLimit(limit);
        List<ObjectInfo> out = new ArrayList<>();
        String token = null;
        while (out.size() < limit) {
            String t = token;
            int pageSize = Math.min(listPageSize, limit - out.size());
            ListObjectsV2Response page = call("list " + p, () -> client.listObjectsV2(b -> {
                b.bucket(bucket).prefix(p).maxKeys(pageSize);
                if (t != null) {
                    b.continuationToken(t);
                } else if (startAfter != null) {
                    b.startAfter(prefix + startAfter);
                }
            }));
            for (S3Object o : page.contents()) {
                if (out.size() < limit) {
                    out.add(new ObjectInfo(o.key().substring(prefix.length()), o.size(), ETags.unquote(o.eTag())));
                }
            }
            token = page.nextContinuationToken();
            if (!Boolean.TRUE.equals(page.isTruncated()) || token == null) {
                break;
            }
        }
        return out;
    }

    @Override
    public void delete(String key) {
        String k = prefix + KeyRules.check(key);
        call("delete " + k, () -> client.deleteObject(b -> b.bucket(bucket).key(k)));
    }

    @Override
    public void close() {
        client.close();
        http.close();
    }

    private <T> T call(String what, Supplier<T> request) {
        try {
            return request.get();
        } catch (SdkException e) {
            throw translate(what, e);
        }
    }

    private StoreException translate(String what, SdkException e) {
        String msg = "S3 " + what + " in " + where + " failed: " + e.getMessage();
        if (e instanceof S3Exception s3) {
            int status = s3.statusCode();
            boolean retryable = status >= 500 || status == 429 || status == 408 || "SlowDown".equals(errorCode(s3));
            return new StoreException(retryable ? Kind.UNAVAILABLE : Kind.FATAL, msg, e);
        }
        return new StoreException(isTransient(e) ? Kind.UNAVAILABLE : Kind.FATAL, msg, e);
    }

    /** Timeouts and I/O errors are transient; a client error without either (no credentials, bad endpoint) is not. */
    static boolean isTransient(SdkException e) {
        if (e.getClass().getSimpleName().contains("Timeout")) {
            return true;
        }
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof IOException || t.getClass().getSimpleName().contains("Timeout")) {
                return true;
            }
        }
        return e.retryable();
    }

    private static boolean isMissingKey(S3Exception e) {
        return e.statusCode() == 404 && !"NoSuchBucket".equals(errorCode(e));
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    private static String etagOf(String returned, byte[] content) {
        return returned == null ? ETags.md5Hex(content) : ETags.unquote(returned);
    }

    private static S3Client buildClient(StoreSettings settings, SdkHttpClient http, RetryStrategy retry) {
        AwsCredentialsProvider credentials = settings.s3AccessKey().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.s3AccessKey().get(), settings.s3SecretKey().orElseThrow()))
                : DefaultCredentialsProvider.builder().build();
        var builder = S3Client.builder()
                .httpClient(http)
                .region(Region.of(settings.s3Region()))
                .forcePathStyle(settings.s3PathStyle())
                .credentialsProvider(credentials)
                // UNSIGNED-PAYLOAD over http too, as over https: no SHA-256 of every body (D104).
                .putAuthScheme(UnsignedPayloadSigner.scheme())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // Over plain http the SDK otherwise sends aws-chunked signed bodies, and radosgw
                // rejects an empty one with 400; signing the whole (small) body is simpler.
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .overrideConfiguration(o -> o.apiCallTimeout(API_CALL_TIMEOUT).retryStrategy(retry));
        settings.s3Endpoint().ifPresent(e -> builder.endpointOverride(URI.create(e)));
        return builder.build();
    }

    /**
     * A request body over {@code content} without the copy {@code RequestBody.fromBytes} makes:
     * callers never change an array after handing it to the store (a segment is up to 8 MiB).
     */
    private static RequestBody body(byte[] content) {
        return RequestBody.fromContentProvider(() -> new java.io.ByteArrayInputStream(content), content.length,
                "application/octet-stream");
    }
}
