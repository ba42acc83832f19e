package tinykv.kv.raftstore;

import tinykv.kv.engine.CfIterator;
import tinykv.kv.engine.ColumnFamilies;
import tinykv.kv.engine.Engine;
import tinykv.kv.engine.Engines;
import tinykv.kv.engine.WriteBatch;
import tinykv.kv.raftstore.meta.Keys;
import tinykv.kv.raftstore.meta.MetaStates;
import tinykv.proto.metapb.Region;
import tinykv.proto.raft_serverpb.PeerState;
import tinykv.proto.raft_serverpb.RegionLocalState;
import tinykv.proto.raft_serverpb.StoreIdent;

/** Writing a new store's identity and the cluster's first region (TinyKV's {@code bootstrap.go}). */
public final class Bootstrap {
    public static final long INIT_EPOCH_VERSION = 1;
    public static final long INIT_EPOCH_CONF_VERSION = 1;

    private Bootstrap() {}

    /** Marks empty engines as store {@code storeId} of cluster {@code clusterId}; fails if they hold data. */
    public static void bootstrapStore(Engines engines, long clusterId, long storeId) {
        requireEmpty(engines.kv());
        requireEmpty(engines.raft());
        WriteBatch batch = new WriteBatch();
        StoreIdent ident = StoreIdent.newBuilder().setClusterId(clusterId).setStoreId(storeId).build();
        batch.setMeta(Keys.storeIdentKey(), ident);
        engines.kv().write(batch);
    }

    /** Writes {@code region} as this store's first region, with the initial raft and apply state. */
    public static void prepareBootstrapCluster(Engines engines, Region region) {
        RegionLocalState state = RegionLocalState.newBuilder().setRegion(region).setState(PeerState.Normal).build();
        WriteBatch kvBatch = new WriteBatch();
        kvBatch.setMeta(Keys.prepareBootstrapKey(), state);
        kvBatch.setMeta(Keys.regionStateKey(region.getId()), state);
        engines.kv().write(kvBatch);
        // A region with peers gets its initial apply and raft states written on first read.
        MetaStates.initApplyState(engines.kv(), region);
        MetaStates.initRaftLocalState(engines.raft(), region);
    }

    /** Removes the marker {@link #prepareBootstrapCluster} left, once the scheduler has the region. */
    public static void clearPrepareBootstrapState(Engines engines) {
        WriteBatch batch = new WriteBatch();
        batch.deleteMeta(Keys.prepareBootstrapKey());
        engines.kv().write(batch);
    }

    /** The identity {@link #bootstrapStore} wrote. */
    public static StoreIdent storeIdent(Engines engines) {
        return engines.kv().getMeta(Keys.storeIdentKey(), StoreIdent.parser()).orElseThrow(
                () -> new IllegalStateException("the engines were never bootstrapped as a store"));
    }

    private static void requireEmpty(Engine engine) {
        try (CfIterator it = engine.iterator(ColumnFamilies.DEFAULT)) {
            it.seekToFirst();
            if (it.valid()) {
                throw new IllegalStateException("cannot bootstrap a store on " + engine.name()
                        + ": it already holds data");
            }
        }
    }
}
