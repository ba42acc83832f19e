package tinykv.kv.engine;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.rocksdb.Env;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksMemEnv;

/**
 * Where a store's two engines keep their files, for the store's whole life: across every stop and start
 * of the store, until {@link #close()} destroys them.
 *
 * <ul>
 *   <li>{@link #inMemory}: RocksDB's in-memory file system; fastest, and what cluster tests use. The
 *       files outlive closing the engines, so a stopped store restarts with what it wrote.
 *   <li>{@link #inTemporaryDirectory}: a new directory on disk, deleted by {@link #close()}.
 *   <li>{@link #inDirectory}: a directory that is kept, for a store that should survive the process.
 * </ul>
 *
 * <p>A test harness creates one location per store, opens {@link Engines} on it to start the store,
 * closes them to stop it, and closes the location in a {@code finally} (or {@code @AfterEach}) even when
 * the test fails: that also closes engines still open, so nothing leaks.
 */
public final class EngineLocation implements AutoCloseable {
    private final String name;
    private final Path root;
    /** RocksDB's in-memory file system, or null for the real one. */
    private final Env memoryEnv;
    private final boolean deleteOnClose;
    /** The engines open on this location right now, or null. */
    private Engines openEngines;
    private WriteObserver writeObserver = WriteObserver.NONE;
    private boolean destroyed;

    private EngineLocation(String name, Path root, Env memoryEnv, boolean deleteOnClose) {
        this.name = name;
        this.root = root;
        this.memoryEnv = memoryEnv;
        this.deleteOnClose = deleteOnClose;
    }

    /**
     * Files kept in memory by RocksDB ({@code RocksMemEnv}); {@link #close()} frees them.
     *
     * @param name for messages, e.g. {@code "store 3"}
     */
    public static EngineLocation inMemory(String name) {
        requireNonNull(name, "name");
        RocksDB.loadLibrary();
        // The path only names files inside this Env; each location has an Env of its own.
        return new EngineLocation(name, Path.of("/tinykv"), new RocksMemEnv(Env.getDefault()), false);
    }

    /** A new temporary directory, deleted with everything in it by {@link #close()}. */
    public static EngineLocation inTemporaryDirectory(String name) {
        requireNonNull(name, "name");
        try {
            Path directory = Files.createTempDirectory("tinykv-" + name.replaceAll("[^A-Za-z0-9]", "-") + "-");
            return new EngineLocation(name, directory, null, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for " + name, e);
        }
    }

    /** A directory that {@link #close()} leaves in place, so the data survives the process. */
    public static EngineLocation inDirectory(String name, Path directory) {
        return new EngineLocation(requireNonNull(name, "name"), requireNonNull(directory, "directory"), null, false);
    }

    /** For messages: {@code "store 3"}. */
    public String name() {
        return name;
    }

    /** The directory the engines live in (inside RocksDB's in-memory file system for {@link #inMemory}). */
    public Path directory() {
        return root;
    }

    public boolean isInMemory() {
        return memoryEnv != null;
    }

    public boolean isDestroyed() {
        return destroyed;
    }

    /**
     * Has every engine opened on this location from now on tell {@code observer} of its writes (a test
     * harness's crash points). Set it before the first open; it lasts for the location's life.
     */
    public void observeWrites(WriteObserver observer) {
        if (openEngines != null) {
            throw new IllegalStateException("set the write observer of " + name + " before its engines open");
        }
        this.writeObserver = requireNonNull(observer, "observer");
    }

    /**
     * Destroys the location: closes the engines if they are still open, then frees the in-memory files or
     * deletes the temporary directory (a directory from {@link #inDirectory} is kept). Closing twice is
     * harmless; opening engines afterwards throws.
     */
    @Override
    public void close() {
        if (destroyed) {
            return;
        }
        destroyed = true;
        try {
            if (openEngines != null) {
                openEngines.close();
            }
        } finally {
            if (memoryEnv != null) {
                memoryEnv.close();
            }
            if (deleteOnClose) {
                deleteRecursively(root);
            }
        }
    }

    @Override
    public String toString() {
        return "storage of " + name + (memoryEnv != null ? " (in memory)" : " at " + root);
    }

    // ---- for Engines ----

    Path kvDirectory() {
        return root.resolve("kv");
    }

    Path raftDirectory() {
        return root.resolve("raft");
    }

    Env memoryEnv() {
        return memoryEnv;
    }

    WriteObserver writeObserver() {
        return writeObserver;
    }

    /** Called before opening: one set of engines at a time, since RocksDB may not open a DB twice. */
    void checkCanOpen() {
        if (destroyed) {
            throw new IllegalStateException(this + " is destroyed");
        }
        if (openEngines != null) {
            throw new IllegalStateException("the engines of " + name + " are already open");
        }
    }

    void opened(Engines engines) {
        openEngines = engines;
    }

    void closed(Engines engines) {
        if (openEngines == engines) {
            openEngines = null;
        }
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            // Deepest first, so every directory is empty when its turn comes.
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }
}
