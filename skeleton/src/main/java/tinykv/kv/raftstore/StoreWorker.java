package tinykv.kv.raftstore;

import java.util.List;
import java.util.Optional;
import tinykv.kv.raftstore.meta.MetaStates;
import tinykv.kv.storage.KeyRange;
import tinykv.proto.metapb.Region;
import tinykv.proto.metapb.RegionEpoch;
import tinykv.proto.raft_serverpb.PeerState;
import tinykv.proto.raft_serverpb.RaftMessage;
import tinykv.proto.raft_serverpb.RegionLocalState;
import tinykv.proto.schedulerpb.StoreStats;
import tinykv.runtime.Log;
import tinykv.runtime.MailboxHandler;

/**
 * The store worker (TinyKV's {@code store_worker.go}): creates a peer when a raft message arrives for a
 * region this store has no peer of (a new member being added), answers messages meant for removed peers,
 * reports the store to the scheduler, and has unused snapshots deleted.
 */
final class StoreWorker implements MailboxHandler<StoreMsg> {
    private final StoreContext ctx;
    private final Log log;

    StoreWorker(StoreContext ctx) {
        this.ctx = ctx;
        this.log = Log.of(ctx.loop(), "store worker");
    }

    @Override
    public void handle(List<StoreMsg> batch) {
        for (StoreMsg message : batch) {
            if (message instanceof StoreMsg.StoreRaftMessage raft) {
                onRaftMessage(raft.message());
            } else if (message instanceof StoreMsg.StoreHeartbeatTick) {
                ctx.schedulerTasks().send(new SchedulerTask.StoreHeartbeat(StoreStats.newBuilder()
                        .setStoreId(ctx.storeId()).setRegionCount(ctx.storeMeta().regionCount()).build()));
            } else if (message instanceof StoreMsg.SnapshotGcTick) {
                ctx.regionWorker().snapManager().gc(ctx.config().snapshot().keepUnused().toMillis());
            } else {
                throw new IllegalArgumentException("the store worker has no handler for " + message);
            }
        }
    }

    private void onRaftMessage(RaftMessage message) {
        long regionId = message.getRegionId();
        if (ctx.router().send(regionId, new PeerMsg.RaftMessageMsg(message))) {
            return; // the peer appeared since the message was queued here
        }
        if (message.getToPeer().getStoreId() != ctx.storeId()) {
            log.warn("message for store %d reached store %d; ignored", message.getToPeer().getStoreId(), ctx.storeId());
            return;
        }
        if (!message.hasRegionEpoch() || message.getIsTombstone()) {
            return;
        }
        if (isForTombstoneOrPending(message)) {
            return;
        }
        if (maybeCreatePeer(message)) {
            ctx.router().send(regionId, new PeerMsg.RaftMessageMsg(message));
        }
    }

    /**
     * Whether the message is for a region whose peer here was removed (answer a stale sender, drop the
     * rest), or for a region that exists here but has not registered yet.
     */
    private boolean isForTombstoneOrPending(RaftMessage message) {
        Optional<RegionLocalState> local = MetaStates.regionLocalState(ctx.engines().kv(), message.getRegionId());
        if (local.isEmpty()) {
            return false;
        }
        if (local.get().getState() != PeerState.Tombstone) {
            // The region's state is here but no peer is: it is being created by a split (lab 3B).
            log.info("region %d has state but no peer yet; message %s dropped", message.getRegionId(),
                    message.getMessage().getMsgType());
            return true;
        }
        Region region = local.get().getRegion();
        RegionEpoch current = region.getRegionEpoch();
        if (RegionChecks.isEpochStale(message.getRegionEpoch(), current)) {
            boolean senderRemoved = RegionChecks.findPeer(region, message.getFromPeer().getStoreId()).isEmpty();
            StaleMessages.answer(ctx.transport(), message, current,
                    RegionChecks.isVoteMessage(message.getMessage()) && senderRemoved);
            return true;
        }
        return message.getRegionEpoch().getConfVer() == current.getConfVer();
    }

    /** Creates an empty peer for the message's region if the message may create one. */
    private boolean maybeCreatePeer(RaftMessage message) {
        long regionId = message.getRegionId();
        if (ctx.storeMeta().region(regionId).isPresent()) {
            return true;
        }
        if (!RegionChecks.isInitialMessage(message.getMessage())) {
            log.debug("no peer for region %d and %s cannot create one", regionId, message.getMessage().getMsgType());
            return false;
        }
        KeyRange range = new KeyRange(message.getStartKey(), message.getEndKey());
        if (!ctx.storeMeta().overlapping(range).isEmpty()) {
            log.debug("region %d overlaps a region here; not created yet", regionId);
            return false;
        }
        Region uninitialized = Region.newBuilder().setId(regionId).setRegionEpoch(RegionEpoch.getDefaultInstance())
                .build();
        Peer peer = new Peer(ctx, uninitialized, message.getToPeer());
        log.info("created peer %d of region %d", peer.peerId(), regionId);
        ctx.storeMeta().put(peer.region());
        ctx.router().register(peer);
        ctx.router().send(regionId, new PeerMsg.Start());
        return true;
    }
}
