package io.floe.group;

import java.util.Comparator;

/**
 * Orders the commits of one partition of one group, wherever they are kept (the group object or a
 * member offsets object, docs/FORMAT.md §9a): the committed offset of a partition is the one with the
 * greatest stamp (D88). Compared field by field:
 * <ol>
 * <li>{@code version}: the group object's write counter. A write of the group object that sets an
 *     offset (a transaction's offsets, an admin reset, a deferred or REST commit, OffsetDelete's
 *     tombstone) stamps the version it creates; a member's commit written to its own object stamps the
 *     highest version its instance had seen of the group when it accepted the commit. A commit checked
 *     against a generation therefore stamps at least the version that made that generation, and a
 *     newer generation's commit outranks every commit of an older one;</li>
 * <li>{@code source}: at the same version a member's commit ({@link #MEMBER}) comes after the group
 *     write that made the version ({@link #DIRECT}): it saw that write;</li>
 * <li>{@code timeMs}, then {@code writer}, then {@code seq}: between members' commits of the same
 *     version (a partition committed by two members in one generation, which only classic groups allow
 *     for partitions nobody owns), the accepting instance's clock, then the object's key decide;
 *     within one writer time never goes back and {@code seq} grows, so its later commit wins.</li>
 * </ol>
 *
 * @param version group object version (see above); 0 for offsets written before stamps existed
 * @param source  {@link #DIRECT} or {@link #MEMBER}
 * @param timeMs  member commits: when the instance accepted it (never decreasing per writer); 0 direct
 * @param writer  member commits: the member offsets object's key; "" direct
 * @param seq     member commits: the writer's sequence; 0 direct
 */
record OffsetStamp(long version, int source, long timeMs, String writer, long seq) implements Comparable<OffsetStamp> {

    static final int DIRECT = 0;
    static final int MEMBER = 1;
    /** The stamp of offsets written before stamps existed: older than any other. */
    static final OffsetStamp NONE = new OffsetStamp(0, DIRECT, 0, "", 0);

    private static final Comparator<OffsetStamp> ORDER = Comparator.comparingLong(OffsetStamp::version)
            .thenComparingInt(OffsetStamp::source)
            .thenComparingLong(OffsetStamp::timeMs)
            .thenComparing(OffsetStamp::writer)
            .thenComparingLong(OffsetStamp::seq);

    OffsetStamp {
        writer = writer == null ? "" : writer;
    }

    /** The stamp of an offset set by a write of the group object that creates {@code version}. */
    static OffsetStamp direct(long version) {
        return new OffsetStamp(version, DIRECT, 0, "", 0);
    }

    @Override
    public int compareTo(OffsetStamp o) {
        return ORDER.compare(this, o);
    }

    boolean after(OffsetStamp o) {
        return compareTo(o) > 0;
    }
}
