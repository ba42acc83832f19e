package tinykv.kv.raftstore;

import java.util.List;
import java.util.Optional;
import tinykv.kv.raftstore.PeerTicker.PeerTick;
import tinykv.proto.raft_cmdpb.AdminCmdType;
import tinykv.proto.raft_cmdpb.AdminRequest;
import tinykv.proto.raft_cmdpb.CompactLogRequest;
import tinykv.proto.raft_cmdpb.RaftCmdRequest;
import tinykv.proto.raft_cmdpb.RaftRequestHeader;
import tinykv.proto.raft_serverpb.RaftMessage;
import tinykv.raft.RaftException;

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
        }
    }

    // ---- commands ----

    private void onRaftCommand(RaftCmdRequest request, Callback callback) {
        Optional<RegionError> refused = preProposeChecks(request);
        if (refused.isPresent()) {
            callback.done(CmdResponses.error(refused.get()));
            return;
        }
        new PeerMsgHandler(peer, ctx).proposeRaftCommand(request, callback);
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
        peer.log().debug("%s from peer %d", message.getMessage().getMsgType(), message.getFromPeer().getId());
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
            destroyPeer();
            ctx.router().sendStore(new StoreMsg.StoreRaftMessage(message));
            return true;
        }
        return false;
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
        destroyPeer();
    }

    private void destroyPeer() {
        if (peer.isStopped()) {
            return;
        }
        peer.destroy(ctx.engines(), false);
        ctx.router().close(peer.regionId());
        ctx.storeMeta().remove(peer.regionId());
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
            // Region split checks arrive with lab 3B.
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
        new PeerMsgHandler(peer, ctx).proposeRaftCommand(compact, new Callback()); // nobody waits for it
    }

    private void onSchedulerHeartbeatTick() {
        if (peer.isLeader()) {
            ctx.schedulerTasks().send(new SchedulerTask.RegionHeartbeat(peer.region(), peer.meta(),
                    List.of()));
        }
    }
}
