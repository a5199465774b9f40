package io.floe.log;

import io.floe.runtime.Defaults;
import static org.assertj.core.api.Assertions.assertThat;

import io.floe.model.FetchedRecord;
import io.floe.model.Header;
import io.floe.model.Message;
import io.floe.store.ObjectStore;
import io.floe.store.ObjectStores;
import io.floe.store.StoreSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default: data in a local folder survives a stop and a start. */
class LocalRestartTest {

    @TempDir
    Path dir;

    private List<FetchedRecord> produceThenRead(boolean produce) {
        StoreSettings settings = new StoreSettings("file:" + dir, Optional.empty(), "us-east-1", false, Optional.empty(),
                Optional.empty());
        try (ObjectStore store = ObjectStores.open(settings);
             LogEngine e = new LogEngine(store, Clock.systemUTC(), new SplittableRandom(), Defaults.log("local"))) {
            if (produce) {
                e.createTopic("events", 3, Map.of());
                List<Message> ms = new ArrayList<>();
                for (int i = 0; i < 90; i++) {
                    ms.add(new Message(null, ("user-" + (i % 7)).getBytes(StandardCharsets.UTF_8),
                            ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8),
                            List.of(new Header("trace", ("t" + i).getBytes(StandardCharsets.UTF_8))), 1_000_000L + i));
                }
                e.produce("events", ms).join();
            }
            List<FetchedRecord> all = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                all.addAll(e.fetch("events", p, 0, 1 << 20, Duration.ZERO).join().records());
            }
            return all;
        }
    }

    @Test
    void recordsReadAfterRestartAreIdenticalAtTheSameOffsets() {
        List<FetchedRecord> before = produceThenRead(true);
        List<FetchedRecord> after = produceThenRead(false);
        assertThat(before).hasSize(90);
        assertThat(after).hasSize(90);
        for (int i = 0; i < before.size(); i++) {
            FetchedRecord x = before.get(i);
            FetchedRecord y = after.get(i);
            assertThat(y.partition()).isEqualTo(x.partition());
            assertThat(y.offset()).isEqualTo(x.offset());
            assertThat(y.timestamp()).isEqualTo(x.timestamp());
            assertThat(y.key()).isEqualTo(x.key());
            assertThat(y.value()).isEqualTo(x.value());
            assertThat(y.headers()).usingRecursiveComparison().isEqualTo(x.headers());
        }
    }
}
