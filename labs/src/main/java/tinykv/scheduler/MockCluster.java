package tinykv.scheduler;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import tinykv.proto.metapb.Peer;
import tinykv.proto.metapb.Region;
import tinykv.proto.metapb.Store;
import tinykv.proto.metapb.StoreState;
import tinykv.proto.schedulerpb.StoreStats;
import tinykv.scheduler.core.BasicCluster;
import tinykv.scheduler.core.RegionInfo;
import tinykv.scheduler.core.StoreInfo;
import tinykv.scheduler.core.StoreStatus;
import tinykv.scheduler.schedule.Cluster;
import tinykv.scheduler.schedule.ScheduleConfig;
import tinykv.scheduler.server.IdAllocator;

/**
 * A cluster for scheduler unit tests (TinyKV's {@code mockcluster.Cluster}): a test sets each store's
 * counts and sizes by hand and puts regions in directly, without heartbeats. As in TinyKV, putting a region
 * in does not recount the stores: the store figures are whatever the test set. Virtual time stands still
 * at {@link #now()} unless the test moves it.
 */
public final class MockCluster implements Cluster {
    /** The size every store's region count is multiplied by, and every mock region's size (TinyKV's 10). */
    public static final long REGION_SIZE = 10;
    private static final long CAPACITY = 1000L << 20;

    private final BasicCluster core = new BasicCluster();
    private final IdAllocator ids = new IdAllocator(1);
    private final RandomGenerator random;
    private ScheduleConfig config = ScheduleConfig.DEFAULT.withRegionScheduleLimit(64);
    private long nowMs;

    /** @param random where the random region picks come from (the test's seeded source) */
    public MockCluster(RandomGenerator random) {
        this.random = requireNonNull(random, "random");
    }

    // ---- Setting the scene ----

    /** A store that is up, heartbeating now, with {@code regionCount} regions of size {@link #REGION_SIZE}. */
    public void addRegionStore(long storeId, int regionCount) {
        StoreStats stats = StoreStats.newBuilder().setStoreId(storeId).setCapacity(CAPACITY)
                .setAvailable(CAPACITY - regionCount * REGION_SIZE).build();
        StoreStatus status = new StoreStatus(0, regionCount, 0, 0, regionCount * REGION_SIZE);
        core.putStore(new StoreInfo(Store.newBuilder().setId(storeId).build(), stats, nowMs, status));
    }

    /** A store that is up, heartbeating now, leading {@code leaderCount} regions of size {@link #REGION_SIZE}. */
    public void addLeaderStore(long storeId, int leaderCount) {
        StoreStats stats = StoreStats.newBuilder().setStoreId(storeId).setCapacity(CAPACITY)
                .setAvailable(CAPACITY - leaderCount * REGION_SIZE).build();
        StoreStatus status = new StoreStatus(leaderCount, 0, 0, leaderCount * REGION_SIZE, 0);
        core.putStore(new StoreInfo(Store.newBuilder().setId(storeId).build(), stats, nowMs, status));
    }

    /**
     * Region {@code regionId} with its leader on {@code leaderStore} and followers on {@code followerStores},
     * fresh peer ids, size {@link #REGION_SIZE}, in place of any region of that id.
     */
    public void addLeaderRegion(long regionId, long leaderStore, long... followerStores) {
        Peer leader = allocPeer(leaderStore);
        List<Peer> peers = new ArrayList<>(List.of(leader));
        for (long store : followerStores) {
            peers.add(allocPeer(store));
        }
        Region meta = Region.newBuilder().setId(regionId).setStartKey(key(regionId)).setEndKey(key(regionId + 1))
                .addAllPeers(peers).build();
        putRegion(RegionInfo.of(meta, leader).withApproximateSize(REGION_SIZE));
    }

    public void putRegion(RegionInfo region) {
        core.putRegion(region);
    }

    /** Sets the store's region count and size ({@code regionCount * REGION_SIZE}). */
    public void updateRegionCount(long storeId, int regionCount) {
        StoreInfo store = store(storeId);
        StoreStatus status = store.status();
        core.putStore(store.withStatus(new StoreStatus(status.leaderCount(), regionCount, status.pendingPeerCount(),
                status.leaderSize(), regionCount * REGION_SIZE)));
    }

    public void setStoreOffline(long storeId) {
        core.putStore(store(storeId).withState(StoreState.Offline));
    }

    /** Up, but without a heartbeat for as long as can be: down. */
    public void setStoreDown(long storeId) {
        core.putStore(store(storeId).withState(StoreState.Up).withLastHeartbeat(StoreInfo.NEVER));
    }

    public void setMaxReplicas(int replicas) {
        config = config.withMaxReplicas(replicas);
    }

    public void setConfig(ScheduleConfig newConfig) {
        config = requireNonNull(newConfig, "config");
    }

    /** Moves virtual time on. */
    public void advance(long ms) {
        nowMs += ms;
    }

    public BasicCluster core() {
        return core;
    }

    private StoreInfo store(long storeId) {
        return core.getStore(storeId).orElseThrow(() -> new IllegalArgumentException("no store " + storeId
                + " in the mock cluster"));
    }

    /** TinyKV's mock keys: the region id, right-aligned in 20 characters, so ids sort as keys. */
    private static ByteString key(long id) {
        return ByteString.copyFrom(String.format(Locale.ROOT, "%20d", id), StandardCharsets.US_ASCII);
    }

    // ---- Cluster ----

    @Override
    public long now() {
        return nowMs;
    }

    @Override
    public ScheduleConfig config() {
        return config;
    }

    @Override
    public List<StoreInfo> getStores() {
        return core.getStores();
    }

    @Override
    public Optional<StoreInfo> getStore(long storeId) {
        return core.getStore(storeId);
    }

    @Override
    public Optional<RegionInfo> getRegion(long regionId) {
        return core.getRegion(regionId);
    }

    @Override
    public List<StoreInfo> getRegionStores(RegionInfo region) {
        return core.getRegionStores(region);
    }

    @Override
    public List<StoreInfo> getFollowerStores(RegionInfo region) {
        return core.getFollowerStores(region);
    }

    @Override
    public Optional<RegionInfo> randLeaderRegion(long storeId, Predicate<RegionInfo> filter) {
        return core.randLeaderRegion(storeId, random, filter);
    }

    @Override
    public Optional<RegionInfo> randFollowerRegion(long storeId, Predicate<RegionInfo> filter) {
        return core.randFollowerRegion(storeId, random, filter);
    }

    @Override
    public Optional<RegionInfo> randPendingRegion(long storeId, Predicate<RegionInfo> filter) {
        return core.randPendingRegion(storeId, random, filter);
    }

    @Override
    public Peer allocPeer(long storeId) {
        return Peer.newBuilder().setId(ids.alloc()).setStoreId(storeId).build();
    }
}
