package io.floe.store;

import io.floe.testkit.RadosGw;

/** The contract against a real S3 server: Ceph radosgw (started by infra/radosgw/start.sh if needed). */
class S3ObjectStoreContractTest extends ObjectStoreContractTest {
    @Override
    protected ObjectStore newStore() {
        return RadosGw.newBucketStore("contract");
    }

    @Override
    protected void useSmallListPages(ObjectStore store, int pageSize) {
        ((S3ObjectStore) store).listPageSize(pageSize);
    }
}
