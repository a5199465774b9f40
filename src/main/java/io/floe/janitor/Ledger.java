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
 * {@code janitor/ledger} (docs/FORMAT.md §6a) so that it survives a janitor hand-over, and the
 * {@link Quiet} record of the last complete run. Pure: the janitor loads it, {@link #observe}s the
 * candidates of this run and writes it back by compare-and-swap before deleting anything.
 *
 * <p>An object is deleted only after it was a candidate (unreferenced by every topic's state) in runs
 * spanning at least the grace period; an object seen referenced again, or not listed, drops out.
 *
 * @param quiet what the last complete run saw at its start and when time alone can next give it work;
 *              null when no complete run has written one (a version 1 ledger)
 */
record Ledger(long epoch, String nonce, Map<String, Long> firstSeen, Quiet quiet) {

    static final String KEY = BucketLayout.JANITOR_LEDGER;
    private static final String HEADER = "floe-janitor-ledger ";
    private static final int VERSION = 2;

    /**
     * The state a complete run started from ({@link ChangeCheck.Snapshot}) and the earliest time at which
     * any time rule (retention, settle and lag times, the grace of candidates) can give the janitor work
     * in that state. While the bucket still shows that snapshot and that time has not come, a run would
     * find nothing to do (docs/DECISIONS.md D48).
     *
     * @param holder the lease holder that wrote it
     */
    record Quiet(ChangeCheck.Snapshot seen, long nextDueMs, String holder) {
    }

    Ledger {
        firstSeen = Map.copyOf(firstSeen);
    }

    static Ledger empty() {
        return new Ledger(0, "", Map.of(), null);
    }

    /** The result of one observation: the new ledger and the candidates now due for deletion. */
    record Observation(Ledger next, List<String> due) {

        /** When the first candidate not due now becomes due; MAX_VALUE when there is none. */
        long nextDueMs(long graceMs) {
            long at = Long.MAX_VALUE;
            for (Map.Entry<String, Long> e : next.firstSeen().entrySet()) {
                if (!due.contains(e.getKey())) {
                    at = Math.min(at, e.getValue() + graceMs);
                }
            }
            return at;
        }

        /** The same observation with the run's quiet record. */
        Observation with(Quiet quiet) {
            return new Observation(new Ledger(next.epoch(), next.nonce(), next.firstSeen(), quiet), due);
        }
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
        return new Observation(new Ledger(newEpoch, newNonce, next, quiet), due);
    }

    byte[] encode() {
        StringBuilder b = new StringBuilder(HEADER).append(VERSION).append(' ').append(epoch).append(' ').append(nonce)
                .append('\n');
        if (quiet == null) {
            b.append("quiet -\n");
        } else {
            b.append("quiet ").append(quiet.seen().segmentsFromMs()).append(' ').append(quiet.nextDueMs()).append(' ')
                    .append(quiet.seen().digest()).append(' ').append(quiet.holder()).append('\n');
        }
        firstSeen.forEach((k, v) -> b.append(v).append(' ').append(k).append('\n'));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Decodes version 2, and version 1 (which has no quiet record). */
    static Ledger decode(byte[] bytes) {
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n");
        String[] head = lines[0].split(" ");
        int version = head.length >= 4 && lines[0].startsWith(HEADER) ? parseVersion(head[1]) : -1;
        if (version != 1 && version != 2) {
            throw new IllegalStateException(KEY + " is not a version 1 or 2 ledger");
        }
        int first = 1;
        Quiet quiet = null;
        if (version == 2) {
            if (lines.length < 2 || !lines[1].startsWith("quiet ")) {
                throw new IllegalStateException(KEY + ": version 2 without its quiet line");
            }
            first = 2;
            if (!lines[1].equals("quiet -")) {
                String[] q = lines[1].split(" ", 5);
                if (q.length < 5) {
                    throw new IllegalStateException(KEY + ": bad quiet line '" + lines[1] + "'");
                }
                quiet = new Quiet(new ChangeCheck.Snapshot(Long.parseLong(q[1]), q[3]), Long.parseLong(q[2]), q[4]);
            }
        }
        Map<String, Long> m = new TreeMap<>();
        for (int i = first; i < lines.length; i++) {
            if (lines[i].isEmpty()) {
                continue;
            }
            int sp = lines[i].indexOf(' ');
            m.put(lines[i].substring(sp + 1), Long.parseLong(lines[i].substring(0, sp)));
        }
        return new Ledger(Long.parseLong(head[2]), head[3], m, quiet);
    }

    private static int parseVersion(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
