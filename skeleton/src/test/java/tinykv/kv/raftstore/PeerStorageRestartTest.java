package tinykv.kv.raftstore;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tinykv.kv.engine.EngineLocation;
import tinykv.kv.engine.Engines;
import tinykv.kv.raftstore.meta.Keys;
import tinykv.proto.eraftpb.HardState;
import tinykv.proto.metapb.Peer;
import tinykv.proto.metapb.Region;
import tinykv.proto.raft_serverpb.RaftApplyState;
import tinykv.proto.raft_serverpb.RaftLocalState;
import tinykv.proto.raft_serverpb.RaftTruncatedState;

/**
 * Every peer's storage is built from what its engines hold (a restart too), and refuses a state persisted in
 * the wrong order before Raft ever runs on it: the check is provided, so a student's code passes through it.
 */
@DisplayName("A peer's storage refuses to start from an inconsistent persisted state")
class PeerStorageRestartTest {
    private static final Region REGION = Region.newBuilder().setId(1)
            .addPeers(Peer.newBuilder().setId(1).setStoreId(1)).build();

    private static PeerStorage restart(HardState hardState, long lastIndex, long lastTerm, long applied) {
        try (EngineLocation location = EngineLocation.inMemory("store 1"); Engines engines = Engines.open(location)) {
            engines.raft().putMeta(Keys.raftStateKey(1), RaftLocalState.newBuilder().setHardState(hardState)
                    .setLastIndex(lastIndex).setLastTerm(lastTerm).build());
            engines.kv().putMeta(Keys.applyStateKey(1), RaftApplyState.newBuilder().setAppliedIndex(applied)
                    .setTruncatedState(RaftTruncatedState.newBuilder().setIndex(5).setTerm(5)).build());
            return new PeerStorage(engines, null, REGION, "region 1 peer 1");
        }
    }

    @Test
    @DisplayName("an applied index above the commit index is refused, with both values")
    void appliedAboveCommitIsRefused() {
        assertThatThrownBy(() -> restart(HardState.newBuilder().setTerm(6).setCommit(7).build(), 9, 6, 8))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("region 1 peer 1: cannot restart from the persisted state: the applied index 8 "
                        + "is above the commit index 7");
    }

    @Test
    @DisplayName("entries persisted without their hard state are refused")
    void hardStateBehindTheLogIsRefused() {
        assertThatThrownBy(() -> restart(HardState.newBuilder().setTerm(5).setCommit(6).build(), 8, 6, 6))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the hard state's term 5 is below the term 6 of the last entry (index 8)");
    }

    @Test
    @DisplayName("a state written in the right order is accepted")
    void consistentStateIsAccepted() {
        assertThatCode(() -> restart(HardState.newBuilder().setTerm(6).setVote(1).setCommit(8).build(), 9, 6, 8))
                .doesNotThrowAnyException();
    }
}
