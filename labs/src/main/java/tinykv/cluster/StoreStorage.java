package tinykv.cluster;

import java.util.Optional;
import tinykv.kv.engine.EngineLocation;
import tinykv.kv.engine.Engines;
import tinykv.kv.engine.WriteObserver;
import tinykv.kv.raftstore.meta.Keys;

/**
 * Where one store of a test cluster keeps its engines for the whole test: RocksDB's in-memory file system,
 * which outlives a stop (the engines close) and a start (they reopen on the same files), and is freed by
 * {@link #destroy()} when the cluster shuts down, even after a failure.
 */
final class StoreStorage {
    private final EngineLocation location;

    private StoreStorage(EngineLocation location) {
        this.location = location;
    }

    /** A store's storage, whose engines tell {@code observer} of every write (its crash points). */
    static StoreStorage create(long storeId, WriteObserver observer) {
        EngineLocation location = EngineLocation.inMemory("store " + storeId);
        location.observeWrites(observer);
        return new StoreStorage(location);
    }

    /** Opens the store's engines on what it wrote before (nothing, the first time). */
    Engines open() {
        return Engines.open(location);
    }

    /** Frees everything the store wrote; also closes engines left open. Harmless twice. */
    void destroy() {
        location.close();
    }

    /** A client key's value in {@code cf} of the kv engine, as the raftstore stores it (under its data key). */
    static Optional<byte[]> readData(Engines engines, String cf, byte[] key) {
        return engines.kv().get(cf, Keys.dataKey(key));
    }
}
