package tinykv.kv.raftstore.meta;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The key formats of a store, byte for byte those of TinyKV's {@code meta/keys.go}; ids and indexes are
 * unsigned 64-bit numbers written big-endian, so that byte order is number order.
 *
 * <p>Two kinds of keys share the engines' byte space:
 * <ul>
 *   <li><b>local keys</b> start with {@code 0x01} and hold the store's own state. Per region, in the
 *       raft engine: {@code 01 02 <region> 01 <index>} a raft log entry, {@code 01 02 <region> 02} the
 *       raft state; in the kv engine: {@code 01 02 <region> 03} the apply state and
 *       {@code 01 03 <region> 01} the region state. Grouping by region makes "every entry of region 5"
 *       one contiguous range, and keeping region states under their own prefix lets a starting store scan
 *       them all without reading any raft log.
 *   <li><b>data keys</b> are a client's keys behind the prefix {@code 'z'} ({@code 0x7a}), in every
 *       column family of the kv engine. The prefix keeps them after all local keys, so a client key can
 *       never collide with a meta key in the default column family.
 * </ul>
 *
 * <p>Fixed keys are methods returning fresh arrays, since a shared {@code byte[]} could be changed by
 * anyone holding it.
 */
public final class Keys {
    private Keys() {}

    public static final byte LOCAL_PREFIX = 0x01;
    public static final byte REGION_RAFT_PREFIX = 0x02;
    public static final byte REGION_META_PREFIX = 0x03;
    /** Local key + region raft prefix + region id + suffix. */
    public static final int REGION_RAFT_PREFIX_LENGTH = 11;
    /** Local key + region raft prefix + region id + suffix + log index. */
    public static final int REGION_RAFT_LOG_LENGTH = 19;

    // Suffixes after 01 02 <region>.
    public static final byte RAFT_LOG_SUFFIX = 0x01;
    public static final byte RAFT_STATE_SUFFIX = 0x02;
    public static final byte APPLY_STATE_SUFFIX = 0x03;
    // Suffix after 01 03 <region>.
    public static final byte REGION_STATE_SUFFIX = 0x01;

    public static final byte DATA_PREFIX = 'z';

    // ---- fixed keys ----

    /** The smallest key: empty. A region's empty start key means "from the beginning". */
    public static byte[] minKey() {
        return new byte[0];
    }

    /** Sorts after every key the kit writes. */
    public static byte[] maxKey() {
        return new byte[] {(byte) 0xff};
    }

    public static byte[] localMinKey() {
        return new byte[] {LOCAL_PREFIX};
    }

    public static byte[] localMaxKey() {
        return new byte[] {LOCAL_PREFIX + 1};
    }

    /** The start of the region states, for scanning them all when a store starts. */
    public static byte[] regionMetaMinKey() {
        return new byte[] {LOCAL_PREFIX, REGION_META_PREFIX};
    }

    /** The (exclusive) end of the region states. */
    public static byte[] regionMetaMaxKey() {
        return new byte[] {LOCAL_PREFIX, REGION_META_PREFIX + 1};
    }

    /** Holds the first region while a store bootstraps, until the bootstrap is done. */
    public static byte[] prepareBootstrapKey() {
        return new byte[] {LOCAL_PREFIX, 0x01};
    }

    /** Holds the store's {@code StoreIdent} (cluster id and store id). */
    public static byte[] storeIdentKey() {
        return new byte[] {LOCAL_PREFIX, 0x02};
    }

    /** The smallest data key: the data key of the empty key. */
    public static byte[] dataMinKey() {
        return new byte[] {DATA_PREFIX};
    }

    /** Sorts after every data key. */
    public static byte[] dataMaxKey() {
        return new byte[] {DATA_PREFIX + 1};
    }

    // ---- raft engine: raft log and raft state ----

    /** {@code 01 02 <region>}: the start of everything the raft engine holds for one region. */
    public static byte[] regionRaftPrefixKey(long regionId) {
        return ByteBuffer.allocate(10).put(LOCAL_PREFIX).put(REGION_RAFT_PREFIX).putLong(regionId).array();
    }

    /** The key of the raft log entry at {@code index} of a region. */
    public static byte[] raftLogKey(long regionId, long index) {
        return ByteBuffer.allocate(REGION_RAFT_LOG_LENGTH)
                .put(regionRaftPrefixKey(regionId)).put(RAFT_LOG_SUFFIX).putLong(index).array();
    }

    /** {@code 01 02 <region> 01}: every raft log key of the region starts with it. */
    public static byte[] raftLogPrefix(long regionId) {
        return regionKey(regionId, RAFT_LOG_SUFFIX);
    }

    /** The log index in a key made by {@link #raftLogKey}. */
    public static long raftLogIndex(byte[] key) {
        if (key.length != REGION_RAFT_LOG_LENGTH) {
            throw new IllegalArgumentException("not a raft log key: " + hex(key));
        }
        return ByteBuffer.wrap(key, REGION_RAFT_LOG_LENGTH - 8, 8).getLong();
    }

    public static byte[] raftStateKey(long regionId) {
        return regionKey(regionId, RAFT_STATE_SUFFIX);
    }

    /** Whether a key has the shape of a raft state or apply state key (TinyKV's IsRaftStateKey). */
    public static boolean isRaftStateKey(byte[] key) {
        return key.length == REGION_RAFT_PREFIX_LENGTH && key[0] == LOCAL_PREFIX && key[1] == REGION_RAFT_PREFIX;
    }

    // ---- kv engine: apply state and region state ----

    public static byte[] applyStateKey(long regionId) {
        return regionKey(regionId, APPLY_STATE_SUFFIX);
    }

    /** {@code 01 03 <region>}: the start of a region's meta keys. */
    public static byte[] regionMetaPrefixKey(long regionId) {
        return ByteBuffer.allocate(10).put(LOCAL_PREFIX).put(REGION_META_PREFIX).putLong(regionId).array();
    }

    public static byte[] regionStateKey(long regionId) {
        return ByteBuffer.allocate(11).put(regionMetaPrefixKey(regionId)).put(REGION_STATE_SUFFIX).array();
    }

    /** What a region meta key names: the region and the suffix (e.g. {@link #REGION_STATE_SUFFIX}). */
    public record RegionMetaKey(long regionId, byte suffix) {}

    /** Splits a key found between {@link #regionMetaMinKey()} and {@link #regionMetaMaxKey()}. */
    public static RegionMetaKey decodeRegionMetaKey(byte[] key) {
        byte[] prefix = regionMetaMinKey();
        if (key.length != prefix.length + 8 + 1) {
            throw new IllegalArgumentException("invalid region meta key length: " + hex(key));
        }
        if (!Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length)) {
            throw new IllegalArgumentException("invalid region meta key prefix: " + hex(key));
        }
        long regionId = ByteBuffer.wrap(key, prefix.length, 8).getLong();
        return new RegionMetaKey(regionId, key[key.length - 1]);
    }

    // ---- data keys ----

    /** The key under which a client's {@code key} is stored: {@code 'z' + key}. */
    public static byte[] dataKey(byte[] key) {
        requireNonNull(key, "key");
        byte[] dataKey = new byte[key.length + 1];
        dataKey[0] = DATA_PREFIX;
        System.arraycopy(key, 0, dataKey, 1, key.length);
        return dataKey;
    }

    /** The client's key inside a data key: the inverse of {@link #dataKey}. */
    public static byte[] originKey(byte[] dataKey) {
        if (!isDataKey(dataKey)) {
            throw new IllegalArgumentException("not a data key: " + hex(dataKey));
        }
        return Arrays.copyOfRange(dataKey, 1, dataKey.length);
    }

    /**
     * The data key where a region ending at {@code endKey} ends: an empty end key means "to the end of
     * the key space", which among data keys is {@link #dataMaxKey()}.
     */
    public static byte[] dataEndKey(byte[] endKey) {
        return endKey.length == 0 ? dataMaxKey() : dataKey(endKey);
    }

    public static boolean isDataKey(byte[] key) {
        return key.length > 0 && key[0] == DATA_PREFIX;
    }

    // ---- helpers ----

    /** {@code 01 02 <region> <suffix>}. */
    private static byte[] regionKey(long regionId, byte suffix) {
        return ByteBuffer.allocate(REGION_RAFT_PREFIX_LENGTH).put(regionRaftPrefixKey(regionId)).put(suffix).array();
    }

    private static String hex(byte[] key) {
        return HexFormat.of().formatHex(key);
    }
}
