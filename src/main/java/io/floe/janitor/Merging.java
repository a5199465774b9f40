package io.floe.janitor;

import io.floe.format.Commit;
import io.floe.format.IndexEntry;
import io.floe.format.SegmentFormat;
import io.floe.log.Maintenance;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Carries out a topic's {@link MergeSchedule}: reads each source object of a batch once, with one
 * {@link Maintenance#read(String, List)} for every wanted entry of every partition in it, copies each
 * entry's batches into the chunk of the merged object that it belongs to, and writes a merged
 * object as soon as its last source has been read. So at most one batch of source bytes is held at
 * once, plus the encoding of one merged object. A source object that is gone (replaced or removed
 * meanwhile) drops the merged objects that needed it; they are planned again next run. A run out of
 * time reads nothing more: the merged objects written so far are kept, the rest waits for the next run.
 *
 * <p>Not thread-safe: a janitor run calls it for one topic at a time.
 */
final class Merging {

    /** Where merged objects go: a fresh key per object, and an unconditional PUT (the key is unique to the janitor). */
    interface Output {
        String key(int partition, long baseOffset);

        void put(String key, byte[] bytes);
    }

    /** The REPLACE controls of the merged objects written, and when the first of them was written (MAX_VALUE: none). */
    record Result(List<Commit.Replace> replaces, long firstWrittenAt) {
    }

    private Merging() {
    }

    static Result run(Maintenance log, Clock clock, String topicId, List<MergeSchedule.Batch> batches, BooleanSupplier outOfTime,
                      Output output) {
        List<Commit.Replace> replaces = new ArrayList<>();
        long firstWrittenAt = Long.MAX_VALUE;
        for (MergeSchedule.Batch batch : batches) {
            Map<String, List<Slot>> wanted = new HashMap<>();
            for (MergeSchedule.Part part : batch.parts()) {
                Assembly a = new Assembly(part);
                for (int t = 0; t < part.group().targets().size(); t++) {
                    int at = 0;
                    for (IndexEntry e : part.group().targets().get(t)) {
                        wanted.computeIfAbsent(e.objectKey(), k -> new ArrayList<>()).add(new Slot(e, a, t, at));
                        at += e.length();
                    }
                }
            }
            for (String key : batch.objects()) {
                if (outOfTime.getAsBoolean()) {
                    return new Result(replaces, firstWrittenAt); // what is written stays; the rest waits for the next run
                }
                List<Slot> slots = wanted.getOrDefault(key, List.of()).stream().filter(s -> !s.into().failed).toList();
                if (slots.isEmpty()) {
                    continue;
                }
                Optional<List<ByteBuffer>> read = log.read(key, slots.stream().map(Slot::entry).toList());
                for (int i = 0; i < slots.size(); i++) {
                    Assembly a = slots.get(i).into();
                    if (read.isEmpty()) {
                        a.fail();
                    } else if (a.put(slots.get(i), read.get().get(i))) {
                        replaces.add(write(topicId, a, output));
                        firstWrittenAt = Math.min(firstWrittenAt, clock.millis());
                    }
                }
            }
        }
        return new Result(replaces, firstWrittenAt);
    }

    private static Commit.Replace write(String topicId, Assembly a, Output output) {
        int partition = a.part.partition();
        MergePlan.Group g = a.part.group();
        List<SegmentFormat.Chunk> chunks = new ArrayList<>();
        for (ByteBuffer c : a.chunks) {
            chunks.add(new SegmentFormat.Chunk(topicId, partition, c));
        }
        a.chunks = null; // copied into the encoding: let the source bytes go
        String key = output.key(partition, g.fromOffset());
        SegmentFormat.Encoded encoded = SegmentFormat.encode(chunks);
        output.put(key, encoded.bytes());
        List<IndexEntry> replacement = new ArrayList<>();
        for (int i = 0; i < g.targets().size(); i++) {
            List<IndexEntry> target = g.targets().get(i);
            IndexEntry first = target.get(0);
            int count = target.stream().mapToInt(IndexEntry::offsetCount).sum();
            long maxTs = target.stream().mapToLong(IndexEntry::maxTimestamp).max().orElse(-1);
            SegmentFormat.Located at = encoded.chunks().get(i);
            replacement.add(new IndexEntry(first.baseOffset(), count, maxTs, key, at.position(), at.length()));
        }
        return new Commit.Replace(partition, g.fromOffset(), g.toOffset(), replacement, -1);
    }

    /** Where a source entry's bytes go: chunk {@code target} of {@code into}, from byte {@code at}. */
    private record Slot(IndexEntry entry, Assembly into, int target, int at) {
    }

    /** The chunks (one per new index entry) of one merged object, filled as its sources are read. */
    private static final class Assembly {
        final MergeSchedule.Part part;
        ByteBuffer[] chunks;
        int missing;
        boolean failed;

        Assembly(MergeSchedule.Part part) {
            this.part = part;
            this.missing = part.group().sources().size();
        }

        /** Copies one source entry in; true when that was the last one. */
        boolean put(Slot slot, ByteBuffer bytes) {
            if (chunks == null) {
                List<List<IndexEntry>> targets = part.group().targets();
                chunks = new ByteBuffer[targets.size()];
                for (int t = 0; t < targets.size(); t++) {
                    chunks[t] = ByteBuffer.allocate(targets.get(t).stream().mapToInt(IndexEntry::length).sum());
                }
            }
            chunks[slot.target()].put(slot.at(), bytes, bytes.position(), bytes.remaining());
            return --missing == 0;
        }

        void fail() {
            failed = true;
            chunks = null;
        }
    }
}
