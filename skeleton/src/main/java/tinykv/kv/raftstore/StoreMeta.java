package tinykv.kv.raftstore;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tinykv.proto.metapb.Region;

/** The regions this store holds a peer of, by id, as the store worker and peers see them (TinyKV's storeMeta). */
final class StoreMeta {
    private final Map<Long, Region> regions = new TreeMap<>();

    void put(Region region) {
        regions.put(region.getId(), region);
    }

    void remove(long regionId) {
        regions.remove(regionId);
    }

    Optional<Region> region(long regionId) {
        return Optional.ofNullable(regions.get(regionId));
    }

    int regionCount() {
        return regions.size();
    }

    /**
     * Initialized regions whose key range meets {@code range}'s (an empty end means no end), in id order. A
     * peer still waiting for its first snapshot has no range yet, so it overlaps nothing.
     */
    List<Region> overlapping(Region range) {
        return regions.values().stream()
                .filter(region -> region.getPeersCount() > 0 && overlaps(region, range))
                .toList();
    }

    private static boolean overlaps(Region a, Region b) {
        boolean aStartsBeforeBEnds =
                b.getEndKey().isEmpty() || RegionChecks.compare(a.getStartKey(), b.getEndKey()) < 0;
        boolean bStartsBeforeAEnds =
                a.getEndKey().isEmpty() || RegionChecks.compare(b.getStartKey(), a.getEndKey()) < 0;
        return aStartsBeforeBEnds && bStartsBeforeAEnds;
    }
}
