package tinykv.kv.raftstore;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tinykv.kv.storage.KeyRange;
import tinykv.proto.metapb.Region;

/**
 * The regions this store holds a peer of (TinyKV's {@code storeMeta}): by id, and the initialized ones by
 * the end of their key range, so that "which regions here meet this range" is one ordered lookup. A peer
 * still waiting for its first snapshot has no range yet: it is known by id only.
 *
 * <p>Keep it in step with the peers: record a region again whenever its range or members change (a
 * snapshot, a conf change, a split), and remove it when its peer is destroyed.
 */
public final class StoreMeta {
    private final Map<Long, Region> regions = new TreeMap<>();
    /** End key of each initialized region, an empty end (no end) last, to the region's id. */
    private final TreeMap<ByteString, Long> regionsByEnd = new TreeMap<>(KeyRange::compareEnds);
    /** Counts changes to the regions here and to their peers' roles, so observers can skip a store at rest. */
    private long version;

    /** Records {@code region} (new, or a newer version of one already here). */
    public void put(Region region) {
        remove(region.getId());
        regions.put(region.getId(), region);
        if (isInitialized(region)) {
            Long other = regionsByEnd.put(region.getEndKey(), region.getId());
            if (other != null && other != region.getId()) {
                regionsByEnd.put(region.getEndKey(), other);
                throw new IllegalStateException("region " + region.getId() + " " + KeyRange.of(region)
                        + " ends where region " + other + " " + KeyRange.of(regions.get(other))
                        + " ends: two regions on one store overlap (after a split, record the region that"
                        + " kept the start key, with its new end, before the new region)");
            }
        }
        version++;
    }

    public void remove(long regionId) {
        Region removed = regions.remove(regionId);
        if (removed != null) {
            regionsByEnd.remove(removed.getEndKey(), regionId);
            version++;
        }
    }

    public Optional<Region> region(long regionId) {
        return Optional.ofNullable(regions.get(regionId));
    }

    public int regionCount() {
        return regions.size();
    }

    /**
     * The initialized regions whose range meets {@code range}, from left to right: those ending after its
     * start, up to the first that starts at or after its end.
     */
    public List<Region> overlapping(KeyRange range) {
        List<Region> found = new ArrayList<>();
        Map<ByteString, Long> endingAfterStart = range.start().isEmpty() ? regionsByEnd
                : regionsByEnd.tailMap(range.start(), false);
        for (long regionId : endingAfterStart.values()) {
            Region region = regions.get(regionId);
            if (!range.overlaps(KeyRange.of(region))) {
                break;
            }
            found.add(region);
        }
        return found;
    }

    /** Notes that a peer here changed its role or term: observers look again. */
    void noteChange() {
        version++;
    }

    /** Grows with every change to the regions or roles here; the same value means nothing changed. */
    public long version() {
        return version;
    }

    private static boolean isInitialized(Region region) {
        return region.getPeersCount() > 0;
    }
}
