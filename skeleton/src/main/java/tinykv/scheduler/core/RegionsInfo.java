package tinykv.scheduler.core;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import tinykv.kv.storage.KeyRange;
import tinykv.proto.metapb.Peer;
import tinykv.proto.metapb.Region;

/**
 * Every region the scheduler knows (TinyKV's {@code core.RegionsInfo}), indexed four ways: by id, by key
 * range (a {@link RegionTree}), and per store as its leaders, its followers and its pending peers. The
 * indexes always agree: a region enters and leaves all of them at once. Not thread-safe: {@link BasicCluster}
 * guards it.
 */
public final class RegionsInfo {
    private final RegionTree tree = new RegionTree();
    private final Map<Long, RegionInfo> regions = new TreeMap<>();
    private final Map<Long, RegionSet> leaders = new TreeMap<>();
    private final Map<Long, RegionSet> followers = new TreeMap<>();
    private final Map<Long, RegionSet> pendingPeers = new TreeMap<>();
    private long totalSize;

    // ---- Changes ----

    /** Puts {@code region} in place of the region of the same id; returns the other regions it overlapped. */
    public List<RegionInfo> setRegion(RegionInfo region) {
        getRegion(region.id()).ifPresent(this::removeRegion);
        return addRegion(region);
    }

    /** Adds {@code region}, taking out every region it overlaps; returns those. */
    public List<RegionInfo> addRegion(RegionInfo region) {
        List<RegionInfo> overlaps = tree.update(region);
        for (RegionInfo overlap : overlaps) {
            removeFromIndexes(overlap);
        }
        Optional.ofNullable(regions.get(region.id())).ifPresent(this::removeFromIndexes);
        regions.put(region.id(), region);
        totalSize += region.approximateSize();
        for (Peer peer : region.peers()) {
            Map<Long, RegionSet> role = region.isLeader(peer) ? leaders : followers;
            role.computeIfAbsent(peer.getStoreId(), id -> new RegionSet()).put(region);
        }
        for (Peer peer : region.pendingPeers()) {
            pendingPeers.computeIfAbsent(peer.getStoreId(), id -> new RegionSet()).put(region);
        }
        return overlaps;
    }

    public void removeRegion(RegionInfo region) {
        tree.remove(region);
        removeFromIndexes(region);
    }

    private void removeFromIndexes(RegionInfo region) {
        RegionInfo old = regions.remove(region.id());
        if (old == null) {
            return;
        }
        totalSize -= old.approximateSize();
        for (Peer peer : old.peers()) {
            for (Map<Long, RegionSet> role : List.of(leaders, followers, pendingPeers)) {
                Optional.ofNullable(role.get(peer.getStoreId())).ifPresent(set -> set.remove(old.id()));
            }
        }
    }

    // ---- Regions ----

    public Optional<RegionInfo> getRegion(long regionId) {
        return Optional.ofNullable(regions.get(regionId));
    }

    /** Every region, in id order. */
    public List<RegionInfo> getRegions() {
        return new ArrayList<>(regions.values());
    }

    /** The metas of every region, in id order. */
    public List<Region> getMetaRegions() {
        return regions.values().stream().map(RegionInfo::meta).toList();
    }

    public int getRegionCount() {
        return regions.size();
    }

    /** The regions whose ranges share a key with {@code region}'s, from left to right. */
    public List<RegionInfo> getOverlaps(RegionInfo region) {
        return tree.getOverlaps(region.keyRange());
    }

    /** The region that holds {@code key}. */
    public Optional<RegionInfo> searchRegion(ByteString key) {
        return tree.search(key);
    }

    /** The region just before the one that holds {@code key}, if the two touch. */
    public Optional<RegionInfo> searchPrevRegion(ByteString key) {
        return tree.searchPrev(key);
    }

    /** The regions meeting {@code range}, left to right, at most {@code limit} ({@code <= 0}: all). */
    public List<RegionInfo> scanRange(KeyRange range, int limit) {
        return tree.scanRange(range, limit);
    }

    /** How many regions the key-range index holds; equal to {@link #getRegionCount()} unless a bug broke it. */
    public int treeLength() {
        return tree.size();
    }

    public long getAverageRegionSize() {
        return regions.isEmpty() ? 0 : totalSize / regions.size();
    }

    // ---- Per store ----

    public int getStoreLeaderCount(long storeId) {
        return set(leaders, storeId).size();
    }

    public int getStoreFollowerCount(long storeId) {
        return set(followers, storeId).size();
    }

    /** Regions with a peer on the store, leaders and followers. */
    public int getStoreRegionCount(long storeId) {
        return getStoreLeaderCount(storeId) + getStoreFollowerCount(storeId);
    }

    public int getStorePendingPeerCount(long storeId) {
        return set(pendingPeers, storeId).size();
    }

    public long getStoreLeaderRegionSize(long storeId) {
        return set(leaders, storeId).totalSize();
    }

    public long getStoreFollowerRegionSize(long storeId) {
        return set(followers, storeId).totalSize();
    }

    public long getStoreRegionSize(long storeId) {
        return getStoreLeaderRegionSize(storeId) + getStoreFollowerRegionSize(storeId);
    }

    /** The counts and sizes of the store, as {@link StoresInfo} keeps them. */
    public StoreStatus storeStatus(long storeId) {
        return new StoreStatus(getStoreLeaderCount(storeId), getStoreRegionCount(storeId),
                getStorePendingPeerCount(storeId), getStoreLeaderRegionSize(storeId), getStoreRegionSize(storeId));
    }

    /** The regions with a peer on the store: its leaders, then its followers, each in id order. */
    public List<RegionInfo> getStoreRegions(long storeId) {
        List<RegionInfo> found = new ArrayList<>(set(leaders, storeId).regions());
        found.addAll(set(followers, storeId).regions());
        return found;
    }

    /** The region as the store's leader index holds it, if the store leads it. */
    public Optional<RegionInfo> getLeader(long storeId, long regionId) {
        return set(leaders, storeId).get(regionId);
    }

    /** The region as the store's follower index holds it, if the store follows in it. */
    public Optional<RegionInfo> getFollower(long storeId, long regionId) {
        return set(followers, storeId).get(regionId);
    }

    public Optional<RegionInfo> randLeaderRegion(long storeId, RandomGenerator random, Predicate<RegionInfo> filter) {
        return set(leaders, storeId).random(random, filter);
    }

    public Optional<RegionInfo> randFollowerRegion(long storeId, RandomGenerator random, Predicate<RegionInfo> filter) {
        return set(followers, storeId).random(random, filter);
    }

    public Optional<RegionInfo> randPendingRegion(long storeId, RandomGenerator random, Predicate<RegionInfo> filter) {
        return set(pendingPeers, storeId).random(random, filter);
    }

    private static RegionSet set(Map<Long, RegionSet> role, long storeId) {
        RegionSet found = role.get(storeId);
        return found != null ? found : new RegionSet();
    }
}
