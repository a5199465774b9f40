package io.floe.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.log.LogEngine;
import io.floe.log.RecordPosition;
import io.floe.model.Message;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * The CRaC hook as the application wires it (DECISIONS.md D94): the bean Quarkus starts renews the
 * engine and random source the application's components use, and the engine keeps working after it.
 */
@QuarkusTest
class SnapshotRestoreWiringTest {

    @Inject
    SnapshotRestore restore;

    @Inject
    LogEngine engine;

    @Inject
    RandomGenerator random;

    @Test
    void aRestoreRenewsTheApplicationsEngineAndRandomSourceAndTheEngineKeepsWriting() {
        String before = engine.maintenance().instanceId();
        assertThat(random).isInstanceOf(RenewableRandom.class);

        restore.afterRestore(null);

        assertThat(engine.maintenance().instanceId()).isNotEqualTo(before);
        engine.createTopic("after-restore", 1, Map.of());
        var written = engine.produce("after-restore",
                List.of(new Message(0, null, "v".getBytes(StandardCharsets.UTF_8), List.of(), null)));
        engine.flushNow();
        assertThat(written.join()).extracting(RecordPosition::offset).containsExactly(0L);
    }
}
