package io.floe.store;

import java.util.Objects;
import java.util.Optional;

/**
 * Where the object store is and how to reach it. Plain values; the runtime maps its
 * {@code floe.storage.*} configuration onto this record.
 *
 * @param url         {@code floe.storage.url}: {@code file:./data}, {@code file:/abs/path},
 *                    {@code s3://bucket}, {@code s3://bucket/some/prefix} or {@code memory:}
 * @param s3Endpoint  endpoint override for S3-compatible servers (LocalStack, radosgw, MinIO)
 * @param s3Region    region used for signing (any value works for most non-AWS servers)
 * @param s3PathStyle path-style addressing ({@code http://host/bucket/key}); needed by most
 *                    non-AWS servers
 * @param s3AccessKey static access key; empty means the AWS default credentials chain
 * @param s3SecretKey static secret key, given together with the access key
 */
public record StoreSettings(String url, Optional<String> s3Endpoint, String s3Region, boolean s3PathStyle,
                            Optional<String> s3AccessKey, Optional<String> s3SecretKey) {

    public static final String URL_SETTING = "floe.storage.url";
    public static final String DEFAULT_URL = "file:./data";
    public static final String DEFAULT_REGION = "us-east-1";

    public StoreSettings {
        Objects.requireNonNull(url, URL_SETTING);
        Objects.requireNonNull(s3Endpoint, "s3Endpoint");
        Objects.requireNonNull(s3Region, "s3Region");
        Objects.requireNonNull(s3AccessKey, "s3AccessKey");
        Objects.requireNonNull(s3SecretKey, "s3SecretKey");
        if (s3AccessKey.isPresent() != s3SecretKey.isPresent()) {
            throw new IllegalArgumentException(
                    "floe.storage.s3.access-key and floe.storage.s3.secret-key must be given together");
        }
    }

    /** Settings for {@code url} with AWS defaults (region us-east-1, virtual-host style, default credentials). */
    public static StoreSettings of(String url) {
        return new StoreSettings(url, Optional.empty(), DEFAULT_REGION, false, Optional.empty(), Optional.empty());
    }

    /** These settings with an S3-compatible endpoint, path-style, and static credentials. */
    public StoreSettings withS3Endpoint(String endpoint, String accessKey, String secretKey) {
        return new StoreSettings(url, Optional.of(endpoint), s3Region, true, Optional.of(accessKey), Optional.of(secretKey));
    }
}
