package tinykv.scheduler.core;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tinykv.kv.storage.KeyRange;

/**
 * The regions by key range (TinyKV's {@code regionTree}): a map from start key to region in the order of
 * the key space, holding regions that do not overlap. Putting a region in takes out every region it
 * overlaps, so the tree always holds the newest view of each key. Every range question goes to
 * {@link KeyRange}. Not thread-safe: {@link BasicCluster} guards it.
 */
final class RegionTree {
    private final TreeMap<ByteString, RegionInfo> byStartKey = new TreeMap<>(KeyRange.KEY_ORDER);

    int size() {
        return byStartKey.size();
    }

    /** The regions that share a key with {@code range}, from left to right. */
    List<RegionInfo> getOverlaps(KeyRange range) {
        List<RegionInfo> overlaps = new ArrayList<>();
        // The region just left of the range's start may reach into it; every other overlap starts inside.
        ByteString from = Optional.ofNullable(byStartKey.floorKey(range.start())).orElse(range.start());
        for (RegionInfo region : byStartKey.tailMap(from, true).values()) {
            if (range.isPastEnd(region.startKey())) {
                break;
            }
            if (region.keyRange().overlaps(range)) {
                overlaps.add(region);
            }
        }
        return overlaps;
    }

    /** Puts {@code region} in, taking out (and returning) every region it overlaps. */
    List<RegionInfo> update(RegionInfo region) {
        List<RegionInfo> overlaps = new ArrayList<>(getOverlaps(region.keyRange()));
        // An empty range [k, k) overlaps nothing, but it still takes the place of the region starting at k.
        RegionInfo atStart = byStartKey.get(region.startKey());
        if (atStart != null && !overlaps.contains(atStart)) {
            overlaps.add(atStart);
        }
        for (RegionInfo overlap : overlaps) {
            byStartKey.remove(overlap.startKey());
        }
        byStartKey.put(region.startKey(), region);
        return overlaps;
    }

    /** Takes the region out if the tree holds it (the same id at its start key); else does nothing. */
    void remove(RegionInfo region) {
        RegionInfo atStart = byStartKey.get(region.startKey());
        if (atStart != null && atStart.id() == region.id()) {
            byStartKey.remove(region.startKey());
        }
    }

    /** The region whose range holds {@code key}. */
    Optional<RegionInfo> search(ByteString key) {
        Map.Entry<ByteString, RegionInfo> floor = byStartKey.floorEntry(key);
        if (floor == null || !floor.getValue().keyRange().contains(key)) {
            return Optional.empty();
        }
        return Optional.of(floor.getValue());
    }

    /** The region that ends where the region holding {@code key} starts. */
    Optional<RegionInfo> searchPrev(ByteString key) {
        return search(key).flatMap(current -> Optional.ofNullable(byStartKey.lowerEntry(current.startKey()))
                .map(Map.Entry::getValue)
                .filter(prev -> prev.endKey().equals(current.startKey())));
    }

    /**
     * The regions that meet {@code [startKey, endKey)} from left to right, at most {@code limit} of them
     * ({@code limit <= 0}: no limit).
     */
    List<RegionInfo> scanRange(KeyRange range, int limit) {
        List<RegionInfo> found = new ArrayList<>();
        for (RegionInfo region : getOverlaps(range)) {
            if (limit > 0 && found.size() >= limit) {
                break;
            }
            found.add(region);
        }
        return found;
    }
}
