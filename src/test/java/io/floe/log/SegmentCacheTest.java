package io.floe.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.format.IndexEntry;
import io.floe.format.RecordBatches;
import io.floe.format.SegmentFormat;
import io.floe.model.Message;
import io.floe.store.CountingObjectStore;
import io.floe.store.MemoryObjectStore;
import io.floe.store.ObjectStore;
import io.floe.store.Operation;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SegmentCacheTest {

    /** One flush object of {@code partitions} chunks of about {@code chunkBytes} each; returns its entries. */
    private static List<IndexEntry> writeFlush(ObjectStore store, String key, int partitions, int chunkBytes) {
        List<SegmentFormat.Chunk> chunks = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            byte[] batch = RecordBatches.build(List.of(new Message(p, null, new byte[chunkBytes], List.of(), 1L)), 1L);
            chunks.add(new SegmentFormat.Chunk("topic", p, ByteBuffer.wrap(batch)));
        }
        SegmentFormat.Encoded encoded = SegmentFormat.encode(chunks);
        store.put(key, encoded.bytes());
        List<IndexEntry> entries = new ArrayList<>();
        for (SegmentFormat.Located at : encoded.chunks()) {
            entries.add(new IndexEntry(0, 1, 1L, key, at.position(), at.length()));
        }
        return entries;
    }

    @Test
    void allPartitionsOfAFlushObjectUpToEightMibCostOneGet() {
        CountingObjectStore store = new CountingObjectStore(new MemoryObjectStore());
        List<IndexEntry> entries = writeFlush(store, "segments/a", 8, 900_000); // ≈ 7.2 MB object
        SegmentCache cache = new SegmentCache(store, new Retry(Retry.Sleeper.NONE, new java.util.SplittableRandom(1)), Runnable::run, 128 << 20, 8 << 20, () -> LogEvents.NONE);
        for (IndexEntry e : entries) {
            ByteBuffer read = cache.read(e).join();
            assertThat(read.remaining()).isEqualTo(e.length());
        }
        assertThat(store.snapshot().requests(Operation.RANGE_GET)).isEqualTo(1);
    }

    @Test
    void aFirstReadOfAnEntryIsAMissAndEveryLaterReadAHit() {
        CountingObjectStore store = new CountingObjectStore(new MemoryObjectStore());
        List<IndexEntry> entries = writeFlush(store, "segments/b", 3, 1_000);
        java.util.List<Boolean> reads = java.util.Collections.synchronizedList(new ArrayList<>());
        LogEvents events = new LogEvents() {
            @Override
            public void cacheRead(boolean hit) {
                reads.add(hit);
            }
        };
        SegmentCache cache = new SegmentCache(store, new Retry(Retry.Sleeper.NONE, new java.util.SplittableRandom(1)),
                Runnable::run, 128 << 20, 8 << 20, () -> events);
        cache.read(entries.get(0)).join();
        cache.read(entries.get(0)).join();
        cache.read(entries.get(1)).join();
        cache.read(entries.get(0)).join();
        assertThat(reads).containsExactly(false, true, false, true);
    }

    @Test
    void concurrentLargeReadsStayWithinTheReadBudget() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        ObjectStore slow = new DelegatingStore(new MemoryObjectStore()) {
            @Override
            public Optional<StoredObject> getRange(String key, long position, int length) {
                int now = inFlight.incrementAndGet();
                most.accumulateAndGet(now, Math::max);
                try {
                    Thread.sleep(30);
                    return super.getRange(key, position, length);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                } finally {
                    inFlight.decrementAndGet();
                }
            }
        };
        List<IndexEntry> firsts = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            firsts.add(writeFlush(slow, "segments/" + i, 1, 100_000).get(0));
        }
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            SegmentCache cache = new SegmentCache(slow, new Retry(Retry.Sleeper.NONE, new java.util.SplittableRandom(1)), executor, 128 << 20, 8 << 20, () -> LogEvents.NONE);
            List<CompletableFuture<ByteBuffer>> reads = firsts.stream().map(cache::read).toList();
            CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).join();
        }
        // Each prefix read asks for up to the prefix size, so the budget admits this many at once.
        int admitted = SegmentCache.MIN_READS_IN_FLIGHT_BYTES / SegmentCache.MIN_PREFIX_BYTES;
        assertThat(most.get()).isPositive().isLessThanOrEqualTo(admitted);
    }

    @Test
    void aConsumerCatchingUpOnPartitionsAtDifferentPositionsReadsEachFlushObjectOnce() {
        // Twelve flush objects of 8 partitions (≈ 7 MB each); a consumer whose partitions are up to three
        // objects apart, as a catching-up Kafka consumer's are: partition p reads object i at step i + p / 3.
        CountingObjectStore store = new CountingObjectStore(new MemoryObjectStore());
        List<List<IndexEntry>> objects = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            objects.add(writeFlush(store, "segments/o" + i, 8, 900_000));
        }
        // Small entry cache: entries must come from the objects, not from having been read before.
        SegmentCache cache = new SegmentCache(store, new Retry(Retry.Sleeper.NONE, new java.util.SplittableRandom(1)),
                Runnable::run, 1 << 20, 8 << 20, () -> LogEvents.NONE);
        for (int step = 0; step < 12 + 3; step++) {
            for (int p = 0; p < 8; p++) {
                int object = step - p / 3;
                if (object >= 0 && object < 12) {
                    assertThat(cache.read(objects.get(object).get(p)).join().remaining())
                            .isEqualTo(objects.get(object).get(p).length());
                }
            }
        }
        assertThat(store.snapshot().requests(Operation.RANGE_GET)).isEqualTo(12);
    }

    @Test
    void anEntryReadFromAPrefixServesItsBytesWithoutKeepingTheDroppedPrefixAlive() throws Exception {
        droppedPrefixIsCollectableWhileItsEntryIsServed(Runnable::run, 6);
    }

    @Test
    void aPrefixDroppedByTheLastLoadIsNotKeptAliveWhenNoReadFollows() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            // Loads run on the pool; the load of the last object drops the first, and nothing is read after it.
            droppedPrefixIsCollectableWhileItsEntryIsServed(pool, 6);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Entries are views of their object's prefix while it is held (D103); once the prefix cache drops it
     * (the sixth object of ≈ 7 MB read pushes the first out of its 32 MiB: a prefix counts once loaded), the
     * entries still cached must not pin its bytes, yet still be served without a GET.
     */
    private static void droppedPrefixIsCollectableWhileItsEntryIsServed(java.util.concurrent.Executor executor, int objectCount)
            throws Exception {
        List<java.lang.ref.WeakReference<byte[]>> firstPrefix = java.util.Collections.synchronizedList(new ArrayList<>());
        CountingObjectStore store = new CountingObjectStore(new DelegatingStore(new MemoryObjectStore()) {
            @Override
            public Optional<StoredObject> getRange(String key, long position, int length) {
                // A fresh array per read, as a real store returns: only the caches may hold it.
                Optional<StoredObject> read = super.getRange(key, position, length)
                        .map(o -> new StoredObject(o.content().clone(), o.etag()));
                if (key.equals("segments/o0")) {
                    read.ifPresent(o -> firstPrefix.add(new java.lang.ref.WeakReference<>(o.content())));
                }
                return read;
            }
        });
        List<List<IndexEntry>> objects = new ArrayList<>();
        for (int i = 0; i < objectCount; i++) {
            objects.add(writeFlush(store, "segments/o" + i, 8, 900_000));
        }
        IndexEntry first = new IndexEntry(40, 1, 1L, "segments/o0", objects.get(0).get(3).position(),
                objects.get(0).get(3).length());
        SegmentCache cache = new SegmentCache(store, new Retry(Retry.Sleeper.NONE, new java.util.SplittableRandom(1)),
                executor, 128 << 20, 8 << 20, () -> LogEvents.NONE);
        ByteBuffer before = cache.read(first).join();
        assertThat(RecordBatches.nextOffset(before)).isEqualTo(41);
        byte[] expected = new byte[before.remaining()];
        before.get(expected);
        before = null;
        for (int i = 1; i < objectCount; i++) {
            cache.read(objects.get(i).get(0)).join();
        }
        long gets = store.snapshot().requests(Operation.RANGE_GET);

        for (int i = 0; i < 50 && firstPrefix.getFirst().get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(firstPrefix).hasSize(1);
        assertThat(firstPrefix.getFirst().get()).as("the dropped prefix is still reachable").isNull();
        ByteBuffer after = cache.read(first).join();
        byte[] actual = new byte[after.remaining()];
        after.get(actual);
        assertThat(actual).isEqualTo(expected);
        assertThat(store.snapshot().requests(Operation.RANGE_GET)).isEqualTo(gets);
    }
}
