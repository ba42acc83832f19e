package tinykv.cluster;

import java.util.List;
import java.util.Optional;
import tinykv.proto.metapb.Region;
import tinykv.proto.metapb.Store;
import tinykv.scheduler.client.RegionAndLeader;
import tinykv.scheduler.client.SchedulerClient;

/**
 * The scheduler a test cluster runs against, as the harness sees it: the mock, which carries out a test's
 * orders ({@link MockSchedulerClient}, labs 2B to 3B), or the real scheduler on a node of the network
 * ({@link SchedulerNode}, lab 3C). The harness's own questions (routing a request, checking a store) are
 * answered at once; what each store's raftstore sends goes through the client it is handed.
 */
interface TestScheduler {

    /** The client the raftstore of store {@code storeId} is handed, for its current incarnation. */
    SchedulerClient clientOfStore(long storeId);

    /** A fresh id for a region or a peer. */
    long allocId();

    /** Records the cluster's first store and region. */
    void bootstrap(Store store, Region region);

    void putStore(Store store);

    /** The region that holds {@code key}, and its leader if one has reported. */
    Optional<RegionAndLeader> getRegion(byte[] key);

    Optional<RegionAndLeader> getRegionById(long regionId);

    /** Every region the scheduler knows, from the left of the key space to the right. */
    List<Region> regions();
}
