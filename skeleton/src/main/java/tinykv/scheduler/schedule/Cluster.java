package tinykv.scheduler.schedule;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import tinykv.proto.metapb.Peer;
import tinykv.scheduler.core.RegionInfo;
import tinykv.scheduler.core.StoreInfo;

/**
 * The cluster as a scheduler sees it (TinyKV's {@code opt.Cluster}): the stores and regions the scheduler
 * knows, the options, virtual time, and new peer ids. {@code RaftCluster} is one; the tests' mock cluster
 * is another.
 */
public interface Cluster {

    /** Virtual milliseconds: what store down times are measured against. */
    long now();

    ScheduleConfig config();

    /** Every store, in id order. */
    List<StoreInfo> getStores();

    Optional<StoreInfo> getStore(long storeId);

    Optional<RegionInfo> getRegion(long regionId);

    /** The known stores holding a peer of the region, in id order. */
    List<StoreInfo> getRegionStores(RegionInfo region);

    /** The known stores holding a follower of the region, in id order. */
    List<StoreInfo> getFollowerStores(RegionInfo region);

    /** A region led from the store that passes {@code filter}, drawn at random; empty if there is none. */
    Optional<RegionInfo> randLeaderRegion(long storeId, Predicate<RegionInfo> filter);

    /** A region with a follower on the store that passes {@code filter}, drawn at random. */
    Optional<RegionInfo> randFollowerRegion(long storeId, Predicate<RegionInfo> filter);

    /** A region with a pending peer on the store that passes {@code filter}, drawn at random. */
    Optional<RegionInfo> randPendingRegion(long storeId, Predicate<RegionInfo> filter);

    /** A new peer on the store, with an id never handed out before. */
    Peer allocPeer(long storeId);

    default int getMaxReplicas() {
        return config().maxReplicas();
    }

    default Duration getMaxStoreDownTime() {
        return config().maxStoreDownTime();
    }
}
