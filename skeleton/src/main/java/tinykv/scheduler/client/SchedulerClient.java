package tinykv.scheduler.client;

import java.util.Optional;
import java.util.function.Consumer;
import tinykv.proto.metapb.Region;
import tinykv.proto.metapb.Store;
import tinykv.proto.schedulerpb.AskSplitResponse;
import tinykv.proto.schedulerpb.RegionHeartbeatRequest;
import tinykv.proto.schedulerpb.RegionHeartbeatResponse;
import tinykv.proto.schedulerpb.StoreStats;

/**
 * What a store asks of the scheduler (TinyKV's {@code scheduler_client.Client}): ids, the store and region
 * registry, and heartbeats. The registry calls answer at once; what a store's loop asks while it runs
 * ({@link #askSplit}) is answered later, through a callback, so that a scheduler across a network never
 * blocks the loop. The scheduler's orders for a region (add or remove a peer, transfer the leader) come
 * back the same way, through the handler each store registers.
 *
 * <p>Errors of the calls that answer at once (not bootstrapped, unknown store) are
 * {@link SchedulerException}s; an asynchronous answer carries its error in its response header.
 */
public interface SchedulerClient {

    long clusterId();

    /** A fresh id for a region or a peer, never handed out before. */
    long allocId();

    /** Records the cluster's first store and region. */
    void bootstrap(Store store, Region region);

    boolean isBootstrapped();

    void putStore(Store store);

    Optional<Store> getStore(long storeId);

    /** The region that holds {@code key}, as last reported by its leader. */
    Optional<RegionAndLeader> getRegion(byte[] key);

    Optional<RegionAndLeader> getRegionById(long regionId);

    /**
     * New region and peer ids for splitting {@code region} (lab 3B), handed to {@code answer} later, never
     * inside this call. A region the scheduler does not know, or whose epoch is stale, gets a response whose
     * header carries the error.
     */
    void askSplit(Region region, Consumer<AskSplitResponse> answer);

    void storeHeartbeat(StoreStats stats);

    /** A leader's report of its region; the scheduler may answer through the store's handler. */
    void regionHeartbeat(RegionHeartbeatRequest request);

    /** Where the scheduler's answers to this store's region heartbeats go. */
    void setRegionHeartbeatResponseHandler(long storeId, Consumer<RegionHeartbeatResponse> handler);
}
