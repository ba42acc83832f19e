package tinykv.kv.raftstore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import tinykv.kv.engine.CfIterator;
import tinykv.kv.engine.ColumnFamilies;
import tinykv.kv.engine.Engines;
import tinykv.kv.engine.WriteBatch;
import tinykv.kv.raftstore.meta.Keys;
import tinykv.kv.raftstore.meta.MetaStates;
import tinykv.kv.raftstore.snap.RegionWorker;
import tinykv.kv.raftstore.snap.SnapManager;
import tinykv.kv.raftstore.snap.SnapshotReceiver;
import tinykv.kv.raftstore.snap.SnapshotSender;
import tinykv.kv.raftstore.snap.SnapshotTraffic;
import tinykv.proto.eraftpb.MessageType;
import tinykv.proto.metapb.Region;
import tinykv.proto.raft_cmdpb.RaftCmdRequest;
import tinykv.proto.raft_serverpb.PeerState;
import tinykv.proto.raft_serverpb.RaftMessage;
import tinykv.proto.raft_serverpb.RegionLocalState;
import tinykv.runtime.EventLoop;
import tinykv.runtime.Log;
import tinykv.scheduler.client.SchedulerClient;

/**
 * One store (TinyKV's node and raftstore): its workers are mailboxes on the store's event loop, and its
 * peers are loaded from the engines at start. Everything here only queues work; nothing blocks.
 */
public final class RaftStore {
    private final StoreContext ctx;
    private final SnapshotSender snapshotSender;
    private final SnapshotReceiver snapshotReceiver;
    private final Log log;
    private boolean stopped;

    public RaftStore(StoreConfig config, Engines engines, EventLoop loop, Transport transport,
            SchedulerClient scheduler) {
        long storeId = Bootstrap.storeIdent(engines).getStoreId();
        // The workers and the router point at each other; the router is built first, with the mailboxes.
        WorkerSlots slots = new WorkerSlots();
        Router router = new Router(
                loop.mailbox("raft worker", batch -> slots.raftWorker.handle(batch)),
                loop.mailbox("store worker", batch -> slots.storeWorker.handle(batch)));
        SchedulerWorker schedulerWorker = new SchedulerWorker(scheduler, router, Log.of(loop, "scheduler worker"));
        SnapManager snapManager = new SnapManager(loop);
        this.snapshotSender = new SnapshotSender(config.snapshot(), loop, snapManager, transport::sendSnapshotTraffic);
        this.snapshotReceiver = new SnapshotReceiver(config.snapshot(), loop, snapManager,
                transport::sendSnapshotTraffic, this::receive);
        this.ctx = new StoreContext(storeId, config, engines, loop, new StoreTransport(transport, snapshotSender),
                router, new StoreMeta(), loop.mailbox("scheduler worker", schedulerWorker), scheduler,
                loop.mailbox("raft log gc worker", new RaftLogGcWorker(engines.raft())),
                new RegionWorker(engines, snapManager, loop),
                loop.mailbox("split checker", new SplitChecker(engines.kv(), router, config)));
        slots.raftWorker = new RaftWorker(ctx);
        slots.storeWorker = new StoreWorker(ctx);
        scheduler.setRegionHeartbeatResponseHandler(storeId, schedulerWorker::onRegionHeartbeatResponse);
        this.log = Log.of(loop, "");
    }

    /** The handlers behind the router's mailboxes, set once the context they need exists. */
    private static final class WorkerSlots {
        RaftWorker raftWorker;
        StoreWorker storeWorker;
    }

    /** Raft messages go out as they are, except that a snapshot's data goes first, in chunks. */
    private record StoreTransport(Transport network, SnapshotSender snapshots) implements Transport {
        @Override
        public void send(RaftMessage message) {
            if (message.getMessage().getMsgType() == MessageType.MsgSnapshot) {
                snapshots.send(message);
            } else {
                network.send(message);
            }
        }

        @Override
        public void sendSnapshotTraffic(long toStore, SnapshotTraffic traffic) {
            network.sendSnapshotTraffic(toStore, traffic);
        }
    }

    /** The id this store was bootstrapped with. */
    public long storeId() {
        return ctx.storeId();
    }

    /** Loads every peer from the engines and starts ticking. */
    public void start() {
        List<Peer> peers = loadPeers();
        for (Peer peer : peers) {
            ctx.storeMeta().put(peer.region());
            ctx.router().register(peer);
            ctx.router().send(peer.regionId(), new PeerMsg.Start());
        }
        new TickDriver(ctx).start();
        log.info("started with %d regions", peers.size());
    }

    /** Marks the store stopped; the caller then halts its event loop and closes its engines. */
    public void stop() {
        stopped = true;
    }

    /** Hands a client's command to the peer of its region on this store; the answer goes to the callback. */
    public void sendCommand(RaftCmdRequest request, Callback callback) {
        long regionId = request.getHeader().getRegionId();
        if (stopped || !ctx.router().send(regionId, new PeerMsg.RaftCommand(request, callback))) {
            callback.done(CmdResponses.error(new RegionError.RegionNotFoundError(regionId)));
        }
    }

    /** A raft message from another store, off the network. */
    public void receive(RaftMessage message) {
        if (stopped) {
            return;
        }
        if (!ctx.router().send(message.getRegionId(), new PeerMsg.RaftMessageMsg(message))) {
            ctx.router().sendStore(new StoreMsg.StoreRaftMessage(message));
        }
    }

    /** A snapshot chunk or acknowledgement from another store, off the snapshot channel. */
    public void receiveSnapshotTraffic(long fromStore, SnapshotTraffic traffic) {
        if (stopped) {
            return;
        }
        if (traffic instanceof SnapshotTraffic.Chunk chunk) {
            snapshotReceiver.onChunk(fromStore, chunk);
        } else if (traffic instanceof SnapshotTraffic.Ack ack) {
            snapshotSender.onAck(fromStore, ack);
        } else {
            throw new IllegalArgumentException("store " + ctx.storeId() + " has no handler for " + traffic);
        }
    }

    /** Every peer on this store as it is now, in region id order (for tests' invariants). */
    public List<PeerStatus> peerStatuses() {
        List<PeerStatus> statuses = new ArrayList<>();
        for (long regionId : ctx.router().regionIds()) {
            ctx.router().peer(regionId).ifPresent(peer -> statuses.add(PeerStatus.of(peer)));
        }
        return statuses;
    }

    /** This store's peer of a region (for kit tests in this package that break a peer on purpose). */
    Optional<Peer> peer(long regionId) {
        return ctx.router().peer(regionId);
    }

    /** The Raft state of this store's peer of a region, in one line ({@link Peer#describeState}), for reports. */
    public Optional<String> describePeer(long regionId) {
        return ctx.router().peer(regionId).map(Peer::describeState);
    }

    /**
     * The applied index the peer of {@code regionId} on this store holds in memory, which may run ahead of the
     * one in its engine (for tests' checks); empty if the store has no peer of the region.
     */
    public OptionalLong appliedIndex(long regionId) {
        return ctx.router().peer(regionId).map(peer -> OptionalLong.of(peer.peerStorage().appliedIndex()))
                .orElse(OptionalLong.empty());
    }

    /** Grows whenever a region or a peer's role here changes; the same value means the same statuses. */
    public long statusVersion() {
        return ctx.storeMeta().version();
    }

    /** What this store's snapshots have been through (for tests and reports). */
    public SnapManager.Stats snapshotStats() {
        return ctx.regionWorker().snapManager().stats();
    }

    /** A peer for every region state in the kv engine; removed (tombstone) regions have their meta cleaned. */
    private List<Peer> loadPeers() {
        List<Peer> peers = new ArrayList<>();
        WriteBatch kvBatch = new WriteBatch();
        WriteBatch raftBatch = new WriteBatch();
        for (RegionLocalState state : regionStates()) {
            Region region = state.getRegion();
            if (state.getState() == PeerState.Tombstone) {
                clearStaleMeta(raftBatch, region);
                continue;
            }
            tinykv.proto.metapb.Peer self = RegionChecks.findPeer(region, ctx.storeId()).orElseThrow(
                    () -> new IllegalStateException("region " + region.getId() + " on store " + ctx.storeId()
                            + " has no peer on this store"));
            peers.add(new Peer(ctx, region, self));
        }
        ctx.engines().kv().write(kvBatch);
        ctx.engines().raft().write(raftBatch);
        return peers;
    }

    /** Deletes what a destroyed peer may have left of its raft log and state (a crash during destroy). */
    private void clearStaleMeta(WriteBatch raftBatch, Region region) {
        MetaStates.raftLocalState(ctx.engines().raft(), region.getId()).ifPresent(raftState ->
                MetaStates.deleteRaftLogAndState(raftBatch, region.getId(), raftState.getLastIndex()));
    }

    private List<RegionLocalState> regionStates() {
        List<RegionLocalState> states = new ArrayList<>();
        try (CfIterator it = ctx.engines().kv().iterator(ColumnFamilies.DEFAULT)) {
            for (it.seek(Keys.regionMetaMinKey()); it.valid(); it.next()) {
                if (Arrays.compareUnsigned(it.key(), Keys.regionMetaMaxKey()) >= 0) {
                    break;
                }
                if (Keys.decodeRegionMetaKey(it.key()).suffix() == Keys.REGION_STATE_SUFFIX) {
                    states.add(Protos.parse(RegionLocalState.parser(), it.value(), "region state"));
                }
            }
        }
        return states;
    }
}
