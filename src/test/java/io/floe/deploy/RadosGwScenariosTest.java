package io.floe.deploy;

import io.floe.store.S3ObjectStore;
import io.floe.store.StoreSettings;
import io.floe.testkit.RadosGw;

/** {@link BucketScenarios} on radosgw: always, so that nothing LocalStack checks goes untested in CI. */
class RadosGwScenariosTest extends BucketScenarios {

    @Override
    StoreSettings newBucket(String name) {
        StoreSettings settings = RadosGw.settings(name);
        S3ObjectStore.createBucketIfMissing(settings);
        return settings;
    }
}
