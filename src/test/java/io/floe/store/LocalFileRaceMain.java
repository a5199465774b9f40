package io.floe.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The second process of {@link LocalFileCrossProcessTest}: waits for a start file, then races the
 * test JVM on the same directory. Prints the keys it won, one a line, then "done".
 *
 * <p>Arguments: directory, writer name, number of keys, counter increments.
 */
public final class LocalFileRaceMain {

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        String writer = args[1];
        int keys = Integer.parseInt(args[2]);
        int increments = Integer.parseInt(args[3]);
        Path go = root.resolve("go");
        try (LocalFileObjectStore store = new LocalFileObjectStore(root)) {
            store.get("warm/up");           // load the classes before the race starts
            System.out.println("ready");
            System.out.flush();
            while (!go.toFile().exists()) {
                Thread.onSpinWait();
            }
            StringBuilder won = new StringBuilder();
            LocalFileCrossProcessTest.race(store, writer, keys, increments, won);
            System.out.print(won);
        }
        System.out.println("done");
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Optional<byte[]> increment(Optional<byte[]> current, String writer) {
        int n = current.map(b -> new String(b, StandardCharsets.UTF_8)).map(s -> Integer.parseInt(s.split(" ")[0])).orElse(0);
        return Optional.of(utf8((n + 1) + " " + writer));
    }
}
