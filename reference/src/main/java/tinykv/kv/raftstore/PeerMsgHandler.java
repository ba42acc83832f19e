package tinykv.kv.raftstore;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tinykv.kv.engine.ColumnFamilies;
import tinykv.kv.storage.RegionReader;
import tinykv.kv.engine.WriteBatch;
import tinykv.kv.raftstore.meta.Keys;
import tinykv.kv.raftstore.meta.MetaStates;
import tinykv.proto.eraftpb.ConfChange;
import tinykv.proto.eraftpb.ConfChangeType;
import tinykv.proto.eraftpb.Entry;
import tinykv.proto.eraftpb.EntryType;
import tinykv.proto.raft_cmdpb.AdminCmdType;
import tinykv.proto.raft_cmdpb.AdminRequest;
import tinykv.proto.metapb.Region;
import tinykv.proto.raft_cmdpb.AdminResponse;
import tinykv.proto.raft_cmdpb.ChangePeerRequest;
import tinykv.proto.raft_cmdpb.ChangePeerResponse;
import tinykv.proto.raft_cmdpb.CmdType;
import tinykv.proto.raft_cmdpb.CompactLogRequest;
import tinykv.proto.raft_cmdpb.CompactLogResponse;
import tinykv.proto.raft_cmdpb.DeleteResponse;
import tinykv.proto.raft_cmdpb.GetResponse;
import tinykv.proto.raft_cmdpb.PutResponse;
import tinykv.proto.raft_cmdpb.RaftCmdRequest;
import tinykv.proto.raft_cmdpb.RaftCmdResponse;
import tinykv.proto.raft_cmdpb.Request;
import tinykv.proto.raft_cmdpb.Response;
import tinykv.proto.raft_cmdpb.SnapResponse;
import tinykv.proto.raft_cmdpb.SplitRequest;
import tinykv.proto.raft_cmdpb.SplitResponse;
import tinykv.proto.raft_cmdpb.TransferLeaderResponse;
import tinykv.proto.raft_serverpb.PeerState;
import tinykv.proto.raft_serverpb.RaftTruncatedState;
import tinykv.raft.Progress;
import tinykv.raft.RaftException;
import tinykv.raft.Ready;

/**
 * What a peer does with client commands and with its raft group's output (lab 2B): propose commands
 * through the raft log, then persist, send and apply each {@link tinykv.raft.Ready} (lab 2C: with
 * snapshots and log compaction; lab 3B: with leader transfer, membership changes and splits).
 *
 * <p>The raft worker makes one handler per peer and batch of mail: {@link #proposeRaftCommand} for each
 * command that passed the framework's checks (store, leader, peer, term, epoch), then
 * {@link #handleRaftReady} once for every peer that received mail.
 */
public class PeerMsgHandler {
    protected final Peer peer;
    protected final StoreContext ctx;

    public PeerMsgHandler(Peer peer, StoreContext ctx) {
        this.peer = peer;
        this.ctx = ctx;
    }

    /**
     * Lab 2B. Proposes {@code request} to the raft group and remembers {@code callback} as a
     * {@link Proposal} at the index the entry will take, to answer it once the entry applies. Refuse keys
     * outside the region ({@link RegionChecks#checkKeyInRegion}) at once, through the callback.
     *
     * <p>Lab 3B. Hand every admin command but {@code CompactLog} to {@link #proposeAdmin}; refuse a
     * {@code Split} whose key is outside the region, or is its start key (the left half would be empty).
     */
    public void proposeRaftCommand(RaftCmdRequest request, Callback callback) {
        Optional<RegionError> refused = checkRequests(request);
        if (refused.isPresent()) {
            callback.done(CmdResponses.error(refused.get()));
            return;
        }
        if (request.hasAdminRequest() && request.getAdminRequest().getCmdType() != AdminCmdType.CompactLog) {
            proposeAdmin(request, callback);
            return;
        }
        proposeThroughLog(callback, () -> peer.raftGroup().propose(request.toByteArray()));
    }

    /**
     * Lab 3B. Proposes an admin command that changes the region or its leader (called by
     * {@link #proposeRaftCommand} for every admin command but {@code CompactLog}, once it passed the checks).
     * {@code TransferLeader} is not a log entry: call {@link tinykv.raft.RawNode#transferLeader} and answer at
     * once. {@code ChangePeer} is proposed with {@link tinykv.raft.RawNode#proposeConfChange}, the whole command
     * as the ConfChange's context (raft takes one membership change at a time). {@code Split} goes through the
     * log like a data command. A leader asked to remove itself should not propose it (the lab 3B handout says
     * why): hand leadership to a follower and refuse with {@code NotLeader}, naming it.
     */
    protected void proposeAdmin(RaftCmdRequest request, Callback callback) {
        switch (request.getAdminRequest().getCmdType()) {
            case TransferLeader -> transferLeader(request.getAdminRequest().getTransferLeader().getPeer(), callback);
            case ChangePeer -> proposeConfChange(request, callback);
            case Split -> proposeThroughLog(callback, () -> peer.raftGroup().propose(request.toByteArray()));
            default -> callback.done(CmdResponses.error(new RegionError.OtherError(
                    "not a region admin command: " + request.getAdminRequest().getCmdType())));
        }
    }

    /** Appends a proposal to the log and remembers its callback at the index the entry takes. */
    private void proposeThroughLog(Callback callback, Runnable propose) {
        long index = peer.nextProposalIndex();
        try {
            propose.run();
        } catch (RaftException.ProposalDropped e) {
            peer.log().debug("proposal dropped: %s", e.getMessage());
            callback.done(CmdResponses.error(new RegionError.OtherError("proposal dropped: " + e.getMessage())));
            return;
        }
        peer.proposals().addLast(new Proposal(index, peer.term(), callback));
    }

    /** Lab 3B. Not a log entry: the raft group starts the transfer, and the command is answered at once. */
    private void transferLeader(tinykv.proto.metapb.Peer transferee, Callback callback) {
        peer.raftGroup().transferLeader(transferee.getId());
        callback.done(CmdResponses.ok().setAdminResponse(AdminResponse.newBuilder()
                .setCmdType(AdminCmdType.TransferLeader)
                .setTransferLeader(TransferLeaderResponse.getDefaultInstance())).build());
    }

    /**
     * Lab 3B. A membership change goes through the log as a ConfChange entry whose context is the whole
     * command (its epoch is checked again when it applies). A leader asked to remove itself hands its
     * leadership over instead and refuses, pointing at the new leader: the scheduler asks again there.
     */
    private void proposeConfChange(RaftCmdRequest request, Callback callback) {
        ChangePeerRequest change = request.getAdminRequest().getChangePeer();
        if (change.getChangeType() == ConfChangeType.RemoveNode && change.getPeer().getId() == peer.peerId()) {
            Optional<tinykv.proto.metapb.Peer> successor = mostUpToDateFollower();
            peer.log().info("asked to remove itself: handing leadership to %s first",
                    successor.map(next -> "peer " + next.getId()).orElse("nobody (no follower)"));
            successor.ifPresent(next -> peer.raftGroup().transferLeader(next.getId()));
            callback.done(CmdResponses.error(new RegionError.NotLeaderError(peer.regionId(), successor)));
            return;
        }
        ConfChange confChange = ConfChange.newBuilder().setChangeType(change.getChangeType())
                .setNodeId(change.getPeer().getId()).setContext(request.toByteString()).build();
        proposeThroughLog(callback, () -> peer.raftGroup().proposeConfChange(confChange));
    }

    /** The follower with the most of the leader's log, to hand leadership to. */
    private Optional<tinykv.proto.metapb.Peer> mostUpToDateFollower() {
        return peer.raftGroup().getProgress().entrySet().stream()
                .filter(progress -> progress.getKey() != peer.peerId())
                .max(Comparator.comparingLong((Map.Entry<Long, Progress> progress) -> progress.getValue().match)
                        .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                .flatMap(progress -> peer.peerById(progress.getKey()));
    }

    /**
     * Lab 2B. If the raft group has a Ready: persist it ({@link PeerStorage#saveReadyState}), send its
     * messages ({@link Peer#send}), apply its committed entries to the kv engine (with the new apply state
     * in the same write batch), answer the proposals they complete, and advance the raft group.
     *
     * <p>Lab 2C. A Ready may carry a snapshot: once it is saved, record the region it brought in the store's
     * meta. A committed {@code CompactLog} admin command moves the truncated state forward (persisted with
     * the apply state), then hands the compacted entries to the raft-log GC ({@link Peer#scheduleRaftLogGc}).
     *
     * <p>Lab 3B. A committed {@code EntryConfChange} goes to {@link #applyConfChange}, a committed
     * {@code Split} (after the epoch and key checks every command gets) to {@link #applySplit}; answer their
     * proposals with what they return. Once the batch is written: start the peer of each region a split made
     * ({@link PeerLifecycle#createSplitPeer}); a peer that applied its own removal applies nothing after it and
     * is destroyed ({@link PeerLifecycle#destroy}).
     */
    public void handleRaftReady() {
        if (peer.isStopped() || !peer.raftGroup().hasReady()) {
            return;
        }
        Ready ready = peer.raftGroup().ready();
        peer.peerStorage().saveReadyState(ready).ifPresent(applied -> ctx.storeMeta().put(applied.region()));
        peer.send(ctx.transport(), ready.messages());
        if (!ready.committedEntries().isEmpty()) {
            applyCommitted(ready.committedEntries());
        }
        if (!peer.isStopped()) { // a peer that applied its own removal is gone
            peer.raftGroup().advance(ready);
        }
    }

    // ---- applying ----

    /** An answer to give once the batch it depends on is written. */
    private record Answer(Callback callback, RaftCmdResponse response, RegionReader snapshot) {
        void give() {
            if (snapshot == null) {
                callback.done(response);
            } else {
                callback.done(response, snapshot);
            }
        }
    }

    private void applyCommitted(List<Entry> entries) {
        WriteBatch batch = new WriteBatch();
        Deque<Answer> answers = new ArrayDeque<>();
        List<Region> splitOff = new ArrayList<>();
        long truncatedBefore = peer.peerStorage().truncatedIndex();
        for (Entry entry : entries) {
            Optional<Callback> callback = takeProposal(entry);
            Applied applied = applyEntry(entry, batch, callback.isPresent());
            RaftCmdResponse response = applied.response();
            if (response.hasAdminResponse() && response.getAdminResponse().hasSplit()) {
                splitOff.add(response.getAdminResponse().getSplit().getRegions(1));
            }
            callback.ifPresent(cb -> answers.add(new Answer(cb, response, applied.snapshot())));
            peer.peerStorage().setApplyState(
                    peer.peerStorage().applyState().toBuilder().setAppliedIndex(entry.getIndex()).build());
            if (isRemoved()) {
                break; // nothing after our own removal is ours to apply
            }
        }
        flush(batch);
        long truncated = peer.peerStorage().truncatedIndex();
        if (truncated > truncatedBefore) {
            peer.scheduleRaftLogGc(ctx, truncated); // the truncated state that covers them is written now
        }
        splitOff.forEach(region -> PeerLifecycle.createSplitPeer(ctx, peer, region));
        answers.forEach(Answer::give);
        if (isRemoved()) {
            PeerLifecycle.destroy(ctx, peer);
        }
    }

    private Applied applyEntry(Entry entry, WriteBatch batch, boolean answered) {
        if (entry.getEntryType() == EntryType.EntryConfChange) {
            return new Applied(applyConfChange(parse(ConfChange.parser(), entry.getData()), batch), null);
        }
        if (entry.getData().isEmpty()) {
            return new Applied(CmdResponses.ok().build(), null); // a new leader's empty entry
        }
        return applyRequest(parse(RaftCmdRequest.parser(), entry.getData()), batch, answered);
    }

    /** Whether a conf change applied here removed this very peer from its region. */
    private boolean isRemoved() {
        return RegionChecks.findPeerById(peer.region(), peer.peerId()).isEmpty();
    }

    /**
     * The callback waiting for {@code entry}, if this peer proposed it. Proposals before it, or at its index
     * in another term, were overwritten by another leader's entries: they are stale.
     */
    private Optional<Callback> takeProposal(Entry entry) {
        Deque<Proposal> proposals = peer.proposals();
        while (!proposals.isEmpty() && proposals.peekFirst().index() <= entry.getIndex()) {
            Proposal proposal = proposals.pollFirst();
            if (proposal.index() == entry.getIndex() && proposal.term() == entry.getTerm()) {
                return Optional.of(proposal.callback());
            }
            proposal.callback().done(CmdResponses.staleCommand(peer.term()));
        }
        return Optional.empty();
    }

    /** A data or admin command's answer, and the reader a Snap command hands back. */
    private record Applied(RaftCmdResponse response, RegionReader snapshot) {}

    /** Applies one command; {@code answered} says whether anyone waits for a reader this peer should open. */
    private Applied applyRequest(RaftCmdRequest request, WriteBatch batch, boolean answered) {
        Optional<RegionError> refused = RegionChecks.checkRegionEpoch(request, peer.region())
                .or(() -> checkRequests(request));
        if (refused.isPresent()) {
            return new Applied(CmdResponses.error(refused.get()), null);
        }
        if (request.hasAdminRequest()) {
            RaftCmdResponse response = request.getAdminRequest().getCmdType() == AdminCmdType.Split
                    ? applySplit(request, batch)
                    : applyCompactLog(request.getAdminRequest().getCompactLog());
            return new Applied(response, null);
        }
        RaftCmdResponse.Builder response = CmdResponses.ok();
        RegionReader snapshot = null;
        for (Request r : request.getRequestsList()) {
            switch (r.getCmdType()) {
                case Get -> {
                    flush(batch); // the read must see every write before it
                    byte[] value = ctx.engines().kv().get(cf(r.getGet().getCf()),
                            Keys.dataKey(r.getGet().getKey().toByteArray())).orElse(new byte[0]);
                    response.addResponses(Response.newBuilder().setCmdType(CmdType.Get)
                            .setGet(GetResponse.newBuilder().setValue(ByteString.copyFrom(value))));
                }
                case Put -> {
                    batch.setCF(cf(r.getPut().getCf()), Keys.dataKey(r.getPut().getKey().toByteArray()),
                            r.getPut().getValue().toByteArray());
                    response.addResponses(Response.newBuilder().setCmdType(CmdType.Put)
                            .setPut(PutResponse.getDefaultInstance()));
                }
                case Delete -> {
                    batch.deleteCF(cf(r.getDelete().getCf()), Keys.dataKey(r.getDelete().getKey().toByteArray()));
                    response.addResponses(Response.newBuilder().setCmdType(CmdType.Delete)
                            .setDelete(DeleteResponse.getDefaultInstance()));
                }
                case Snap -> {
                    if (answered && snapshot == null) {
                        flush(batch);
                        snapshot = new RegionReader(ctx.engines().kv().snapshot(), peer.region());
                    }
                    response.addResponses(Response.newBuilder().setCmdType(CmdType.Snap)
                            .setSnap(SnapResponse.newBuilder().setRegion(peer.region())));
                }
                default -> throw new IllegalStateException("checkRequests let through " + r.getCmdType());
            }
        }
        return new Applied(response.build(), snapshot);
    }

    /** Lab 2C. Moves the truncated state forward (never back); the raft-log GC deletes the entries later. */
    private RaftCmdResponse applyCompactLog(CompactLogRequest compact) {
        PeerStorage storage = peer.peerStorage();
        if (compact.getCompactIndex() > storage.truncatedIndex()) {
            // Written with the apply state when the batch is flushed; the entries go after that.
            storage.setApplyState(storage.applyState().toBuilder().setTruncatedState(RaftTruncatedState.newBuilder()
                    .setIndex(compact.getCompactIndex()).setTerm(compact.getCompactTerm())).build());
        }
        return CmdResponses.ok().setAdminResponse(AdminResponse.newBuilder().setCmdType(AdminCmdType.CompactLog)
                .setCompactLog(CompactLogResponse.getDefaultInstance())).build();
    }

    // ---- applying region changes (lab 3B) ----

    /**
     * Lab 3B. Applies a committed membership change (an {@code EntryConfChange} entry; its context is the
     * {@code ChangePeer} command) and returns the answer for its proposer. If the command's epoch is still
     * current and it changes something, the region gets the new peers and {@code confVer + 1}: the region
     * state goes into {@code batch} (written with the apply state), the peer, its peer cache, the store meta
     * and the raft group ({@link tinykv.raft.RawNode#applyConfChange}) follow. A stale or repeated change (the
     * scheduler re-sends until it sees the result) changes nothing. The caller destroys a peer that applied
     * its own removal ({@link PeerLifecycle#destroy}) once the batch is written.
     */
    protected RaftCmdResponse applyConfChange(ConfChange confChange, WriteBatch batch) {
        RaftCmdRequest request = parse(RaftCmdRequest.parser(), confChange.getContext());
        Optional<RegionError> stale = RegionChecks.checkRegionEpoch(request, peer.region());
        if (stale.isPresent()) {
            return CmdResponses.error(stale.get());
        }
        ChangePeerRequest change = request.getAdminRequest().getChangePeer();
        Optional<Region> changed = regionAfter(peer.region(), change);
        if (changed.isPresent()) {
            Region region = changed.get();
            MetaStates.writeRegionState(batch, region, PeerState.Normal);
            peer.setRegion(region);
            ctx.storeMeta().put(region);
            if (change.getChangeType() == ConfChangeType.AddNode) {
                peer.rememberPeer(change.getPeer());
            } else {
                peer.forgetPeer(change.getPeer().getId());
            }
            peer.raftGroup().applyConfChange(confChange);
        }
        return CmdResponses.ok().setAdminResponse(AdminResponse.newBuilder()
                .setCmdType(AdminCmdType.ChangePeer)
                .setChangePeer(ChangePeerResponse.newBuilder().setRegion(peer.region()))).build();
    }

    /** The region with the change made, or empty if it changes nothing (the peer is already in, or out). */
    private static Optional<Region> regionAfter(Region region, ChangePeerRequest change) {
        tinykv.proto.metapb.Peer target = change.getPeer();
        boolean present = RegionChecks.findPeer(region, target.getStoreId()).isPresent();
        Region.Builder next = region.toBuilder();
        next.getRegionEpochBuilder().setConfVer(region.getRegionEpoch().getConfVer() + 1);
        switch (change.getChangeType()) {
            case AddNode -> {
                if (present) {
                    return Optional.empty();
                }
                next.addPeers(target);
            }
            case RemoveNode -> {
                if (RegionChecks.findPeerById(region, target.getId()).isEmpty()) {
                    return Optional.empty();
                }
                next.clearPeers().addAllPeers(
                        region.getPeersList().stream().filter(p -> p.getId() != target.getId()).toList());
            }
            default -> throw new IllegalStateException("unknown conf change type " + change.getChangeType());
        }
        return Optional.of(next.build());
    }

    /**
     * Lab 3B. Applies a committed {@code Split} whose epoch and split key were checked (as every command's)
     * and returns the answer, holding both regions: this region keeps the keys before the split key, a new
     * region with the scheduler's ids takes the rest, both with {@code version + 1}, both states in
     * {@code batch}; the store meta records the shrunk region. The caller starts the new region's peer
     * ({@link PeerLifecycle#createSplitPeer}) once the batch is written.
     */
    protected RaftCmdResponse applySplit(RaftCmdRequest request, WriteBatch batch) {
        SplitRequest split = request.getAdminRequest().getSplit();
        Region region = peer.region();
        if (split.getNewPeerIdsCount() != region.getPeersCount()) {
            return CmdResponses.error(new RegionError.OtherError("a split of region " + region.getId() + " with "
                    + region.getPeersCount() + " peers got " + split.getNewPeerIdsCount() + " new peer ids"));
        }
        long version = region.getRegionEpoch().getVersion() + 1;
        Region.Builder left = region.toBuilder().setEndKey(split.getSplitKey());
        left.getRegionEpochBuilder().setVersion(version);
        Region.Builder right = Region.newBuilder().setId(split.getNewRegionId()).setStartKey(split.getSplitKey())
                .setEndKey(region.getEndKey()).setRegionEpoch(left.getRegionEpoch());
        for (int i = 0; i < region.getPeersCount(); i++) {
            right.addPeers(tinykv.proto.metapb.Peer.newBuilder().setId(split.getNewPeerIds(i))
                    .setStoreId(region.getPeers(i).getStoreId()));
        }
        Region leftRegion = left.build();
        Region rightRegion = right.build();
        MetaStates.writeRegionState(batch, leftRegion, PeerState.Normal);
        MetaStates.writeRegionState(batch, rightRegion, PeerState.Normal);
        peer.setRegion(leftRegion);
        ctx.storeMeta().put(leftRegion); // the shrunk region first: the new one takes the end it gave up
        return CmdResponses.ok().setAdminResponse(AdminResponse.newBuilder().setCmdType(AdminCmdType.Split)
                .setSplit(SplitResponse.newBuilder().addRegions(leftRegion).addRegions(rightRegion))).build();
    }

    /** Writes the batch so far, with the apply state it reaches, and starts a new one. */
    private void flush(WriteBatch batch) {
        batch.setMeta(Keys.applyStateKey(peer.regionId()), peer.peerStorage().applyState());
        ctx.engines().kv().write(batch);
        batch.clear();
    }

    // ---- checks ----

    /** Refuses unknown commands, keys outside the region and split keys that leave a half empty. */
    private Optional<RegionError> checkRequests(RaftCmdRequest request) {
        if (request.hasAdminRequest()) {
            return checkAdmin(request.getAdminRequest());
        }
        for (Request r : request.getRequestsList()) {
            Optional<ByteString> key = switch (r.getCmdType()) {
                case Get -> Optional.of(r.getGet().getKey());
                case Put -> Optional.of(r.getPut().getKey());
                case Delete -> Optional.of(r.getDelete().getKey());
                case Snap -> Optional.empty();
                default -> null;
            };
            if (key == null) {
                return Optional.of(new RegionError.OtherError("unknown command type " + r.getCmdType()));
            }
            if (key.isPresent()) {
                Optional<RegionError> outside = RegionChecks.checkKeyInRegion(key.get().toByteArray(), peer.region());
                if (outside.isPresent()) {
                    return outside;
                }
            }
        }
        return Optional.empty();
    }

    private Optional<RegionError> checkAdmin(AdminRequest admin) {
        return switch (admin.getCmdType()) {
            case CompactLog, TransferLeader, ChangePeer -> Optional.empty();
            case Split -> {
                ByteString splitKey = admin.getSplit().getSplitKey();
                if (splitKey.equals(peer.region().getStartKey())) {
                    yield Optional.of(new RegionError.OtherError("split key " + splitKey.toStringUtf8()
                            + " is the start of region " + peer.regionId() + ": the left half would be empty"));
                }
                yield RegionChecks.checkKeyInRegion(splitKey.toByteArray(), peer.region());
            }
            default -> Optional.of(new RegionError.OtherError("unknown admin command " + admin.getCmdType()));
        };
    }

    private static String cf(String requested) {
        return requested.isEmpty() ? ColumnFamilies.DEFAULT : requested;
    }

    private <T> T parse(Parser<T> parser, ByteString data) {
        try {
            return parser.parseFrom(data);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(peer.tag() + ": a committed entry does not hold what its type says", e);
        }
    }
}
