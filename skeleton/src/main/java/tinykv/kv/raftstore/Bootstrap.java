package tinykv.kv.raftstore;

import tinykv.kv.engine.Engines;
import tinykv.proto.metapb.Region;

/** Writing a new store's identity and the cluster's first region. UNDER CONSTRUCTION (issue 3). */
public final class Bootstrap {
    public static final long INIT_EPOCH_VERSION = 1;
    public static final long INIT_EPOCH_CONF_VERSION = 1;

    private Bootstrap() {}

    /** Marks empty engines as store {@code storeId} of cluster {@code clusterId}; fails if they hold data. */
    public static void bootstrapStore(Engines engines, long clusterId, long storeId) {
        throw new UnsupportedOperationException("raftstore under construction");
    }

    /** Writes {@code region} as this store's first region, with the initial raft and apply state. */
    public static void prepareBootstrapCluster(Engines engines, Region region) {
        throw new UnsupportedOperationException("raftstore under construction");
    }

    /** Removes the marker {@link #prepareBootstrapCluster} left, once the scheduler has the region. */
    public static void clearPrepareBootstrapState(Engines engines) {
        throw new UnsupportedOperationException("raftstore under construction");
    }
}
