package io.floe.janitor;

import io.floe.format.IndexEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * In which order one run reads the source objects of a topic's planned merges, so that each source
 * object is read once for all partitions with entries in it, while the bytes held at once stay
 * bounded. Pure; stateless.
 *
 * <p>A flush's segment (or inline commit) holds the small entries of every partition it touched side
 * by side, so the {@link MergePlan.Group}s of different partitions draw on the same source objects.
 * The schedule orders the source objects as the chain wrote them (a topological order of every
 * partition's entry order; each partition's entries are in commit order) and cuts that order into
 * as few batches of about equal size as keep the wanted bytes of each within {@code mergeBufferBytes}
 * (a batch of one object may exceed it when that object alone does). A batch is read object by object, each object once (docs/DECISIONS.md
 * D30). A group whose source objects fall into two batches is cut into the runs that fall into each;
 * a run of one entry is left for a later run. Merged objects therefore hold at least about
 * {@code mergeBufferBytes} divided by the number of partitions merged side by side, and at most
 * {@code mergeObjectBytes}.
 */
final class MergeSchedule {

    /** One merged object to write: {@code group} of {@code partition}, all of whose sources a batch reads. */
    record Part(int partition, MergePlan.Group group) {
    }

    /** Source objects to read once each, in this order, and the merged objects they complete. */
    record Batch(List<String> objects, List<Part> parts, long bytes) {
    }

    private MergeSchedule() {
    }

    static List<Batch> batches(Map<Integer, List<MergePlan.Group>> groups, JanitorSettings s) {
        List<String> order = readOrder(groups);
        Map<String, Long> wanted = new HashMap<>();
        groups.values().forEach(gs -> gs.forEach(g -> g.sources().forEach(
                e -> wanted.merge(e.objectKey(), (long) e.length(), Long::sum))));
        // As few batches as the buffer allows, of about equal size (no small last batch of small pieces).
        long total = wanted.values().stream().mapToLong(Long::longValue).sum();
        long batches = Math.max(1, (total + s.mergeBufferBytes() - 1) / s.mergeBufferBytes());
        long even = (total + batches - 1) / batches;
        Map<String, Integer> batchOf = new HashMap<>();
        List<List<String>> objects = new ArrayList<>();
        List<Long> bytes = new ArrayList<>();
        for (String key : order) {
            long w = wanted.get(key);
            long held = objects.isEmpty() ? 0 : bytes.get(bytes.size() - 1);
            if (objects.isEmpty() || held >= even || held + w > s.mergeBufferBytes()) {
                objects.add(new ArrayList<>());
                bytes.add(0L);
            }
            int b = objects.size() - 1;
            objects.get(b).add(key);
            bytes.set(b, bytes.get(b) + w);
            batchOf.put(key, b);
        }
        List<List<Part>> parts = new ArrayList<>();
        objects.forEach(o -> parts.add(new ArrayList<>()));
        groups.forEach((partition, gs) -> {
            for (MergePlan.Group g : gs) {
                List<IndexEntry> run = new ArrayList<>();
                int runBatch = -1;
                for (IndexEntry e : g.sources()) {
                    int b = batchOf.get(e.objectKey());
                    if (b != runBatch) {
                        addPart(parts, runBatch, partition, run, s);
                        run = new ArrayList<>();
                        runBatch = b;
                    }
                    run.add(e);
                }
                addPart(parts, runBatch, partition, run, s);
            }
        });
        List<Batch> out = new ArrayList<>();
        for (int b = 0; b < objects.size(); b++) {
            out.add(new Batch(List.copyOf(objects.get(b)), List.copyOf(parts.get(b)), bytes.get(b)));
        }
        return out;
    }

    private static void addPart(List<List<Part>> parts, int batch, int partition, List<IndexEntry> run, JanitorSettings s) {
        if (batch >= 0 && run.size() >= 2) {
            parts.get(batch).add(new Part(partition, MergePlan.group(run, s)));
        }
    }

    /**
     * The source objects in an order that agrees with every partition's entry order (Kahn's algorithm;
     * ties go to the object seen first). Chain order is one such order, so it always exists; should the
     * entry orders ever disagree, the object seen first is taken anyway and the groups it splits are cut.
     */
    static List<String> readOrder(Map<Integer, List<MergePlan.Group>> groups) {
        Map<String, Integer> index = new LinkedHashMap<>();
        List<List<Integer>> next = new ArrayList<>();
        List<Integer> before = new ArrayList<>();
        for (List<MergePlan.Group> gs : groups.values()) {
            int previous = -1;
            for (MergePlan.Group g : gs) {
                for (IndexEntry e : g.sources()) {
                    int i = index.computeIfAbsent(e.objectKey(), k -> {
                        next.add(new ArrayList<>());
                        before.add(0);
                        return next.size() - 1;
                    });
                    if (previous >= 0 && previous != i) {
                        next.get(previous).add(i);
                        before.set(i, before.get(i) + 1);
                    }
                    previous = i;
                }
            }
        }
        List<String> keys = new ArrayList<>(index.keySet());
        boolean[] done = new boolean[keys.size()];
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < keys.size(); i++) {
            if (before.get(i) == 0) {
                ready.add(i);
            }
        }
        List<String> order = new ArrayList<>(keys.size());
        int lowest = 0;
        while (order.size() < keys.size()) {
            int i;
            if (!ready.isEmpty()) {
                i = ready.poll();
            } else {
                while (done[lowest]) {
                    lowest++;
                }
                i = lowest; // the entry orders disagree: break the cycle at the object seen first
            }
            if (done[i]) {
                continue;
            }
            done[i] = true;
            order.add(keys.get(i));
            for (int j : next.get(i)) {
                before.set(j, before.get(j) - 1);
                if (before.get(j) == 0 && !done[j]) {
                    ready.add(j);
                }
            }
        }
        return order;
    }
}
