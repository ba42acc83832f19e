package tinykv.kv.raftstore;

import java.util.Optional;
import tinykv.kv.storage.KeyRange;
import tinykv.kv.raftstore.PeerTicker.PeerTick;
import tinykv.proto.eraftpb.MessageType;
import tinykv.proto.metapb.Region;
import tinykv.proto.raft_cmdpb.AdminCmdType;
import tinykv.proto.raft_cmdpb.AdminRequest;
import tinykv.proto.raft_cmdpb.CompactLogRequest;
import tinykv.proto.raft_cmdpb.RaftCmdRequest;
import tinykv.proto.raft_cmdpb.RaftCmdResponse;
import tinykv.proto.raft_cmdpb.RaftRequestHeader;
import tinykv.proto.raft_cmdpb.Request;
import tinykv.proto.raft_serverpb.RaftMessage;
import tinykv.raft.MessageTypes;
import tinykv.raft.RaftException;
import tinykv.runtime.Log;

/**
 * The provided half of handling mail for one peer (TinyKV's {@code peer_msg_handler.go} minus what students
 * write): it validates raft messages and commands, drives the peer's ticks, and passes what is left to
 * {@link PeerMsgHandler}.
 */
final class PeerMsgDispatcher {
    private final Peer peer;
    private final StoreContext ctx;

    PeerMsgDispatcher(Peer peer, StoreContext ctx) {
        this.peer = peer;
        this.ctx = ctx;
    }

    void handle(PeerMsg message) {
        if (message instanceof PeerMsg.RaftMessageMsg raft) {
            onRaftMessage(raft.message());
        } else if (message instanceof PeerMsg.RaftCommand command) {
            onRaftCommand(command.request(), command.callback());
        } else if (message instanceof PeerMsg.Tick) {
            onTick();
        } else if (message instanceof PeerMsg.Start) {
            startTicker();
        } else if (message instanceof PeerMsg.SplitRegion split) {
            onPrepareSplitRegion(split);
        } else if (message instanceof PeerMsg.ApproximateSize size) {
            peer.setApproximateSize(size.bytes());
        } else {
            throw new IllegalArgumentException("the peer dispatcher has no handler for " + message);
        }
    }

    // ---- commands ----

    private void onRaftCommand(RaftCmdRequest request, Callback callback) {
        Optional<RegionError> refused = preProposeChecks(request);
        if (refused.isPresent()) {
            RaftCmdResponse response = CmdResponses.error(refused.get());
            peer.trace().refused(request, response);
            callback.done(response);
            return;
        }
        peer.addSizeDiffHint(writtenBytes(request));
        propose(request, callback);
    }

    /** Hands a command to the student's handler; the debug log shows where its entry went. */
    private void propose(RaftCmdRequest request, Callback callback) {
        PeerMsgHandler handler = new PeerMsgHandler(peer, ctx);
        peer.trace().propose(request, callback, () -> handler.proposeRaftCommand(request, callback));
    }

    /**
     * About how much a command changes the region's size, for the split check's hint (TinyKV leaves this to
     * the apply path; counting at propose time is enough for a hint, and keeps it out of student code).
     */
    private static long writtenBytes(RaftCmdRequest request) {
        long bytes = 0;
        for (Request r : request.getRequestsList()) {
            switch (r.getCmdType()) {
                case Put -> bytes += r.getPut().getKey().size() + r.getPut().getValue().size();
                case Delete -> bytes += r.getDelete().getKey().size();
                default -> { }
            }
        }
        return bytes;
    }

    /** Whether this peer may propose the command at all: right store, leader, right peer, term and epoch. */
    private Optional<RegionError> preProposeChecks(RaftCmdRequest request) {
        Optional<RegionError> wrongStore = RegionChecks.checkStoreId(request, ctx.storeId());
        if (wrongStore.isPresent()) {
            return wrongStore;
        }
        if (!peer.isLeader()) {
            return Optional.of(new RegionError.NotLeaderError(peer.regionId(), peer.peerById(peer.leaderId())));
        }
        return RegionChecks.checkPeerId(request, peer.peerId())
                .or(() -> RegionChecks.checkTerm(request, peer.term()))
                .or(() -> RegionChecks.checkRegionEpoch(request, peer.region()));
    }

    // ---- raft messages ----

    private void onRaftMessage(RaftMessage message) {
        if (peer.log().isEnabled(Log.Level.DEBUG)) { // one line per message: built only when it is printed
            peer.log().debug("received %s", MessageTypes.describe(message.getMessage()));
        }
        if (!isForThisStore(message) || peer.isStopped()) {
            return;
        }
        if (message.getIsTombstone()) {
            onGcPeerMessage(message);
            return;
        }
        if (isStaleOrForAnotherPeer(message)) {
            return;
        }
        if (message.getMessage().getMsgType() == MessageType.MsgSnapshot && !snapshotFits(message)) {
            return;
        }
        peer.rememberPeer(message.getFromPeer());
        try {
            peer.raftGroup().step(message.getMessage());
        } catch (RaftException.StepPeerNotFound e) {
            // A response from a peer that has left the group: nothing to do with it.
            peer.log().debug("ignoring %s from removed peer %d", message.getMessage().getMsgType(),
                    message.getFromPeer().getId());
        }
    }

    private boolean isForThisStore(RaftMessage message) {
        if (message.getToPeer().getStoreId() != ctx.storeId()) {
            peer.log().warn("message for store %d reached store %d; ignored", message.getToPeer().getStoreId(),
                    ctx.storeId());
            return false;
        }
        if (!message.hasRegionEpoch()) {
            peer.log().error("raft message without a region epoch; ignored");
            return false;
        }
        return true;
    }

    /**
     * A message from a peer that is no longer in the region (tell it so, when it asks for votes), or
     * addressed to an older or newer peer of the region on this store (a newer one replaces this peer).
     */
    private boolean isStaleOrForAnotherPeer(RaftMessage message) {
        if (RegionChecks.isEpochStale(message.getRegionEpoch(), peer.region().getRegionEpoch())
                && RegionChecks.findPeer(peer.region(), message.getFromPeer().getStoreId()).isEmpty()) {
            StaleMessages.answer(ctx.transport(), message, peer.region().getRegionEpoch(),
                    RegionChecks.isVoteMessage(message.getMessage()));
            return true;
        }
        long target = message.getToPeer().getId();
        if (target < peer.peerId()) {
            peer.log().info("message for older peer %d; ignored", target);
            return true;
        }
        if (target > peer.peerId()) {
            peer.log().info("a newer peer %d of the region exists; destroying this one", target);
            PeerLifecycle.destroy(ctx, peer);
            ctx.router().sendStore(new StoreMsg.StoreRaftMessage(message));
            return true;
        }
        return false;
    }

    /**
     * Whether a snapshot may be applied here (TinyKV's {@code checkSnapshot}): it must make this peer a member,
     * and its range must not meet another region of this store. A peer that missed a split, for instance,
     * can be sent a snapshot of its region's new, smaller range while this store still holds the split-off
     * part as its own region. Raft asks again later, when the range is free.
     */
    private boolean snapshotFits(RaftMessage message) {
        Region snapRegion = PeerStorageBase.snapshotRegion(message.getMessage().getSnapshot());
        if (RegionChecks.findPeerById(snapRegion, peer.peerId()).isEmpty()) {
            peer.log().info("snapshot of region %d does not include this peer; dropped", snapRegion.getId());
            return false;
        }
        for (Region other : ctx.storeMeta().overlapping(KeyRange.of(snapRegion))) {
            if (other.getId() != peer.regionId()) {
                peer.log().info("snapshot %s overlaps region %d %s here; dropped", KeyRange.of(snapRegion),
                        other.getId(), KeyRange.of(other));
                return false;
            }
        }
        return true;
    }

    /** The region told this peer it was removed. */
    private void onGcPeerMessage(RaftMessage message) {
        if (!RegionChecks.isEpochStale(peer.region().getRegionEpoch(), message.getRegionEpoch())) {
            return;
        }
        if (message.getToPeer().getId() != peer.peerId() || message.getToPeer().getStoreId() != peer.storeId()) {
            peer.log().info("stale gc message; ignored");
            return;
        }
        peer.log().info("removed from the region; destroying");
        PeerLifecycle.destroy(ctx, peer);
    }

    // ---- ticks ----

    private void startTicker() {
        PeerTicker ticker = peer.ticker();
        ticker.schedule(PeerTick.RAFT);
        ticker.schedule(PeerTick.RAFT_LOG_GC);
        ticker.schedule(PeerTick.SPLIT_REGION_CHECK);
        ticker.schedule(PeerTick.SCHEDULER_HEARTBEAT);
    }

    private void onTick() {
        if (peer.isStopped()) {
            return;
        }
        PeerTicker ticker = peer.ticker();
        ticker.tickClock();
        if (ticker.isOnTick(PeerTick.RAFT)) {
            peer.raftGroup().tick();
            ticker.schedule(PeerTick.RAFT);
        }
        if (ticker.isOnTick(PeerTick.RAFT_LOG_GC)) {
            onRaftLogGcTick();
            ticker.schedule(PeerTick.RAFT_LOG_GC);
        }
        if (ticker.isOnTick(PeerTick.SCHEDULER_HEARTBEAT)) {
            onSchedulerHeartbeatTick();
            ticker.schedule(PeerTick.SCHEDULER_HEARTBEAT);
        }
        if (ticker.isOnTick(PeerTick.SPLIT_REGION_CHECK)) {
            onSplitRegionCheckTick();
            ticker.schedule(PeerTick.SPLIT_REGION_CHECK);
        }
    }

    /**
     * A leader with more than {@code raftLogGcCountLimit} applied entries in its log proposes to compact it up
     * to just before the last applied one (TinyKV's {@code onRaftGCLogTick}). Every peer truncates its own log
     * when it applies the command; a follower that falls behind the truncation is sent a snapshot.
     */
    private void onRaftLogGcTick() {
        if (!peer.isLeader()) {
            return;
        }
        PeerStorage storage = peer.peerStorage();
        long applied = storage.appliedIndex();
        long first = storage.firstIndex();
        if (applied <= first || applied - first < ctx.config().raftLogGcCountLimit()) {
            return;
        }
        long compactIndex = applied - 1;
        RaftCmdRequest compact = RaftCmdRequest.newBuilder()
                .setHeader(RaftRequestHeader.newBuilder().setRegionId(peer.regionId()).setPeer(peer.meta())
                        .setRegionEpoch(peer.region().getRegionEpoch()))
                .setAdminRequest(AdminRequest.newBuilder().setCmdType(AdminCmdType.CompactLog)
                        .setCompactLog(CompactLogRequest.newBuilder().setCompactIndex(compactIndex)
                                .setCompactTerm(storage.term(compactIndex))))
                .build();
        peer.log().debug("proposing to compact the log up to %d", compactIndex);
        propose(compact, new Callback()); // nobody waits for it
    }

    private void onSchedulerHeartbeatTick() {
        if (peer.isLeader()) {
            heartbeatScheduler(peer, ctx);
        }
    }

    /** Reports the peer's region to the scheduler, as its leader. */
    static void heartbeatScheduler(Peer peer, StoreContext ctx) {
        ctx.schedulerTasks().send(new SchedulerTask.RegionHeartbeat(peer.region(), peer.meta(), peer.pendingPeers(),
                peer.approximateSize().orElse(0)));
    }

    // ---- splits (lab 3B) ----

    /**
     * A leader has its region measured when it has never been, or when the writes proposed since the last
     * measure may have added an eighth of a split's size (TinyKV's {@code onSplitRegionCheckTick}).
     */
    private void onSplitRegionCheckTick() {
        if (!peer.isLeader() || !peer.isInitialized()) {
            return;
        }
        if (peer.approximateSize().isPresent() && peer.sizeDiffHint() < ctx.config().regionSplitSize() / 8) {
            return;
        }
        peer.resetSizeDiffHint();
        ctx.splitCheckTasks().send(new SplitCheckTask(peer.region()));
    }

    /**
     * The split checker asks for a split: if this peer still leads the region it measured, at the same
     * epoch, ask the scheduler for the new region's ids; the scheduler worker then proposes the split
     * (TinyKV's {@code onPrepareSplitRegion}).
     */
    private void onPrepareSplitRegion(PeerMsg.SplitRegion split) {
        Region region = peer.region();
        if (!peer.isLeader()) {
            return;
        }
        if (!region.getRegionEpoch().equals(split.epoch())) {
            peer.log().debug("split check of an older epoch; ignored");
            return;
        }
        KeyRange range = KeyRange.of(region);
        if (!range.contains(split.splitKey()) || split.splitKey().equals(region.getStartKey())) {
            peer.log().warn("split key %s outside %s; ignored", split.splitKey().toStringUtf8(), range);
            return;
        }
        ctx.schedulerTasks().send(new SchedulerTask.AskSplit(region, split.splitKey(), peer.meta()));
    }
}
