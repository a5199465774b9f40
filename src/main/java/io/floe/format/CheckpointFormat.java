package io.floe.format;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes and decodes checkpoint objects (versioned, CRC32C-protected, object keys de-duplicated).
 * Stateless and thread-safe. All integers big-endian; strings are u16 length + UTF-8.
 *
 * <pre>
 * +------------------------------------------------------------------+
 * | magic "FLCP" u32 | version u8 = 3 (1 and 2 still decode)         |
 * | sequence i64 | timestampMs i64                                   |
 * +------------------------------------------------------------------+
 * | keyCount u32, keyCount x objectKey str     (the string table)    |
 * +------------------------------------------------------------------+
 * | partitionCount u32, then per partition:                          |
 * |   partition i32 | logStartOffset i64 | endOffset i64 |           |
 * |   cleanedUpTo i64 (version 2 only)                               |
 * |   entryCount u32, entryCount x entry (36 bytes each):            |
 * |     baseOffset i64 | offsetCount i32 | maxTimestamp i64 |        |
 * |     keyIndex u32 (into the string table) | position i64 |        |
 * |     length i32                                                   |
 * |   version 3 only, after the entries:                             |
 * |   producerCount u32, producerCount x producer:                   |
 * |     producerId i64 | epoch i16 | lastCommitMs i64 |             |
 * |     txnFirstOffset i64 (-1: no open transaction) |               |
 * |     batchCount u8, batchCount x { firstSeq i32 | lastSeq i32 |   |
 * |       baseOffset i64 | lastOffset i64 }                          |
 * |   abortedCount u32, abortedCount x { producerId i64 |            |
 * |     firstOffset i64 | lastOffset i64 }                           |
 * +------------------------------------------------------------------+
 * | crc32c u32 of every byte before it                               |
 * +------------------------------------------------------------------+
 * </pre>
 *
 * Fixed-width entries keep decoding a single pass without per-field branching: 100,000 index
 * entries are 3.6 MB and decode in milliseconds. Equal keys are shared as one String instance
 * after decoding.
 */
public final class CheckpointFormat {

    static final int MAGIC = 0x464C4350; // "FLCP"
    static final int VERSION_1 = 1;
    /** Version 2 adds cleanedUpTo per partition. */
    static final int VERSION_2 = 2;
    /** Version 3 adds producer state and aborted transactions per partition. */
    static final int VERSION = 3;
    static final int ENTRY_SIZE = 36;
    static final int PARTITION_HEADER_SIZE = 4 + 8 + 8 + 4;
    static final int MIN_SIZE = 4 + 1 + 8 + 8 + 4 + 4 + 4;

    private CheckpointFormat() {
    }

    public static byte[] encode(Checkpoint checkpoint) {
        Map<String, Integer> keyIndex = new HashMap<>();
        List<String> keys = new ArrayList<>();
        long entries = 0;
        for (Checkpoint.PartitionState p : checkpoint.partitions()) {
            for (IndexEntry e : p.entries()) {
                if (e.objectKey() == null) {
                    throw new IllegalArgumentException("Index entry at offset " + e.baseOffset() + " of partition "
                            + p.partition() + " has no object key.");
                }
                if (keyIndex.putIfAbsent(e.objectKey(), keys.size()) == null) {
                    keys.add(e.objectKey());
                }
            }
            entries += p.entries().size();
        }
        long producers = 0;
        for (Checkpoint.PartitionState p : checkpoint.partitions()) {
            producers += 8 + p.aborted().size() * 24L;
            for (Checkpoint.Producer pr : p.producers()) {
                producers += 27 + 24L * pr.batches().size();
            }
        }
        long estimate = MIN_SIZE + 64L * keys.size() + (long) PARTITION_HEADER_SIZE * checkpoint.partitions().size()
                + ENTRY_SIZE * entries + producers;
        ObjectWriter w = new ObjectWriter((int) Math.min(estimate, Integer.MAX_VALUE - 64));
        w.i32(MAGIC).u8(VERSION).i64(checkpoint.sequence()).i64(checkpoint.timestampMs());
        w.i32(keys.size());
        for (String k : keys) {
            w.string(k, "object key");
        }
        w.i32(checkpoint.partitions().size());
        for (Checkpoint.PartitionState p : checkpoint.partitions()) {
            w.i32(p.partition()).i64(p.logStartOffset()).i64(p.endOffset()).i64(p.cleanedUpTo()).i32(p.entries().size());
            for (IndexEntry e : p.entries()) {
                w.i64(e.baseOffset()).i32(e.offsetCount()).i64(e.maxTimestamp())
                        .i32(keyIndex.get(e.objectKey())).i64(e.position()).i32(e.length());
            }
            w.i32(p.producers().size());
            for (Checkpoint.Producer pr : p.producers()) {
                if (pr.batches().size() > 255) {
                    throw new IllegalArgumentException("Producer " + pr.producerId() + " keeps " + pr.batches().size() + " batches.");
                }
                w.i64(pr.producerId()).i16(pr.epoch()).i64(pr.lastCommitMs()).i64(pr.txnFirstOffset()).u8(pr.batches().size());
                for (Checkpoint.SeqRange b : pr.batches()) {
                    w.i32(b.firstSeq()).i32(b.lastSeq()).i64(b.baseOffset()).i64(b.lastOffset());
                }
            }
            w.i32(p.aborted().size());
            for (Checkpoint.AbortedTxn a : p.aborted()) {
                w.i64(a.producerId()).i64(a.firstOffset()).i64(a.lastOffset());
            }
        }
        return w.crc32cOfAll().toByteArray();
    }

    /** Decodes and validates a whole checkpoint object; throws {@link CorruptObjectException} naming the problem. */
    public static Checkpoint decode(byte[] object) {
        ObjectReader r = new ObjectReader(object, "Checkpoint");
        r.expectMagic(MAGIC, "magic");
        int version = r.u8("version");
        if (version != VERSION && version != VERSION_2 && version != VERSION_1) {
            throw r.corrupt("unsupported version " + version + " (this Floe reads versions " + VERSION_1 + " to " + VERSION + ")");
        }
        r.checkTrailingCrc32c(MIN_SIZE);
        long sequence = r.i64("sequence");
        long timestampMs = r.i64("timestampMs");
        int keyCount = r.count("object key count", 2);
        String[] keys = new String[keyCount];
        for (int i = 0; i < keyCount; i++) {
            keys[i] = r.string("object key " + i);
        }
        int partitionCount = r.count("partition count", PARTITION_HEADER_SIZE);
        List<Checkpoint.PartitionState> partitions = new ArrayList<>(partitionCount);
        for (int p = 0; p < partitionCount; p++) {
            int partition = r.i32("partition " + p);
            long logStartOffset = r.i64("logStartOffset of partition " + partition);
            long endOffset = r.i64("endOffset of partition " + partition);
            long cleanedUpTo = version == VERSION_1 ? logStartOffset : r.i64("cleanedUpTo of partition " + partition);
            if (partition < 0 || logStartOffset < 0 || endOffset < logStartOffset) {
                throw r.corrupt("partition " + partition + " has logStartOffset " + logStartOffset + " and endOffset "
                        + endOffset + "; expected 0 <= logStartOffset <= endOffset and a partition >= 0");
            }
            int entryCount = r.count("entry count of partition " + partition, ENTRY_SIZE);
            List<IndexEntry> entries = new ArrayList<>(entryCount);
            for (int i = 0; i < entryCount; i++) {
                long baseOffset = r.i64("baseOffset");
                int offsetCount = r.i32("offsetCount");
                long maxTimestamp = r.i64("maxTimestamp");
                int k = r.i32("keyIndex");
                long position = r.i64("position");
                int length = r.i32("length");
                if (k < 0 || k >= keyCount) {
                    throw r.corrupt("entry " + i + " of partition " + partition + " names object key " + k + " of " + keyCount);
                }
                if (baseOffset < 0 || offsetCount < 0 || position < 0 || length < 0) {
                    throw r.corrupt("entry " + i + " of partition " + partition + " has a negative baseOffset, offsetCount, position or length");
                }
                entries.add(new IndexEntry(baseOffset, offsetCount, maxTimestamp, keys[k], position, length));
            }
            List<Checkpoint.Producer> producers = new ArrayList<>();
            List<Checkpoint.AbortedTxn> aborted = new ArrayList<>();
            if (version >= VERSION) {
                int producerCount = r.count("producer count of partition " + partition, 27);
                for (int i = 0; i < producerCount; i++) {
                    producers.add(decodeProducer(r, partition));
                }
                int abortedCount = r.count("aborted transaction count of partition " + partition, 24);
                for (int i = 0; i < abortedCount; i++) {
                    long pid = r.i64("producerId of an aborted transaction");
                    long first = r.i64("firstOffset of an aborted transaction");
                    long last = r.i64("lastOffset of an aborted transaction");
                    if (pid < 0 || first < 0 || last < first) {
                        throw r.corrupt("aborted transaction " + i + " of partition " + partition + " has producer " + pid
                                + " and offsets [" + first + ", " + last + "]");
                    }
                    aborted.add(new Checkpoint.AbortedTxn(pid, first, last));
                }
            }
            partitions.add(new Checkpoint.PartitionState(partition, logStartOffset, endOffset, entries, cleanedUpTo,
                    producers, aborted));
        }
        r.expectEnd("the last partition");
        return new Checkpoint(sequence, timestampMs, List.copyOf(partitions));
    }

    private static Checkpoint.Producer decodeProducer(ObjectReader r, int partition) {
        long pid = r.i64("producerId");
        short epoch = (short) r.u16("producer epoch");
        long lastCommitMs = r.i64("producer lastCommitMs");
        long txnFirst = r.i64("producer txnFirstOffset");
        int n = r.u8("producer batch count");
        if (pid < 0 || txnFirst < -1) {
            throw r.corrupt("producer " + pid + " of partition " + partition + " has txnFirstOffset " + txnFirst);
        }
        List<Checkpoint.SeqRange> batches = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            int first = r.i32("firstSeq");
            int last = r.i32("lastSeq");
            long base = r.i64("baseOffset");
            long lastOffset = r.i64("lastOffset");
            if (base < 0 || lastOffset < base) {
                throw r.corrupt("batch " + k + " of producer " + pid + " of partition " + partition + " has offsets ["
                        + base + ", " + lastOffset + "]");
            }
            batches.add(new Checkpoint.SeqRange(first, last, base, lastOffset));
        }
        return new Checkpoint.Producer(pid, epoch, lastCommitMs, txnFirst, batches);
    }
}
