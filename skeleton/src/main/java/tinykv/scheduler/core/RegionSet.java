package tinykv.scheduler.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * The regions of one kind on one store (its leaders, its followers, its pending peers), by region id,
 * with their total size: TinyKV's {@code regionSubTree}. Id order keeps every walk and every random pick
 * deterministic.
 */
final class RegionSet {
    private final TreeMap<Long, RegionInfo> byId = new TreeMap<>();
    private long totalSize;

    void put(RegionInfo region) {
        RegionInfo old = byId.put(region.id(), region);
        totalSize += region.approximateSize() - (old == null ? 0 : old.approximateSize());
    }

    void remove(long regionId) {
        RegionInfo old = byId.remove(regionId);
        if (old != null) {
            totalSize -= old.approximateSize();
        }
    }

    Optional<RegionInfo> get(long regionId) {
        return Optional.ofNullable(byId.get(regionId));
    }

    int size() {
        return byId.size();
    }

    long totalSize() {
        return totalSize;
    }

    List<RegionInfo> regions() {
        return new ArrayList<>(byId.values());
    }

    /** One of the regions that pass {@code filter}, drawn from {@code random}; empty if none passes. */
    Optional<RegionInfo> random(RandomGenerator random, Predicate<RegionInfo> filter) {
        List<RegionInfo> candidates = byId.values().stream().filter(filter).toList();
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(candidates.get(random.nextInt(candidates.size())));
    }
}
