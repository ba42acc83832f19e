package tinykv.kv.raftstore.meta;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tinykv.kv.engine.EngineLocation;
import tinykv.kv.engine.Engines;
import tinykv.kv.engine.WriteBatch;
import tinykv.proto.eraftpb.Entry;
import tinykv.proto.eraftpb.HardState;
import tinykv.proto.metapb.Peer;
import tinykv.proto.metapb.Region;
import tinykv.proto.raft_serverpb.PeerState;
import tinykv.proto.raft_serverpb.RaftApplyState;
import tinykv.proto.raft_serverpb.RaftLocalState;
import tinykv.proto.raft_serverpb.RaftTruncatedState;
import tinykv.proto.raft_serverpb.RegionLocalState;

/** TinyKV's meta/values.go: initial states and reads of what was saved. */
@DisplayName("MetaStates")
class MetaStatesTest {

    private static final Region WITH_PEERS = Region.newBuilder()
            .setId(1).addPeers(Peer.newBuilder().setId(1).setStoreId(1)).build();
    private static final Region WITHOUT_PEERS = Region.newBuilder().setId(2).build();

    private EngineLocation location;
    private Engines engines;

    @BeforeEach
    void open() {
        location = EngineLocation.inMemory("store 1");
        engines = Engines.open(location);
    }

    @AfterEach
    void destroy() {
        location.close();
    }

    @Test
    @DisplayName("a region with peers starts its raft and apply states at term 5, index 5, and saves them")
    void initialStatesOfRegionWithPeers() {
        RaftLocalState raft = MetaStates.initRaftLocalState(engines.raft(), WITH_PEERS);
        assertThat(raft).isEqualTo(RaftLocalState.newBuilder().setLastIndex(5).setLastTerm(5)
                .setHardState(HardState.newBuilder().setTerm(5).setCommit(5)).build());
        assertThat(MetaStates.raftLocalState(engines.raft(), 1)).contains(raft);

        RaftApplyState apply = MetaStates.initApplyState(engines.kv(), WITH_PEERS);
        assertThat(apply).isEqualTo(RaftApplyState.newBuilder().setAppliedIndex(5)
                .setTruncatedState(RaftTruncatedState.newBuilder().setIndex(5).setTerm(5)).build());
        assertThat(MetaStates.applyState(engines.kv(), 1)).contains(apply);
    }

    @Test
    @DisplayName("a region without peers starts empty; only its apply state is saved, as in TinyKV")
    void initialStatesOfRegionWithoutPeers() {
        RaftLocalState raft = MetaStates.initRaftLocalState(engines.raft(), WITHOUT_PEERS);
        assertThat(raft.getLastIndex()).isZero();
        assertThat(raft.hasHardState()).isTrue();
        assertThat(MetaStates.raftLocalState(engines.raft(), 2)).isEmpty();

        RaftApplyState apply = MetaStates.initApplyState(engines.kv(), WITHOUT_PEERS);
        assertThat(apply.getAppliedIndex()).isZero();
        assertThat(MetaStates.applyState(engines.kv(), 2)).contains(apply);
    }

    @Test
    @DisplayName("init returns what was saved before instead of the initial values")
    void initKeepsSavedState() {
        RaftLocalState saved = RaftLocalState.newBuilder().setLastIndex(9).setLastTerm(6).build();
        engines.raft().putMeta(Keys.raftStateKey(1), saved);
        assertThat(MetaStates.initRaftLocalState(engines.raft(), WITH_PEERS)).isEqualTo(saved);
    }

    @Test
    @DisplayName("region states go through a write batch; raft entries are read by region and index")
    void regionStateAndEntries() {
        WriteBatch batch = new WriteBatch();
        MetaStates.writeRegionState(batch, WITH_PEERS, PeerState.Tombstone);
        engines.kv().write(batch);
        assertThat(MetaStates.regionLocalState(engines.kv(), 1)).contains(
                RegionLocalState.newBuilder().setState(PeerState.Tombstone).setRegion(WITH_PEERS).build());
        assertThat(MetaStates.regionLocalState(engines.kv(), 2)).isEmpty();

        Entry entry = Entry.newBuilder().setIndex(6).setTerm(5).build();
        engines.raft().putMeta(Keys.raftLogKey(1, 6), entry);
        assertThat(MetaStates.raftEntry(engines.raft(), 1, 6)).contains(entry);
        assertThat(MetaStates.raftEntry(engines.raft(), 1, 7)).isEmpty();
    }
}
