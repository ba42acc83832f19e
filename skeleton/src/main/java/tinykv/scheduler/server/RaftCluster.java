package tinykv.scheduler.server;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import tinykv.kv.raftstore.RegionChecks;
import tinykv.proto.metapb.Peer;
import tinykv.proto.metapb.Region;
import tinykv.proto.metapb.Store;
import tinykv.proto.metapb.StoreState;
import tinykv.proto.schedulerpb.AskSplitRequest;
import tinykv.proto.schedulerpb.AskSplitResponse;
import tinykv.proto.schedulerpb.ErrorType;
import tinykv.proto.schedulerpb.RegionHeartbeatRequest;
import tinykv.proto.schedulerpb.RegionHeartbeatResponse;
import tinykv.proto.schedulerpb.ResponseHeader;
import tinykv.proto.schedulerpb.StoreStats;
import tinykv.runtime.EventLoop;
import tinykv.scheduler.core.BasicCluster;
import tinykv.scheduler.core.RegionInfo;
import tinykv.scheduler.core.SchedulerError;
import tinykv.scheduler.core.StoreInfo;
import tinykv.scheduler.schedule.Cluster;
import tinykv.scheduler.schedule.OperatorController;
import tinykv.scheduler.schedule.ScheduleConfig;

/**
 * The scheduler's view of one cluster and the requests that change it (TinyKV's {@code RaftCluster} and
 * the request checks of its {@code grpc_service.go}): bootstrap, ids, stores and their heartbeats, region
 * heartbeats (answered with the region's next operator step), AskSplit. Provided complete, but for the
 * heartbeat processing of lab 3C, which is in {@link RegionHeartbeatProcessor}.
 *
 * <p>Every request is checked before it changes anything, and a bad one gets a {@link SchedulerError}
 * naming what was wrong; the cluster goes on serving. The requests that change state hold this object's
 * lock, so heartbeats arriving on several threads at once are taken one at a time.
 */
public final class RaftCluster implements Cluster {
    private final long clusterId;
    private final EventLoop loop;
    private final IdAllocator ids;
    private final BasicCluster core = new BasicCluster();
    private final RegionHeartbeatProcessor heartbeats = new RegionHeartbeatProcessor(core);
    private final OperatorController opController = new OperatorController(this);
    private ScheduleConfig config;
    private boolean bootstrapped;

    /**
     * @param loop where virtual time and the random draws of the schedulers come from
     * @param ids  the cluster's id allocator (stores, regions and peers share it)
     */
    public RaftCluster(long clusterId, ScheduleConfig config, EventLoop loop, IdAllocator ids) {
        this.clusterId = clusterId;
        this.config = requireNonNull(config, "config");
        this.loop = requireNonNull(loop, "loop");
        this.ids = requireNonNull(ids, "ids");
    }

    /** A cluster whose ids start at 1. */
    public RaftCluster(long clusterId, ScheduleConfig config, EventLoop loop) {
        this(clusterId, config, loop, new IdAllocator(1));
    }

    public long clusterId() {
        return clusterId;
    }

    /** The stores and regions as the scheduler knows them. */
    public BasicCluster core() {
        return core;
    }

    public OperatorController opController() {
        return opController;
    }

    @Override
    public synchronized ScheduleConfig config() {
        return config;
    }

    public synchronized void setConfig(ScheduleConfig newConfig) {
        config = requireNonNull(newConfig, "config");
    }

    @Override
    public long now() {
        return loop.now();
    }

    // ---- Bootstrap and ids ----

    /**
     * Starts the cluster with its first store. The first region enters the scheduler's view with its first
     * heartbeat, like every other.
     */
    public synchronized void bootstrap(Store store, Region region) {
        if (bootstrapped) {
            throw new SchedulerError(ErrorType.ALREADY_BOOTSTRAPPED, "cluster " + clusterId + " is already bootstrapped");
        }
        if (store.getId() == 0) {
            throw SchedulerError.badRequest("bootstrap of cluster " + clusterId + " needs a store with a non-zero id: "
                    + store);
        }
        if (region.getId() == 0 || RegionChecks.findPeer(region, store.getId()).isEmpty()) {
            throw SchedulerError.badRequest("bootstrap of cluster " + clusterId + " needs a first region with an id "
                    + "and a peer on store " + store.getId() + ": " + region);
        }
        core.putStore(StoreInfo.of(store));
        bootstrapped = true;
    }

    public synchronized boolean isBootstrapped() {
        return bootstrapped;
    }

    public long allocId() {
        return ids.alloc();
    }

    @Override
    public Peer allocPeer(long storeId) {
        return Peer.newBuilder().setId(allocId()).setStoreId(storeId).build();
    }

    // ---- Stores ----

    /** Registers a store or updates its address (TinyKV's {@code putStore}). */
    public synchronized void putStore(Store store) {
        checkBootstrapped();
        if (store.getId() == 0) {
            throw SchedulerError.badRequest("put store: a store needs a non-zero id: " + store);
        }
        Optional<StoreInfo> known = core.getStore(store.getId());
        if (known.filter(StoreInfo::isTombstone).isPresent()) {
            throw SchedulerError.storeTombstoned("put store", store.getId());
        }
        for (StoreInfo other : core.getStores()) {
            if (!other.isTombstone() && other.id() != store.getId() && other.address().equals(store.getAddress())) {
                throw SchedulerError.badRequest("put store " + store.getId() + ": address '" + store.getAddress()
                        + "' is already taken by store " + other.id());
            }
        }
        core.putStore(known.map(s -> s.withMeta(s.meta().toBuilder().setAddress(store.getAddress()).build()))
                .orElseGet(() -> StoreInfo.of(store)));
    }

    /** Records a store's heartbeat: its statistics and that it is alive now. */
    public synchronized void handleStoreHeartbeat(StoreStats stats) {
        checkBootstrapped();
        StoreInfo store = servingStore(stats.getStoreId(), "store heartbeat");
        core.putStore(store.withHeartbeat(stats, now()));
    }

    /** Sets a store's state, for instance Offline before taking it out; a tombstoned store stays one. */
    public synchronized void setStoreState(long storeId, StoreState state) {
        StoreInfo store = servingStore(storeId, "set state " + state);
        core.putStore(store.withState(state));
    }

    @Override
    public Optional<StoreInfo> getStore(long storeId) {
        return core.getStore(storeId);
    }

    @Override
    public List<StoreInfo> getStores() {
        return core.getStores();
    }

    /** The store, if it is known and not tombstoned; else the error, naming {@code what} was asked. */
    private StoreInfo servingStore(long storeId, String what) {
        StoreInfo store = core.getStore(storeId).orElseThrow(() -> SchedulerError.storeNotFound(what, storeId));
        if (store.isTombstone()) {
            throw SchedulerError.storeTombstoned(what, storeId);
        }
        return store;
    }

    // ---- Region heartbeats ----

    /**
     * A region heartbeat from a store: checks that it comes from a region leader on a serving store, takes
     * it in ({@link #processRegionHeartbeat}), and answers with the next step of the region's operator,
     * if it has one.
     */
    public synchronized Optional<RegionHeartbeatResponse> handleRegionHeartbeat(RegionHeartbeatRequest request) {
        checkBootstrapped();
        Region region = request.getRegion();
        if (!request.hasRegion() || region.getId() == 0) {
            throw SchedulerError.badRequest("region heartbeat without a region id: " + request);
        }
        if (!request.hasLeader()) {
            throw SchedulerError.badRequest("heartbeat of region " + region.getId() + " names no leader");
        }
        servingStore(request.getLeader().getStoreId(), "heartbeat of region " + region.getId());
        return handleRegionHeartbeat(RegionInfo.fromHeartbeat(request));
    }

    /** TinyKV's {@code HandleRegionHeartbeat}: processes the region, then dispatches its operator. */
    public synchronized Optional<RegionHeartbeatResponse> handleRegionHeartbeat(RegionInfo region) {
        if (region.peers().isEmpty()) {
            throw SchedulerError.badRequest("heartbeat of region " + region.id() + " reports no peers: " + region);
        }
        processRegionHeartbeat(region);
        return opController.dispatch(region).map(answer -> answer.toBuilder().setHeader(header()).build());
    }

    /**
     * Takes in a heartbeat's view of a region, or refuses it as stale ({@link RegionHeartbeatProcessor},
     * lab 3C).
     */
    public synchronized void processRegionHeartbeat(RegionInfo region) {
        heartbeats.processRegionHeartbeat(requireNonNull(region, "region"));
    }

    // ---- Split ----

    /**
     * New ids for splitting a region (TinyKV's {@code handleAskSplit}): one for the new region and one per
     * peer, if the scheduler knows the region at that epoch or an older one.
     */
    public synchronized AskSplitResponse handleAskSplit(AskSplitRequest request) {
        checkBootstrapped();
        Region asked = request.getRegion();
        RegionInfo known = core.getRegion(asked.getId()).orElseThrow(() -> new SchedulerError(
                ErrorType.REGION_NOT_FOUND, "ask split: region " + asked.getId() + " is not known to the scheduler"));
        if (RegionChecks.isEpochStale(asked.getRegionEpoch(), known.epoch())) {
            throw SchedulerError.badRequest("ask split: region " + asked.getId() + " asks at epoch "
                    + RegionInfo.describe(asked.getRegionEpoch()) + " but the scheduler knows it at "
                    + RegionInfo.describe(known.epoch()));
        }
        AskSplitResponse.Builder response = AskSplitResponse.newBuilder().setHeader(header()).setNewRegionId(allocId());
        for (int i = 0; i < asked.getPeersCount(); i++) {
            response.addNewPeerIds(allocId());
        }
        return response.build();
    }

    // ---- Regions ----

    @Override
    public Optional<RegionInfo> getRegion(long regionId) {
        return core.getRegion(regionId);
    }

    /** The region that holds {@code key} (TinyKV's {@code GetRegionInfoByKey}). */
    public Optional<RegionInfo> getRegionInfoByKey(ByteString key) {
        return core.searchRegion(key);
    }

    /** Every region, in id order. */
    public List<RegionInfo> getRegions() {
        return core.getRegions();
    }

    public List<Region> getMetaRegions() {
        return core.getMetaRegions();
    }

    public int getRegionCount() {
        return core.getRegionCount();
    }

    public int getStoreRegionCount(long storeId) {
        return core.getStoreRegionCount(storeId);
    }

    @Override
    public List<StoreInfo> getRegionStores(RegionInfo region) {
        return core.getRegionStores(region);
    }

    @Override
    public List<StoreInfo> getFollowerStores(RegionInfo region) {
        return core.getFollowerStores(region);
    }

    public Optional<StoreInfo> getLeaderStore(RegionInfo region) {
        return core.getLeaderStore(region);
    }

    @Override
    public Optional<RegionInfo> randLeaderRegion(long storeId, Predicate<RegionInfo> filter) {
        return core.randLeaderRegion(storeId, loop.random(), filter);
    }

    @Override
    public Optional<RegionInfo> randFollowerRegion(long storeId, Predicate<RegionInfo> filter) {
        return core.randFollowerRegion(storeId, loop.random(), filter);
    }

    @Override
    public Optional<RegionInfo> randPendingRegion(long storeId, Predicate<RegionInfo> filter) {
        return core.randPendingRegion(storeId, loop.random(), filter);
    }

    private void checkBootstrapped() {
        if (!bootstrapped) {
            throw SchedulerError.notBootstrapped(clusterId);
        }
    }

    private ResponseHeader header() {
        return ResponseHeader.newBuilder().setClusterId(clusterId).build();
    }
}
