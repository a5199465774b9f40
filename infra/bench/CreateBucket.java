import io.floe.store.S3ObjectStore;
import io.floe.store.StoreSettings;

/** Creates the benchmark bucket on radosgw (the test credentials of infra/radosgw/start.sh). */
public class CreateBucket {
    public static void main(String[] args) {
        S3ObjectStore.createBucketIfMissing(StoreSettings.of("s3://" + args[1]).withS3Endpoint(args[0], "floe", "floe-secret"));
    }
}
