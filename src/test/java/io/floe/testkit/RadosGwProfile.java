package io.floe.testkit;

import io.floe.store.S3ObjectStore;
import io.floe.store.StoreSettings;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;
import java.util.UUID;

/**
 * A Quarkus test profile that points Floe at a fresh bucket on the test radosgw, so that a
 * {@code @QuarkusTest} exercises real S3 calls. {@link #BUCKET} names the bucket of the current run.
 */
public class RadosGwProfile implements QuarkusTestProfile {

    /**
     * One bucket per JVM run of this profile; tests use distinct topic names. Kept in a system
     * property because Quarkus loads the profile and the test class in different class loaders.
     */
    public static final String BUCKET = (String) System.getProperties()
            .computeIfAbsent("floetest.rgw.bucket", k -> "floe-it-" + UUID.randomUUID().toString().substring(0, 8));

    @Override
    public Map<String, String> getConfigOverrides() {
        StoreSettings settings = RadosGw.settings(BUCKET);
        S3ObjectStore.createBucketIfMissing(settings);
        return Map.of(
                "floe.storage.url", "s3://" + BUCKET,
                "floe.s3.endpoint", RadosGw.endpoint(),
                "floe.s3.region", RadosGw.REGION,
                "floe.s3.path-style", "true",
                "floe.s3.access-key", RadosGw.ACCESS_KEY,
                "floe.s3.secret-key", RadosGw.SECRET_KEY);
    }

    /** A store on the profile's bucket, for tests that look at what Floe wrote. */
    public static S3ObjectStore bucket() {
        return S3ObjectStore.open(RadosGw.settings(BUCKET));
    }
}
