package tinykv.cluster;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import tinykv.kv.engine.Engines;
import tinykv.kv.raftstore.RegionChecks;
import tinykv.kv.raftstore.meta.MetaStates;
import tinykv.proto.eraftpb.HardState;
import tinykv.proto.eraftpb.MessageType;
import tinykv.proto.metapb.Peer;
import tinykv.proto.raft_serverpb.PeerState;
import tinykv.proto.raft_serverpb.RaftApplyState;
import tinykv.proto.raft_serverpb.RaftLocalState;
import tinykv.proto.raft_serverpb.RaftMessage;
import tinykv.raft.RestartState;

/**
 * What a stopped store's engines must hold when it restarts, checked on every peer before its raftstore reads
 * them: two named invariants.
 *
 * <ul>
 *   <li>{@link #PERSISTED_STATE}: the rules of {@link RestartState} (term at least the last entry's, applied at
 *       most commit, commit at most the last index), and the vote: a peer that granted its vote in term T
 *       persisted a hard state of a later term, or of T with that very vote (else it may vote twice in T).
 *   <li>{@link #APPLIED_NOT_BACK}: its applied index is at least the one it had when it last answered a command
 *       (an apply state written apart from the data, or never, shows here even when re-applying idempotent puts
 *       leaves the data right).
 * </ul>
 */
final class RestartChecks {
    static final String PERSISTED_STATE = "a restarted peer's persisted state is consistent";
    static final String APPLIED_NOT_BACK = "a restarted peer has applied at least what it answered before it stopped";

    /** A vote granted: in which term, to which peer. */
    private record Vote(long term, long candidate) {}

    private final CallbackLedger ledger;
    private final Supplier<Set<Long>> knownRegions;
    /** "store/region/peer" to the latest vote that peer granted (a peer removed and added again is a new one). */
    private final Map<String, Vote> votes = new HashMap<>();
    private final Set<Long> regionsSeen = new TreeSet<>();

    RestartChecks(CallbackLedger ledger, Supplier<Set<Long>> knownRegions) {
        this.ledger = ledger;
        this.knownRegions = knownRegions;
    }

    /** Hears every message a store sends; a granted vote is remembered. */
    void sent(long storeId, RaftMessage message) {
        if (message.getMessage().getMsgType() != MessageType.MsgRequestVoteResponse || message.getMessage().getReject()) {
            return;
        }
        regionsSeen.add(message.getRegionId());
        votes.merge(storeId + "/" + message.getRegionId() + "/" + message.getFromPeer().getId(),
                new Vote(message.getMessage().getTerm(), message.getToPeer().getId()),
                (before, now) -> now.term() >= before.term() ? now : before);
    }

    /** Checks every peer of the store's engines, as the store restarts. */
    void check(long storeId, Engines engines) {
        Set<Long> regions = new TreeSet<>(knownRegions.get());
        regions.addAll(regionsSeen);
        for (long regionId : regions) {
            Optional<Long> peerId = MetaStates.regionLocalState(engines.kv(), regionId)
                    .filter(state -> state.getState() != PeerState.Tombstone)
                    .flatMap(state -> RegionChecks.findPeer(state.getRegion(), storeId)).map(Peer::getId);
            Optional<RaftLocalState> raftState = MetaStates.raftLocalState(engines.raft(), regionId);
            Optional<RaftApplyState> applyState = MetaStates.applyState(engines.kv(), regionId);
            if (peerId.isPresent() && raftState.isPresent() && applyState.isPresent()) {
                checkPeer(storeId, regionId, peerId.get(), raftState.get(), applyState.get());
            }
        }
    }

    private void checkPeer(long storeId, long regionId, long peerId, RaftLocalState raftState,
            RaftApplyState applyState) {
        String peer = "region " + regionId + " on store " + storeId + " (peer " + peerId + ")";
        HardState hardState = raftState.getHardState();
        RestartState.problem(hardState, raftState.getLastIndex(), raftState.getLastTerm(), applyState.getAppliedIndex())
                .ifPresent(problem -> {
                    throw new AssertionError(PERSISTED_STATE + ": " + peer + ": " + problem);
                });
        Vote vote = votes.get(storeId + "/" + regionId + "/" + peerId);
        if (vote != null && (hardState.getTerm() < vote.term()
                || hardState.getTerm() == vote.term() && hardState.getVote() != vote.candidate())) {
            throw new AssertionError(PERSISTED_STATE + ": " + peer + " granted its vote to peer " + vote.candidate()
                    + " in term " + vote.term() + ", but its persisted hard state is term " + hardState.getTerm()
                    + ", vote " + hardState.getVote() + ": persist the vote before the response leaves");
        }
        OptionalLong answered = ledger.answeredAppliedIndex(storeId, regionId, peerId);
        if (answered.isPresent() && applyState.getAppliedIndex() < answered.getAsLong()) {
            throw new AssertionError(APPLIED_NOT_BACK + ": " + peer + " had applied index " + answered.getAsLong()
                    + " when it last answered a command, but restarts from applied index "
                    + applyState.getAppliedIndex() + ": persist the apply state in the batch of the data it covers");
        }
    }
}
