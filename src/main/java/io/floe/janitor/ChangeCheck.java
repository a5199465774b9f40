package io.floe.janitor;

import io.floe.format.BucketLayout;
import io.floe.log.Retry;
import io.floe.store.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The janitor's cheap look at the whole bucket (docs/DECISIONS.md D48): a digest of the listings in
 * which every change that can give the janitor work shows, without reading any topic.
 *
 * <ul>
 *   <li>{@code topics/}: a topic created, deleted, its configs or partition count changed (a
 *       compare-and-swapped document gets a new ETag);</li>
 *   <li>{@code deleted-topics/}: a deletion marker;</li>
 *   <li>{@code data/}: a commit or checkpoint of any topic written or deleted (every append, control
 *       commit and checkpoint adds a key; the janitor keeps few per topic, so a page of 1,000 keys covers
 *       hundreds of idle topics);</li>
 *   <li>{@code segments/} from {@code segmentsFromMs} on: segments written since (keys begin with the
 *       writer's clock). A segment without a commit (its writer died) shows only here.</li>
 * </ul>
 * What it does not see changes nothing a run could act on: merged objects are written by janitor runs
 * alone, and a run that does not complete leaves the previous record, which then no longer matches or
 * is due. Stateless.
 */
public final class ChangeCheck {

    private static final int PAGE = 1000;

    /** What the listings showed: {@code digest} covers every key and ETag listed. */
    record Snapshot(long segmentsFromMs, String digest) {
    }

    private ChangeCheck() {
    }

    /**
     * A digest of every key, size and ETag under the prefixes (one LIST per 1,000 keys each): equal
     * digests mean nothing under them was written, replaced or deleted in between. For other periodic
     * readers that want to skip work when nothing changed (the group-lag metric).
     */
    public static String digestOf(ObjectStore store, Retry retry, String... prefixes) {
        MessageDigest sha = sha256();
        for (String p : prefixes) {
            add(sha, store, retry, p, null);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Lists the four prefixes (one request per 1,000 keys each). */
    static Snapshot take(ObjectStore store, Retry retry, long segmentsFromMs) {
        MessageDigest sha = sha256();
        add(sha, store, retry, BucketLayout.TOPICS, null);
        add(sha, store, retry, BucketLayout.DELETED_TOPICS, null);
        add(sha, store, retry, BucketLayout.DATA, null);
        add(sha, store, retry, BucketLayout.SEGMENTS, BucketLayout.segmentsBefore(segmentsFromMs));
        return new Snapshot(segmentsFromMs, HexFormat.of().formatHex(sha.digest()));
    }

    private static void add(MessageDigest sha, ObjectStore store, Retry retry, String prefix, String after) {
        sha.update((prefix + "\n").getBytes(StandardCharsets.UTF_8));
        while (true) {
            String from = after;
            List<ObjectStore.ObjectInfo> page = retry.call("list " + prefix, () -> store.list(prefix, from, PAGE));
            for (ObjectStore.ObjectInfo o : page) {
                sha.update((o.key() + " " + o.size() + " " + o.etag() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            if (page.size() < PAGE) {
                return;
            }
            after = page.get(page.size() - 1).key();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
