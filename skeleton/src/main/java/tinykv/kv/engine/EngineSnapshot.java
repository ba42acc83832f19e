package tinykv.kv.engine;

import java.util.Optional;
import org.rocksdb.ReadOptions;
import org.rocksdb.Snapshot;

/**
 * A consistent, point-in-time view of an {@link Engine}: every read sees the engine exactly as it was
 * when {@link Engine#snapshot()} was called, whatever is written afterwards. A Snap command hands one
 * (inside a region reader) to the client, which scans it later.
 *
 * <p>Close it when done: an open snapshot keeps RocksDB from dropping old versions. Closing the snapshot
 * closes its iterators; closing the engine closes the snapshot.
 */
public final class EngineSnapshot implements EngineReader, AutoCloseable, OwnedResources.Resource {
    private final Engine engine;
    private final Snapshot snapshot;
    private final ReadOptions readOptions;
    private final OwnedResources iterators = new OwnedResources();
    private boolean closed;

    EngineSnapshot(Engine engine, Snapshot snapshot, OwnedResources owner) {
        this.engine = engine;
        this.snapshot = snapshot;
        this.readOptions = new ReadOptions().setSnapshot(snapshot);
        owner.add(this);
    }

    @Override
    public Optional<byte[]> get(String cf, byte[] key) {
        ensureOpen();
        return engine.read(readOptions, cf, key);
    }

    @Override
    public CfIterator iterator(String cf) {
        ensureOpen();
        return engine.openIterator(cf, snapshot, iterators, "iterator over cf '" + cf + "' of a snapshot of " + engine);
    }

    /** The engine this snapshot was taken from. */
    public Engine engine() {
        return engine;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Releases the snapshot and closes its iterators. Closing twice is harmless. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        iterators.closeAll();
        readOptions.close();
        engine.release(this, snapshot);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("snapshot of " + engine + " is closed");
        }
    }
}
