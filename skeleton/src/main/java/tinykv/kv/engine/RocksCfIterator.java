package tinykv.kv.engine;

import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * A {@link CfIterator} over a RocksDB iterator. It owns the iterator and its read options, and guards
 * every call: RocksDB's native iterator would crash the JVM when used closed or unpositioned.
 */
final class RocksCfIterator implements CfIterator, OwnedResources.Resource {
    private final String description;
    private final RocksIterator iterator;
    private final ReadOptions readOptions;
    private final OwnedResources owner;
    private boolean closed;

    /** Takes ownership of {@code iterator} and {@code readOptions}, and registers with {@code owner}. */
    RocksCfIterator(String description, RocksIterator iterator, ReadOptions readOptions, OwnedResources owner) {
        this.description = description;
        this.iterator = iterator;
        this.readOptions = readOptions;
        this.owner = owner;
        owner.add(this);
    }

    @Override
    public void seek(byte[] key) {
        ensureOpen();
        iterator.seek(key);
    }

    @Override
    public void seekToFirst() {
        ensureOpen();
        iterator.seekToFirst();
    }

    @Override
    public boolean valid() {
        ensureOpen();
        if (iterator.isValid()) {
            return true;
        }
        try {
            // Invalid means either "past the end" or "failed"; only the status tells them apart.
            iterator.status();
        } catch (RocksDBException e) {
            throw new EngineException(description + " failed", e);
        }
        return false;
    }

    @Override
    public byte[] key() {
        ensurePositioned("key()");
        return iterator.key();
    }

    @Override
    public byte[] value() {
        ensurePositioned("value()");
        return iterator.value();
    }

    @Override
    public void next() {
        ensurePositioned("next()");
        iterator.next();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        owner.remove(this);
        iterator.close();
        readOptions.close();
    }

    private void ensurePositioned(String call) {
        if (!valid()) {
            throw new IllegalStateException(call + " on " + description + " that is not on a key (check valid())");
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(description + " is closed");
        }
    }
}
