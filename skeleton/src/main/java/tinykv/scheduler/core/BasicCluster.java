package tinykv.scheduler.core;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import tinykv.kv.storage.KeyRange;
import tinykv.proto.metapb.Region;
import tinykv.proto.metapb.Store;

/**
 * The stores and regions the scheduler knows (TinyKV's {@code core.BasicCluster}). Every method holds this
 * object's lock, so readers never see a region half put in; a caller that must check and then change (as
 * {@code processRegionHeartbeat} does) holds the lock of the cluster that owns this one.
 */
public final class BasicCluster {
    private final StoresInfo stores = new StoresInfo();
    private final RegionsInfo regions = new RegionsInfo();

    // ---- Stores ----

    public synchronized Optional<StoreInfo> getStore(long storeId) {
        return stores.getStore(storeId);
    }

    /** Every store, in id order. */
    public synchronized List<StoreInfo> getStores() {
        return stores.getStores();
    }

    public synchronized List<Store> getMetaStores() {
        return stores.getMetaStores();
    }

    public synchronized int getStoreCount() {
        return stores.getStoreCount();
    }

    public synchronized void putStore(StoreInfo store) {
        stores.setStore(store);
    }

    public synchronized void deleteStore(long storeId) {
        stores.deleteStore(storeId);
    }

    /**
     * Recounts the store's leaders, regions, pending peers and their sizes from the regions known now
     * (TinyKV's {@code updateStoreStatusLocked}). Call it for every store a region change touched.
     */
    public synchronized void updateStoreStatus(long storeId) {
        stores.updateStoreStatus(storeId, regions.storeStatus(storeId));
    }

    // ---- Regions ----

    public synchronized Optional<RegionInfo> getRegion(long regionId) {
        return regions.getRegion(regionId);
    }

    /** Every region, in id order. */
    public synchronized List<RegionInfo> getRegions() {
        return regions.getRegions();
    }

    public synchronized List<Region> getMetaRegions() {
        return regions.getMetaRegions();
    }

    public synchronized int getRegionCount() {
        return regions.getRegionCount();
    }

    /**
     * Puts {@code region} in place of the region with its id and of every region its range overlaps;
     * returns the overlapped regions of other ids that were taken out. Store counts are not touched: call
     * {@link #updateStoreStatus} for each store involved.
     */
    public synchronized List<RegionInfo> putRegion(RegionInfo region) {
        return regions.setRegion(region);
    }

    public synchronized void removeRegion(RegionInfo region) {
        regions.removeRegion(region);
    }

    /** The known regions whose ranges share a key with {@code region}'s (its own id included, if it is there). */
    public synchronized List<RegionInfo> getOverlaps(RegionInfo region) {
        return regions.getOverlaps(region);
    }

    /** The region that holds {@code key} (TinyKV's {@code SearchRegion}). */
    public synchronized Optional<RegionInfo> searchRegion(ByteString key) {
        return regions.searchRegion(key);
    }

    public synchronized Optional<RegionInfo> searchPrevRegion(ByteString key) {
        return regions.searchPrevRegion(key);
    }

    public synchronized List<RegionInfo> scanRange(KeyRange range, int limit) {
        return regions.scanRange(range, limit);
    }

    public synchronized int treeLength() {
        return regions.treeLength();
    }

    public synchronized long getAverageRegionSize() {
        return regions.getAverageRegionSize();
    }

    // ---- Regions per store ----

    public synchronized List<RegionInfo> getStoreRegions(long storeId) {
        return regions.getStoreRegions(storeId);
    }

    public synchronized int getStoreRegionCount(long storeId) {
        return regions.getStoreRegionCount(storeId);
    }

    public synchronized int getStoreLeaderCount(long storeId) {
        return regions.getStoreLeaderCount(storeId);
    }

    public synchronized int getStoreFollowerCount(long storeId) {
        return regions.getStoreFollowerCount(storeId);
    }

    public synchronized int getStorePendingPeerCount(long storeId) {
        return regions.getStorePendingPeerCount(storeId);
    }

    public synchronized long getStoreLeaderRegionSize(long storeId) {
        return regions.getStoreLeaderRegionSize(storeId);
    }

    public synchronized long getStoreRegionSize(long storeId) {
        return regions.getStoreRegionSize(storeId);
    }

    /** The region as the store's leader index holds it (TinyKV's {@code GetLeader}, for checks). */
    public synchronized Optional<RegionInfo> getLeader(long storeId, long regionId) {
        return regions.getLeader(storeId, regionId);
    }

    /** The region as the store's follower index holds it (TinyKV's {@code GetFollower}, for checks). */
    public synchronized Optional<RegionInfo> getFollower(long storeId, long regionId) {
        return regions.getFollower(storeId, regionId);
    }

    /** The stores that hold a peer of the region and that the scheduler knows, in id order. */
    public synchronized List<StoreInfo> getRegionStores(RegionInfo region) {
        return region.storeIds().stream().flatMap(id -> stores.getStore(id).stream()).toList();
    }

    /** The known stores that hold a follower of the region, in id order. */
    public synchronized List<StoreInfo> getFollowerStores(RegionInfo region) {
        return region.followers().keySet().stream().flatMap(id -> stores.getStore(id).stream()).toList();
    }

    public synchronized Optional<StoreInfo> getLeaderStore(RegionInfo region) {
        return region.leaderStoreId().flatMap(stores::getStore);
    }

    public synchronized Optional<RegionInfo> randLeaderRegion(long storeId, RandomGenerator random,
            Predicate<RegionInfo> filter) {
        return regions.randLeaderRegion(storeId, random, filter);
    }

    public synchronized Optional<RegionInfo> randFollowerRegion(long storeId, RandomGenerator random,
            Predicate<RegionInfo> filter) {
        return regions.randFollowerRegion(storeId, random, filter);
    }

    public synchronized Optional<RegionInfo> randPendingRegion(long storeId, RandomGenerator random,
            Predicate<RegionInfo> filter) {
        return regions.randPendingRegion(storeId, random, filter);
    }
}
