package tinykv.kv.raftstore.meta;

import java.util.Optional;
import tinykv.kv.engine.ColumnFamilies;
import tinykv.kv.engine.Engine;
import tinykv.kv.engine.EngineReader;
import tinykv.kv.engine.WriteBatch;
import tinykv.proto.eraftpb.Entry;
import tinykv.proto.eraftpb.HardState;
import tinykv.proto.metapb.Region;
import tinykv.proto.raft_serverpb.PeerState;
import tinykv.proto.raft_serverpb.RaftApplyState;
import tinykv.proto.raft_serverpb.RaftLocalState;
import tinykv.proto.raft_serverpb.RaftTruncatedState;
import tinykv.proto.raft_serverpb.RegionLocalState;

/**
 * Reading and initialising the states a peer persists under the {@link Keys} (TinyKV's
 * {@code meta/values.go}): the raft state and log entries in the raft engine, the apply state and region
 * state in the kv engine.
 */
public final class MetaStates {
    private MetaStates() {}

    /**
     * The term and index a peer's log starts at when it is created with a region that already has
     * peers (bootstrap or split). Starting above 0 makes the leader's log look ahead of a brand-new,
     * empty peer of the same region, so the new one must take a snapshot before anything else.
     */
    public static final long RAFT_INIT_LOG_TERM = 5;
    public static final long RAFT_INIT_LOG_INDEX = 5;

    public static Optional<RaftLocalState> raftLocalState(EngineReader raftEngine, long regionId) {
        return raftEngine.getMeta(Keys.raftStateKey(regionId), RaftLocalState.parser());
    }

    public static Optional<RaftApplyState> applyState(EngineReader kvEngine, long regionId) {
        return kvEngine.getMeta(Keys.applyStateKey(regionId), RaftApplyState.parser());
    }

    public static Optional<RegionLocalState> regionLocalState(EngineReader kvEngine, long regionId) {
        return kvEngine.getMeta(Keys.regionStateKey(regionId), RegionLocalState.parser());
    }

    public static Optional<Entry> raftEntry(EngineReader raftEngine, long regionId, long index) {
        return raftEngine.getMeta(Keys.raftLogKey(regionId, index), Entry.parser());
    }

    /**
     * The region's raft state, created if there is none yet. A region with peers starts at
     * {@link #RAFT_INIT_LOG_INDEX}/{@link #RAFT_INIT_LOG_TERM} and that state is saved; a region without
     * peers (a peer created by a message, waiting for a snapshot) starts empty and nothing is saved.
     */
    public static RaftLocalState initRaftLocalState(Engine raftEngine, Region region) {
        Optional<RaftLocalState> saved = raftLocalState(raftEngine, region.getId());
        if (saved.isPresent()) {
            return saved.get();
        }
        if (region.getPeersCount() == 0) {
            return RaftLocalState.newBuilder().setHardState(HardState.getDefaultInstance()).build();
        }
        RaftLocalState state = RaftLocalState.newBuilder()
                .setLastIndex(RAFT_INIT_LOG_INDEX)
                .setLastTerm(RAFT_INIT_LOG_TERM)
                .setHardState(HardState.newBuilder().setTerm(RAFT_INIT_LOG_TERM).setCommit(RAFT_INIT_LOG_INDEX))
                .build();
        raftEngine.putMeta(Keys.raftStateKey(region.getId()), state);
        return state;
    }

    /**
     * The region's apply state, created and saved if there is none yet: applied and truncated at
     * {@link #RAFT_INIT_LOG_INDEX} (term {@link #RAFT_INIT_LOG_TERM}) for a region with peers, all zero
     * for one without.
     */
    public static RaftApplyState initApplyState(Engine kvEngine, Region region) {
        Optional<RaftApplyState> saved = applyState(kvEngine, region.getId());
        if (saved.isPresent()) {
            return saved.get();
        }
        RaftApplyState state;
        if (region.getPeersCount() == 0) {
            state = RaftApplyState.newBuilder().setTruncatedState(RaftTruncatedState.getDefaultInstance()).build();
        } else {
            state = RaftApplyState.newBuilder()
                    .setAppliedIndex(RAFT_INIT_LOG_INDEX)
                    .setTruncatedState(RaftTruncatedState.newBuilder()
                            .setIndex(RAFT_INIT_LOG_INDEX).setTerm(RAFT_INIT_LOG_TERM))
                    .build();
        }
        kvEngine.putMeta(Keys.applyStateKey(region.getId()), state);
        return state;
    }

    /** Adds the region's new state (e.g. after a split, or {@code Tombstone} when the peer is destroyed). */
    public static void writeRegionState(WriteBatch kvBatch, Region region, PeerState state) {
        kvBatch.setMeta(Keys.regionStateKey(region.getId()),
                RegionLocalState.newBuilder().setState(state).setRegion(region).build());
    }

    /** Adds to {@code raftBatch} the deletion of the region's raft log up to {@code lastIndex}, and its raft state. */
    public static void deleteRaftLogAndState(WriteBatch raftBatch, long regionId, long lastIndex) {
        raftBatch.deleteRangeCF(ColumnFamilies.DEFAULT,
                Keys.raftLogKey(regionId, 0), Keys.raftLogKey(regionId, lastIndex + 1));
        raftBatch.deleteMeta(Keys.raftStateKey(regionId));
    }
}
