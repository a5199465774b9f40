package io.floe.janitor;

import io.floe.format.BucketLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * "Unreferenced since" bookkeeping for deletion with grace, kept in the bucket as
 * {@code janitor/ledger} (docs/FORMAT.md §9) so that it survives a janitor hand-over. Pure: the
 * janitor loads it, {@link #observe}s the candidates of this run and writes it back by
 * compare-and-swap before deleting anything.
 *
 * <p>An object is deleted only after it was a candidate (unreferenced by every topic's state) in runs
 * spanning at least the grace period; an object seen referenced again, or not listed, drops out.
 */
record Ledger(long epoch, String nonce, Map<String, Long> firstSeen) {

    static final String KEY = BucketLayout.JANITOR_LEDGER;
    private static final String HEADER = "floe-janitor-ledger 1";

    Ledger {
        firstSeen = Map.copyOf(firstSeen);
    }

    static Ledger empty() {
        return new Ledger(0, "", Map.of());
    }

    /** The result of one observation: the new ledger and the candidates now due for deletion. */
    record Observation(Ledger next, List<String> due) {
    }

    /** Records {@code candidates} as unreferenced now (keeping earlier first-seen times); others drop out. */
    Observation observe(Set<String> candidates, long nowMs, long graceMs, long newEpoch, String newNonce) {
        Map<String, Long> next = new TreeMap<>();
        List<String> due = new ArrayList<>();
        for (String key : candidates) {
            long since = firstSeen.getOrDefault(key, nowMs);
            next.put(key, since);
            if (nowMs - since >= graceMs) {
                due.add(key);
            }
        }
        return new Observation(new Ledger(newEpoch, newNonce, next), due);
    }

    byte[] encode() {
        StringBuilder b = new StringBuilder(HEADER).append(' ').append(epoch).append(' ').append(nonce).append('\n');
        firstSeen.forEach((k, v) -> b.append(v).append(' ').append(k).append('\n'));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    static Ledger decode(byte[] bytes) {
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n");
        String[] head = lines[0].split(" ");
        if (!lines[0].startsWith(HEADER + " ") || head.length < 4) {
            throw new IllegalStateException(KEY + " is not a version 1 ledger");
        }
        Map<String, Long> m = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isEmpty()) {
                continue;
            }
            int sp = lines[i].indexOf(' ');
            m.put(lines[i].substring(sp + 1), Long.parseLong(lines[i].substring(0, sp)));
        }
        return new Ledger(Long.parseLong(head[2]), head[3], m);
    }
}
