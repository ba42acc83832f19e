package tinykv.kv.storage;

import static java.util.Objects.requireNonNull;

import java.util.HexFormat;
import java.util.Optional;
import tinykv.kv.engine.CfIterator;
import tinykv.kv.engine.EngineSnapshot;
import tinykv.kv.raftstore.meta.Keys;
import tinykv.proto.metapb.Region;

/**
 * One region's data in a snapshot of the kv engine, in the client's keys: what a Snap command hands back,
 * so the client can read and scan the region as it was when the command was applied (TinyKV's
 * {@code RegionReader}). Keys outside the region [start key, end key) are invisible, as if the engine
 * held this region only.
 *
 * <p>Closing the reader closes the snapshot and its iterators.
 */
public final class RegionReader implements AutoCloseable {
    private final EngineSnapshot snapshot;
    private final Region region;
    private final KeyRange range;

    /** Takes ownership of {@code snapshot}. */
    public RegionReader(EngineSnapshot snapshot, Region region) {
        this.snapshot = requireNonNull(snapshot, "snapshot");
        this.region = requireNonNull(region, "region");
        this.range = KeyRange.of(region);
    }

    public Region region() {
        return region;
    }

    /**
     * The value of a client key in column family {@code cf}, or empty.
     *
     * @throws IllegalArgumentException if the key is not in the region: reading it here would silently
     *     answer "absent" for data another region holds
     */
    public Optional<byte[]> getCF(String cf, byte[] key) {
        if (!range.contains(key)) {
            throw new IllegalArgumentException("key " + HexFormat.of().formatHex(key) + " is not in region "
                    + region.getId() + " " + range);
        }
        return snapshot.get(cf, Keys.dataKey(key));
    }

    /** An iterator over the region's keys in column family {@code cf}; its keys are client keys. */
    public CfIterator iterCF(String cf) {
        return new RegionIterator(snapshot.iterator(cf), region);
    }

    @Override
    public void close() {
        snapshot.close();
    }
}
