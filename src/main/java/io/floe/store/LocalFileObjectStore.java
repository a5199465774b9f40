package io.floe.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * An {@link ObjectStore} in a local directory: the embedded default ({@code ./data}), so that
 * {@code java -jar} works with no configuration.
 *
 * <p><b>Layout.</b> Under {@code root}:
 * <pre>
 *   objects/&lt;key&gt;~     one file per object; key segments become directories. The '~' suffix
 *                       (not a key character) keeps key "a" and key "a/b" from colliding.
 *   tmp/               files being written; never listed, never read
 *   locks/stripe-NN    64 lock files for compare-and-swap
 * </pre>
 * An object file is {@code [16 bytes: version][content]}: the version, in hex, is the object's ETag.
 * A version is unique to one write (this store's random 64-bit id, then a 64-bit count of its
 * writes), so writing an object costs no hash of its content: S3 documents ETags as opaque (they are
 * MD5s only for some objects), and every compare-and-swap needs only that a rewrite changes the ETag.
 * Files written before versions (the header was the content's MD5) read as they are: their MD5 is
 * still their ETag, and it differs from every version.
 *
 * <p><b>Atomicity, across threads and processes.</b> Every write is staged in {@code tmp/}
 * (forced to disk) and made visible in one step: {@link Files#createLink} for create-if-absent
 * (fails if the key exists) and an atomic rename for the others, so a reader sees the old object
 * or the new one, never a partial one; a reader holding an open file keeps its version. Writes to
 * a key are serialised by a striped lock: a {@link ReentrantLock} per lock file within this JVM
 * (shared by all instances on the same directory) and {@link FileChannel#lock()} on that file
 * across processes. Under it, replace-if-match reads the current ETag and compares. Two processes
 * on one directory therefore behave like two instances on one bucket. Reads take no lock.
 *
 * <p>Thread-safe. {@link #close()} releases the lock files' channels.
 */
public final class LocalFileObjectStore implements ObjectStore {

    private static final String SUFFIX = "~";
    private static final int HEADER = 16;
    private static final int STRIPES = 64;
    /**
     * Reads and writes move at most this much per call: the JDK copies a heap buffer through a temporary
     * direct buffer of the call's size, and keeps buffers up to {@code jdk.nio.maxCachedBufferSize}
     * (1 MiB in {@code ./floe}) for the thread's next call, so larger calls would allocate, zero and free
     * one of up to a flush object's size each time (or, uncapped, keep one per thread).
     */
    private static final int IO_CHUNK = 1 << 20;
    /** JVM-wide: FileChannel.lock() throws if the same JVM already holds an overlapping lock. */
    private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private final Path root;
    private final Path objects;
    private final Path tmp;
    private final Path locks;
    /** This store's id, the first half of every version it writes. */
    private final long storeId = new SecureRandom().nextLong();
    private final AtomicLong writes = new AtomicLong();

    public LocalFileObjectStore(Path root) {
        try {
            this.root = Files.createDirectories(root).toRealPath();
            this.objects = Files.createDirectories(this.root.resolve("objects"));
            this.tmp = Files.createDirectories(this.root.resolve("tmp"));
            this.locks = Files.createDirectories(this.root.resolve("locks"));
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.FATAL,
                    "cannot create the data directory " + root.toAbsolutePath() + ": " + e, e);
        }
    }

    /** The directory this store lives in. */
    public Path root() {
        return root;
    }

    @Override
    public Optional<StoredObject> get(String key) {
        Path file = file(key);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size() - HEADER;
            if (size > Integer.MAX_VALUE - 64) {
                throw new StoreException(StoreException.Kind.FATAL, "object too large to read whole: " + key);
            }
            String etag = readEtag(ch, file);
            byte[] content = readFully(ch, HEADER, (int) size);
            return Optional.of(new StoredObject(content, etag));
        } catch (NoSuchFileException | NotDirectoryException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw io("read " + key, e);
        }
    }

    @Override
    public Optional<StoredObject> getRange(String key, long position, int length) {
        MemoryObjectStore.checkRange(position, length);
        Path file = file(key);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size() - HEADER;
            String etag = readEtag(ch, file);
            long from = Math.min(position, size);
            int n = (int) Math.min(length, size - from);
            return Optional.of(new StoredObject(readFully(ch, HEADER + from, n), etag));
        } catch (NoSuchFileException | NotDirectoryException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw io("read " + key, e);
        }
    }

    @Override
    public WriteResult createIfAbsent(String key, byte[] content) {
        Path target = file(key);
        return withLock(key, () -> {
            byte[] version = nextVersion();
            Path staged = stage(content, version);
            try {
                Files.createDirectories(target.getParent());
                Files.createLink(target, staged);
                return new WriteResult.Written(HexFormat.of().formatHex(version));
            } catch (FileAlreadyExistsException e) {
                return WriteResult.CONFLICT;
            } finally {
                Files.deleteIfExists(staged);
            }
        });
    }

    @Override
    public WriteResult replaceIfMatch(String key, byte[] content, String expectedEtag) {
        Path target = file(key);
        String expected = ETags.unquote(expectedEtag);
        return withLock(key, () -> {
            String current;
            try (FileChannel ch = FileChannel.open(target, StandardOpenOption.READ)) {
                current = readEtag(ch, target);
            } catch (NoSuchFileException | NotDirectoryException e) {
                return WriteResult.CONFLICT;
            }
            if (!current.equalsIgnoreCase(expected)) {
                return WriteResult.CONFLICT;
            }
            byte[] version = nextVersion();
            Path staged = stage(content, version);
            try {
                Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(staged);
            }
            return new WriteResult.Written(HexFormat.of().formatHex(version));
        });
    }

    @Override
    public String put(String key, byte[] content) {
        Path target = file(key);
        return withLock(key, () -> {
            byte[] version = nextVersion();
            Path staged = stage(content, version);
            try {
                Files.createDirectories(target.getParent());
                Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(staged);
            }
            return HexFormat.of().formatHex(version);
        });
    }

    @Override
    public List<ObjectInfo> list(String prefix, String startAfter, int limit) {
        String p = KeyRules.checkPrefix(prefix);
        MemoryObjectStore.checkLimit(limit);
        // Walk only the deepest directory that every matching key lives under.
        int slash = p.lastIndexOf('/');
        Path start = slash < 0 ? objects : objects.resolve(p.substring(0, slash));
        List<ObjectInfo> found = new ArrayList<>();
        if (!Files.isDirectory(start)) {
            return found;
        }
        try (Stream<Path> files = Files.walk(start)) {
            files.forEach(f -> {
                String name = f.getFileName().toString();
                if (!name.endsWith(SUFFIX)) {
                    return;
                }
                String key = objects.relativize(f).toString().replace(f.getFileSystem().getSeparator(), "/");
                key = key.substring(0, key.length() - SUFFIX.length());
                if (key.startsWith(p) && (startAfter == null || key.compareTo(startAfter) > 0)) {
                    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                        found.add(new ObjectInfo(key, Math.max(0, ch.size() - HEADER), readEtag(ch, f)));
                    } catch (IOException e) {
                        // deleted while we walked: not listed
                    }
                }
            });
        } catch (IOException | UncheckedIOException e) {
            if (e.getCause() instanceof NoSuchFileException || e instanceof NoSuchFileException) {
                // a directory vanished during the walk; what was found is still a valid answer
            } else {
                throw io("list " + p, e instanceof IOException io ? io : ((UncheckedIOException) e).getCause());
            }
        }
        // Keys are ASCII, so String order is S3's UTF-8 binary order.
        found.sort((a, b) -> a.key().compareTo(b.key()));
        return found.size() <= limit ? found : List.copyOf(found.subList(0, limit));
    }

    @Override
    public void delete(String key) {
        Path target = file(key);
        withLock(key, () -> Files.deleteIfExists(target));
    }

    private Path file(String key) {
        return objects.resolve(KeyRules.check(key) + SUFFIX);
    }

    /** A version no other write, by this store or another on the same directory, has. */
    private byte[] nextVersion() {
        return ByteBuffer.allocate(HEADER).putLong(storeId).putLong(writes.incrementAndGet()).array();
    }

    /**
     * Writes header (the version, which the caller also answers as the ETag) and content to a fresh
     * file in tmp/, without copying the content, and forces it to disk.
     */
    private Path stage(byte[] content, byte[] version) throws IOException {
        Path staged = tmp.resolve(UUID.randomUUID() + ".tmp");
        try (FileChannel ch = FileChannel.open(staged, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            writeFully(ch, ByteBuffer.wrap(version));
            for (int off = 0; off < content.length; off += IO_CHUNK) {
                writeFully(ch, ByteBuffer.wrap(content, off, Math.min(IO_CHUNK, content.length - off)));
            }
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(staged);
            throw e;
        }
        return staged;
    }

    private interface IoAction<T> {
        T run() throws IOException;
    }

    private <T> T withLock(String key, IoAction<T> action) {
        Path lockFile = locks.resolve("stripe-%02d".formatted(Math.floorMod(key.hashCode(), STRIPES)));
        ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(lockFile, k -> new ReentrantLock());
        jvmLock.lock();
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = ch.lock()) {
            return action.run();
        } catch (IOException e) {
            throw io("write " + key, e);
        } finally {
            jvmLock.unlock();
        }
    }

    private static String readEtag(FileChannel ch, Path file) throws IOException {
        if (ch.size() < HEADER) {
            throw new StoreException(StoreException.Kind.FATAL, "corrupt object file (no header): " + file);
        }
        return HexFormat.of().formatHex(readFully(ch, 0, HEADER));
    }

    private static byte[] readFully(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.position() < length) {
            buf.limit(Math.min(length, buf.position() + IO_CHUNK));
            int n = ch.read(buf, position + buf.position());
            if (n < 0) {
                break;
            }
        }
        return buf.position() == length ? buf.array() : Arrays.copyOf(buf.array(), buf.position());
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    private StoreException io(String what, IOException e) {
        return new StoreException(StoreException.Kind.UNAVAILABLE,
                "local store " + root + ": cannot " + what + ": " + e, e);
    }
}
