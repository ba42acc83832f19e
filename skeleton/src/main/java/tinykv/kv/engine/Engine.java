package tinykv.kv.engine;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Message;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Env;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteOptions;

/**
 * One RocksDB instance with a fixed set of column families: a store's kv engine or its raft engine
 * (see {@link Engines}). It reads, writes {@link WriteBatch}es atomically, takes snapshots and iterates.
 *
 * <p>Not thread-safe, and need not be: the whole store runs on one event loop. Every native handle it
 * opens is closed by {@link #close()}, including snapshots and iterators still open; after that, every
 * call throws {@link IllegalStateException} instead of crashing the JVM as RocksDB itself would.
 */
public final class Engine implements EngineReader, AutoCloseable {
    private final String name;
    private final RocksDB db;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions columnFamilyOptions;
    private final Map<String, ColumnFamilyHandle> columnFamilies;
    private final ReadOptions readOptions = new ReadOptions();
    // No sync: a write that returned is kept across a simulated crash (the in-memory files outlive it), and
    // syncing would only cost time.
    private final WriteOptions writeOptions = new WriteOptions().setSync(false);
    private final OwnedResources openSnapshotsAndIterators = new OwnedResources();
    /** Hears every write: where a test harness places its crash points. */
    private final WriteObserver observer;
    private boolean closed;

    private Engine(String name, RocksDB db, DBOptions dbOptions, ColumnFamilyOptions columnFamilyOptions,
            Map<String, ColumnFamilyHandle> columnFamilies, WriteObserver observer) {
        this.name = name;
        this.observer = observer;
        this.db = db;
        this.dbOptions = dbOptions;
        this.columnFamilyOptions = columnFamilyOptions;
        this.columnFamilies = columnFamilies;
    }

    /**
     * Opens (creating if needed) the engine stored at {@code directory}.
     *
     * @param name          for messages, e.g. {@code "kv of store 3"}
     * @param env           RocksDB's in-memory Env, or null for the real file system
     * @param columnFamilies the column families it has; the same list every time it is opened
     * @param observer      told of every write ({@link WriteObserver#NONE} outside tests)
     */
    static Engine open(String name, Path directory, List<String> columnFamilies, Env env, WriteObserver observer) {
        RocksDB.loadLibrary();
        if (env == null) {
            createDirectories(directory);
        }
        DBOptions dbOptions = RocksOptions.dbOptions(env);
        ColumnFamilyOptions cfOptions = RocksOptions.columnFamilyOptions();
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        for (String cf : columnFamilies) {
            descriptors.add(new ColumnFamilyDescriptor(cf.getBytes(StandardCharsets.UTF_8), cfOptions));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try {
            RocksDB db = RocksDB.open(dbOptions, directory.toString(), descriptors, handles);
            Map<String, ColumnFamilyHandle> byName = new LinkedHashMap<>();
            for (int i = 0; i < columnFamilies.size(); i++) {
                byName.put(columnFamilies.get(i), handles.get(i));
            }
            return new Engine(name, db, dbOptions, cfOptions, byName, requireNonNull(observer, "observer"));
        } catch (RocksDBException e) {
            handles.forEach(ColumnFamilyHandle::close);
            cfOptions.close();
            dbOptions.close();
            throw new EngineException("cannot open engine " + name + " at " + directory, e);
        }
    }

    /** For messages: {@code "kv of store 3"}. */
    public String name() {
        return name;
    }

    /** The column families this engine has, in the order it was opened with. */
    public List<String> columnFamilies() {
        return List.copyOf(columnFamilies.keySet());
    }

    // ---- reads ----

    @Override
    public Optional<byte[]> get(String cf, byte[] key) {
        ensureOpen();
        return read(readOptions, cf, key);
    }

    /** An iterator over the live engine; it sees the data as of its creation. */
    @Override
    public CfIterator iterator(String cf) {
        ensureOpen();
        return openIterator(cf, null, openSnapshotsAndIterators, "iterator over cf '" + cf + "' of " + this);
    }

    /** A consistent point-in-time view; close it when done. */
    public EngineSnapshot snapshot() {
        ensureOpen();
        return new EngineSnapshot(this, db.getSnapshot(), openSnapshotsAndIterators);
    }

    // ---- writes ----

    /**
     * Applies every change of {@code batch} atomically, in the order they were added. Checks every column
     * family first, so a batch naming an unknown one changes nothing. The batch is left as it was.
     */
    public void write(WriteBatch batch) {
        ensureOpen();
        requireNonNull(batch, "batch");
        if (batch.isEmpty()) {
            return;
        }
        observer.beforeWrite(this);
        List<ColumnFamilyHandle> handles = new ArrayList<>(batch.size());
        for (WriteBatch.Change change : batch.changes()) {
            handles.add(handle(change.cf()));
        }
        try (org.rocksdb.WriteBatch rocksBatch = new org.rocksdb.WriteBatch()) {
            for (int i = 0; i < handles.size(); i++) {
                addTo(rocksBatch, handles.get(i), batch.changes().get(i));
            }
            db.write(writeOptions, rocksBatch);
        } catch (RocksDBException e) {
            throw new EngineException("write to engine " + name + " failed", e);
        }
        observer.afterWrite(this); // outside the try: a simulated crash is not a failed write
    }

    /** Sets one key; a one-change {@link #write}. */
    public void putCF(String cf, byte[] key, byte[] value) {
        WriteBatch batch = new WriteBatch();
        batch.setCF(cf, key, value);
        write(batch);
    }

    /** Deletes one key; a one-change {@link #write}. */
    public void deleteCF(String cf, byte[] key) {
        WriteBatch batch = new WriteBatch();
        batch.deleteCF(cf, key);
        write(batch);
    }

    /** Stores a message under a meta key; a one-change {@link #write}. */
    public void putMeta(byte[] key, Message message) {
        WriteBatch batch = new WriteBatch();
        batch.setMeta(key, message);
        write(batch);
    }

    /**
     * Deletes every key in [start, end) from every column family, atomically: TinyKV's DeleteRange, used
     * to drop a region's data. {@code end} is required; for a region that runs to the end of the key
     * space pass {@code Keys.dataEndKey(region.getEndKey())}.
     */
    public void deleteRange(byte[] start, byte[] end) {
        WriteBatch batch = new WriteBatch();
        for (String cf : columnFamilies.keySet()) {
            batch.deleteRangeCF(cf, start, end);
        }
        write(batch);
    }

    // ---- lifecycle ----

    public boolean isClosed() {
        return closed;
    }

    /** Closes open snapshots and iterators, then the database. Closing twice is harmless. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        openSnapshotsAndIterators.closeAll();
        columnFamilies.values().forEach(ColumnFamilyHandle::close);
        try {
            db.closeE();
        } catch (RocksDBException e) {
            throw new EngineException("closing engine " + name + " failed", e);
        } finally {
            readOptions.close();
            writeOptions.close();
            columnFamilyOptions.close();
            dbOptions.close();
        }
    }

    @Override
    public String toString() {
        return "engine " + name;
    }

    // ---- for EngineSnapshot ----

    Optional<byte[]> read(ReadOptions options, String cf, byte[] key) {
        requireNonNull(key, "key");
        try {
            return Optional.ofNullable(db.get(handle(cf), options, key));
        } catch (RocksDBException e) {
            throw new EngineException("read from engine " + name + " failed", e);
        }
    }

    /** @param snapshot what the iterator reads, or null for the live engine */
    CfIterator openIterator(String cf, Snapshot snapshot, OwnedResources owner, String description) {
        ColumnFamilyHandle handle = handle(cf);
        ReadOptions options = new ReadOptions();
        if (snapshot != null) {
            options.setSnapshot(snapshot);
        }
        return new RocksCfIterator(description, db.newIterator(handle, options), options, owner);
    }

    void release(EngineSnapshot owner, Snapshot snapshot) {
        openSnapshotsAndIterators.remove(owner);
        db.releaseSnapshot(snapshot);
        snapshot.close();
    }

    /** How many snapshots and iterators are open; for tests that check nothing leaks. */
    public int openResourceCount() {
        return openSnapshotsAndIterators.count();
    }

    // ---- helpers ----

    private ColumnFamilyHandle handle(String cf) {
        ColumnFamilyHandle handle = columnFamilies.get(requireNonNull(cf, "cf"));
        if (handle == null) {
            throw new IllegalArgumentException(
                    this + " has no column family '" + cf + "' (it has " + columnFamilies.keySet() + ")");
        }
        return handle;
    }

    private static void addTo(org.rocksdb.WriteBatch rocksBatch, ColumnFamilyHandle handle, WriteBatch.Change change)
            throws RocksDBException {
        if (change instanceof WriteBatch.Put put) {
            rocksBatch.put(handle, put.key(), put.value());
        } else if (change instanceof WriteBatch.Delete delete) {
            rocksBatch.delete(handle, delete.key());
        } else if (change instanceof WriteBatch.DeleteRange range) {
            // RocksDB rejects a range whose end is before its start; an empty range deletes nothing anyway.
            if (Arrays.compareUnsigned(range.start(), range.end()) < 0) {
                rocksBatch.deleteRange(handle, range.start(), range.end());
            }
        } else {
            throw new AssertionError("unknown change " + change);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    private static void createDirectories(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
    }
}
