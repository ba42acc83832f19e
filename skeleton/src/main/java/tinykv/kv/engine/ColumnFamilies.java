package tinykv.kv.engine;

import java.util.List;

/**
 * The column families of a store's engines. A column family is a key space of its own inside one
 * RocksDB instance; a write batch can still change several of them atomically.
 *
 * <p>The kv engine has all three: {@code default} holds values (and the meta keys), {@code write} and
 * {@code lock} are there for the transaction layer TinyKV builds on top (project 4). The raft engine
 * has only {@code default}.
 */
public final class ColumnFamilies {
    private ColumnFamilies() {}

    public static final String DEFAULT = "default";
    public static final String WRITE = "write";
    public static final String LOCK = "lock";

    /** The column families of a kv engine, in TinyKV's order. */
    public static final List<String> KV = List.of(DEFAULT, WRITE, LOCK);

    /** The column families of a raft engine: the log and the raft state are meta keys in the default one. */
    public static final List<String> RAFT = List.of(DEFAULT);
}
