package io.floe.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.store.ConditionalUpdate.Outcome;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two processes on one directory behave like two instances on one bucket. */
class LocalFileCrossProcessTest {

    static final int KEYS = 500;
    static final int INCREMENTS = 100;

    @TempDir
    Path dir;

    /** createIfAbsent of KEYS keys, then INCREMENTS conditional increments of one counter. */
    static void race(LocalFileObjectStore store, String writer, int keys, int increments, StringBuilder won) {
        // Each writer walks the keys in its own random order, so that they collide all along.
        List<Integer> order = new ArrayList<>(java.util.stream.IntStream.range(0, keys).boxed().toList());
        Collections.shuffle(order, new java.util.Random(writer.hashCode()));
        for (int i : order) {
            String key = "race/k%04d".formatted(i);
            if (store.createIfAbsent(key, LocalFileRaceMain.utf8(writer)).written()) {
                won.append(key).append('\n');
            }
        }
        for (int i = 0; i < increments; i++) {
            String me = writer + "." + i;
            Outcome o = ConditionalUpdate.update(store, "race/counter", c -> LocalFileRaceMain.increment(c, me), 100_000);
            if (!o.updated()) {
                throw new AssertionError("increment gave up: " + o);
            }
        }
    }

    @Test
    void secondProcessRacingOnTheSameDirectoryNeverWinsTheSameKey() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process other = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                LocalFileRaceMain.class.getName(), dir.toString(), "other", "" + KEYS, "" + INCREMENTS)
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8))) {
            StringBuilder mine = new StringBuilder();
            try (LocalFileObjectStore store = new LocalFileObjectStore(dir)) {
                store.get("warm/up");
                assertThat(out.readLine()).isEqualTo("ready");
                Files.createFile(dir.resolve("go"));
                race(store, "this", KEYS, INCREMENTS, mine);

                List<String> theirs = new ArrayList<>();
                for (String line = out.readLine(); line != null && !line.equals("done"); line = out.readLine()) {
                    theirs.add(line);
                }
                assertThat(other.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(other.exitValue()).as("second process output: " + theirs).isZero();

                Set<String> ours = new HashSet<>(mine.toString().lines().toList());
                assertThat(theirs).allMatch(k -> k.startsWith("race/k"));
                assertThat(Collections.disjoint(ours, theirs)).isTrue();
                assertThat(ours.size() + theirs.size()).isEqualTo(KEYS);
                System.out.printf("cross-process race: this JVM won %d keys, the other %d%n", ours.size(), theirs.size());
                for (String k : ours) {
                    assertThat(new String(store.get(k).orElseThrow().content(), StandardCharsets.UTF_8)).isEqualTo("this");
                }
                for (String k : theirs) {
                    assertThat(new String(store.get(k).orElseThrow().content(), StandardCharsets.UTF_8)).isEqualTo("other");
                }
                String counter = new String(store.get("race/counter").orElseThrow().content(), StandardCharsets.UTF_8);
                assertThat(counter.split(" ")[0]).isEqualTo("" + 2 * INCREMENTS);
            }
        } finally {
            other.destroyForcibly();
        }
    }
}
