package tinykv.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tinykv.kv.engine.CfIterator;
import tinykv.kv.engine.ColumnFamilies;
import tinykv.kv.engine.Engines;
import tinykv.kv.raftstore.Callback;
import tinykv.kv.raftstore.CmdResponses;
import tinykv.kv.raftstore.PeerStatus;
import tinykv.kv.raftstore.RaftStore;
import tinykv.kv.raftstore.meta.Keys;
import tinykv.kv.raftstore.meta.MetaStates;
import tinykv.proto.eraftpb.Message;
import tinykv.proto.eraftpb.MessageType;
import tinykv.proto.metapb.Peer;
import tinykv.proto.metapb.Region;
import tinykv.proto.raft_cmdpb.RaftCmdRequest;
import tinykv.proto.raft_serverpb.RaftApplyState;
import tinykv.proto.raft_serverpb.RaftLocalState;
import tinykv.proto.raft_serverpb.RaftMessage;
import tinykv.sim.Simulator;

/**
 * Each named cluster check fails on a fixture that breaks it, built here in the test (a store's persisted state
 * rewritten while it stops, a command answered before its write, a statuses list with two leaders): the checks
 * are not vacuous, and their messages name the invariant and what was wrong. The reference passes them all in
 * the staged tests.
 */
@Tag("kit")
@EnabledIfSystemProperty(named = "tinykv.impl", matches = "reference")
@DisplayName("Kit: every named cluster check fails on a fixture that breaks it")
class ClusterChecksKitTest {
    private static final byte[] KEY = "k".getBytes(UTF_8);

    /** A started five-store cluster with one key written, and its leader's store. */
    private static Cluster startedCluster(long seed) {
        Cluster cluster = new Cluster(5, tinykv.kv.raftstore.StoreConfig.forTests(), new Simulator(seed));
        cluster.start();
        cluster.mustPut(KEY, KEY);
        return cluster;
    }

    private static long leaderStore(Cluster cluster) {
        return cluster.leaderOfRegion(1).orElseThrow().getStoreId();
    }

    /** Rewrites the store's raft state of region 1 at the instant it stops, then restarts it; returns the failure. */
    private static Throwable restartWith(Cluster cluster, long storeId, RaftLocalState raftState, RaftApplyState applyState) {
        Engines engines = cluster.engines(storeId);
        if (raftState != null) {
            engines.raft().putMeta(Keys.raftStateKey(1), raftState);
        }
        if (applyState != null) {
            engines.kv().putMeta(Keys.applyStateKey(1), applyState);
        }
        cluster.stopServer(storeId);
        return catchThrowable(() -> cluster.startServer(storeId));
    }

    private static RaftLocalState raftState(Cluster cluster, long storeId) {
        return MetaStates.raftLocalState(cluster.engines(storeId).raft(), 1).orElseThrow();
    }

    private static RaftApplyState applyState(Cluster cluster, long storeId) {
        return MetaStates.applyState(cluster.engines(storeId).kv(), 1).orElseThrow();
    }

    @Test
    @DisplayName("persisted state: a hard state whose term is below its last entry's is caught at the restart")
    void termBelowLastEntryIsCaught() {
        try (Cluster cluster = startedCluster(1)) {
            RaftLocalState state = raftState(cluster, 2);
            RaftLocalState broken = state.toBuilder().setHardState(state.getHardState().toBuilder()
                    .setTerm(state.getLastTerm() - 1)).build();
            assertThat(restartWith(cluster, 2, broken, null)).hasMessageContainingAll(RestartChecks.PERSISTED_STATE,
                    "region 1 on store 2", "below the term " + state.getLastTerm());
        }
    }

    @Test
    @DisplayName("persisted state: an applied index above the commit index is caught at the restart")
    void appliedAboveCommitIsCaught() {
        try (Cluster cluster = startedCluster(2)) {
            RaftApplyState state = applyState(cluster, 3);
            RaftLocalState raft = raftState(cluster, 3);
            RaftApplyState broken = state.toBuilder().setAppliedIndex(raft.getHardState().getCommit() + 1).build();
            assertThat(restartWith(cluster, 3, null, broken)).hasMessageContainingAll(RestartChecks.PERSISTED_STATE,
                    "applied index " + (raft.getHardState().getCommit() + 1) + " is above the commit index");
        }
    }

    @Test
    @DisplayName("persisted state: a store that forgot the vote it granted is caught at the restart")
    void forgottenVoteIsCaught() {
        try (Cluster cluster = startedCluster(3)) {
            long leader = leaderStore(cluster);
            // The leader won with at least two votes besides its own: those followers hold a vote for it.
            long voter = cluster.storeIds().stream().filter(id -> id != leader)
                    .filter(id -> raftState(cluster, id).getHardState().getVote() != 0).findFirst().orElseThrow();
            RaftLocalState state = raftState(cluster, voter);
            RaftLocalState forgot = state.toBuilder().setHardState(state.getHardState().toBuilder().setVote(0)).build();
            assertThat(restartWith(cluster, voter, forgot, null)).hasMessageContainingAll(RestartChecks.PERSISTED_STATE,
                    "granted its vote", "persist the vote before the response leaves");
        }
    }

    @Test
    @DisplayName("applied index: a leader that restarts behind what it answered is caught")
    void appliedIndexBehindAnswersIsCaught() {
        try (Cluster cluster = startedCluster(4)) {
            long leader = leaderStore(cluster);
            RaftApplyState state = applyState(cluster, leader);
            RaftApplyState behind = state.toBuilder().setAppliedIndex(state.getTruncatedState().getIndex()).build();
            assertThat(restartWith(cluster, leader, null, behind)).hasMessageContainingAll(
                    RestartChecks.APPLIED_NOT_BACK, "restarts from applied index " + state.getTruncatedState().getIndex());
        }
    }

    @Test
    @DisplayName("answers: a put answered before its key is written, and one before its apply state, are caught")
    void answerBeforeWriteIsCaught() {
        try (Cluster cluster = startedCluster(5)) {
            long leader = leaderStore(cluster);
            RaftStore store = cluster.processes().running(leader).orElseThrow();
            Region region = cluster.getRegion(KEY);
            RaftCmdRequest put = Requests.newRequest(1, region.getRegionEpoch(),
                    List.of(Requests.put("", "never written".getBytes(UTF_8), KEY)));
            Callback early = new Callback();
            cluster.ledger().track(leader, store, put, early);
            assertThat(catchThrowable(() -> early.done(CmdResponses.ok().build())))
                    .hasMessageContainingAll(CallbackLedger.ANSWER_AFTER_WRITE, "does not hold the key");

            RaftApplyState state = applyState(cluster, leader);
            cluster.engines(leader).kv().putMeta(Keys.applyStateKey(1),
                    state.toBuilder().setAppliedIndex(state.getAppliedIndex() - 1).build());
            RaftCmdRequest get = Requests.newRequest(1, region.getRegionEpoch(), List.of(Requests.get("", KEY)));
            Callback beforeApplyState = new Callback();
            cluster.ledger().track(leader, store, get, beforeApplyState);
            assertThat(catchThrowable(() -> beforeApplyState.done(CmdResponses.ok().build())))
                    .hasMessageContainingAll(CallbackLedger.ANSWER_AFTER_WRITE, "in its kv engine");
            cluster.engines(leader).kv().putMeta(Keys.applyStateKey(1), state);
        }
    }

    @Test
    @DisplayName("answered: a command a running store took and never answered is caught at the quiet point")
    void unansweredCommandIsCaught() {
        try (Cluster cluster = startedCluster(6)) {
            assertThatCode(cluster::checkQuiet).doesNotThrowAnyException();
            long leader = leaderStore(cluster);
            RaftCmdRequest get = Requests.newRequest(1, cluster.getRegion(KEY).getRegionEpoch(),
                    List.of(Requests.get("", KEY)));
            cluster.ledger().track(leader, cluster.processes().running(leader).orElseThrow(), get, new Callback());
            assertThat(catchThrowable(cluster::checkQuiet)).hasMessageContainingAll(CallbackLedger.ANSWERED,
                    "1 never answered", "[Get] of region 1 taken by store " + leader);
            cluster.stopServer(leader);
            cluster.startServer(leader);
            assertThatCode(cluster::checkQuiet).as("a crash loses the callbacks it held").doesNotThrowAnyException();
        }
    }

    @Test
    @DisplayName("resources: an iterator left open is caught at the quiet point")
    void openIteratorIsCaught() {
        try (Cluster cluster = startedCluster(7)) {
            try (CfIterator leaked = cluster.engines(2).kv().iterator(ColumnFamilies.DEFAULT)) {
                assertThat(catchThrowable(cluster::checkQuiet)).hasMessageContainingAll(EngineChecks.NO_OPEN_RESOURCES,
                        "store 2 has 1 open");
            }
            assertThatCode(cluster::checkQuiet).doesNotThrowAnyException();
        }
    }

    @Test
    @DisplayName("the multi-raft invariants visit the stores a cluster has when they run, not when they were made")
    void invariantsSeeStoresAddedLater() {
        List<Long> stores = List.of(); // a cluster's stores exist only once it has started
        List<Long> visited = new java.util.ArrayList<>();
        List<List<Long>> current = new java.util.ArrayList<>(List.of(stores));
        StoreWatch watch = new StoreWatch(() -> current.get(0), id -> {
            visited.add(id);
            return java.util.Optional.empty();
        });
        watch.look();
        current.set(0, List.of(1L, 2L, 3L)); // the list is made anew at bootstrap
        watch.look();
        assertThat(visited).as("stores the check looked at, before and after the cluster started")
                .containsExactly(1L, 2L, 3L);
    }

    @Test
    @DisplayName("one leader per term: a restarted store that leads a term another store led is caught")
    void secondLeaderOfATermIsCaught() {
        RegionInvariants invariants = new RegionInvariants();
        Region region = Region.newBuilder().setId(1).addPeers(Requests.newPeer(1, 1)).addPeers(Requests.newPeer(2, 2))
                .build();
        invariants.checkLeaders(List.of(new PeerStatus(1, 1, region, true, 7)));
        invariants.checkLeaders(List.of(new PeerStatus(1, 1, region, true, 7))); // the same leader, seen again
        assertThat(catchThrowable(() -> invariants.checkLeaders(List.of(new PeerStatus(2, 2, region, true, 7)))))
                .hasMessageContainingAll(RegionInvariants.ONE_LEADER_PER_TERM, "term 7", "peer 1 on store 1",
                        "peer 2 on store 2");
    }

    @Test
    @DisplayName("term churn: with no fault, a vote request in a later term than the first leader's is caught")
    void termChurnIsCaught() {
        TermStability stability = new TermStability(new Simulator(1));
        stability.sent(1, message(MessageType.MsgRequestVote, 6));
        stability.sent(1, message(MessageType.MsgHeartbeat, 6)); // the first leader, in term 6
        stability.sent(2, message(MessageType.MsgHeartbeatResponse, 6));
        assertThat(catchThrowable(() -> stability.sent(3, message(MessageType.MsgRequestVote, 7))))
                .hasMessageContainingAll(TermStability.NO_TERM_CHURN, "first leader in term 6", "in term 7");
    }

    private static RaftMessage message(MessageType type, long term) {
        return RaftMessage.newBuilder().setRegionId(1).setFromPeer(Peer.newBuilder().setId(1).setStoreId(1))
                .setToPeer(Peer.newBuilder().setId(2).setStoreId(2))
                .setMessage(Message.newBuilder().setMsgType(type).setTerm(term)).build();
    }
}
