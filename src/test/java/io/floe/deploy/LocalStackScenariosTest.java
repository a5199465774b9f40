package io.floe.deploy;

import io.floe.store.S3ObjectStore;
import io.floe.store.StoreSettings;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * {@link BucketScenarios} on LocalStack's S3, in a container: runs wherever a Docker engine is
 * available and is skipped only when none is (the same scenarios always run on radosgw). The image
 * is the one of localstack/docker-compose.yml.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackScenariosTest extends BucketScenarios {

    static final DockerImageName IMAGE = DockerImageName.parse("localstack/localstack:4.4");

    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(IMAGE).withServices("s3");

    @Override
    StoreSettings newBucket(String name) {
        StoreSettings settings = StoreSettings.of("s3://" + name)
                .withS3Endpoint(LOCALSTACK.getEndpoint().toString(), LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey());
        S3ObjectStore.createBucketIfMissing(settings);
        return settings;
    }
}
