package tinykv.kv.raftstore;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import tinykv.kv.engine.Engines;
import tinykv.kv.engine.WriteBatch;
import tinykv.kv.raftstore.meta.MetaStates;
import tinykv.proto.eraftpb.Message;
import tinykv.proto.metapb.Region;
import tinykv.proto.raft_serverpb.PeerState;
import tinykv.proto.raft_serverpb.RaftMessage;
import tinykv.raft.Config;
import tinykv.raft.RawNode;
import tinykv.raft.StateType;
import tinykv.runtime.Log;

/**
 * One peer of one region on this store (TinyKV's {@code peer.go}): its raft group, its storage, and the
 * commands it proposed and has yet to answer. Handlers act on it; it does not handle messages itself.
 */
public final class Peer {
    private final tinykv.proto.metapb.Peer meta;
    private final long regionId;
    private final RawNode raftGroup;
    private final PeerStorage peerStorage;
    private final PeerTicker ticker;
    private final Log log;
    private final ProposalTrace trace;
    private final String tag;
    /** Commands proposed and not yet answered, in log order. */
    private final Deque<Proposal> proposals = new ArrayDeque<>();
    /** The other peers of the region, by id, as last seen; messages are addressed through it. */
    private final Map<Long, tinykv.proto.metapb.Peer> peerCache = new TreeMap<>();
    /** Raft log entries below this index have been handed to the raft-log GC (lab 2C). */
    private long lastCompactedIndex;
    /** The region's size as the split checker last measured it; empty until it has (lab 3B). */
    private OptionalLong approximateSize = OptionalLong.empty();
    /** About how many bytes the commands proposed here since the last split check wrote (lab 3B). */
    private long sizeDiffHint;
    private boolean stopped;

    /**
     * A peer for {@code region} on this store. A region with no peers stands for a peer that is about to
     * receive its data from the leader (by a snapshot).
     */
    Peer(StoreContext ctx, Region region, tinykv.proto.metapb.Peer meta) {
        if (meta.getId() == 0) {
            throw new IllegalArgumentException("a peer id must not be 0, region " + region.getId());
        }
        this.meta = meta;
        this.regionId = region.getId();
        this.tag = "region " + region.getId() + " peer " + meta.getId();
        this.log = Log.of(ctx.loop(), tag);
        this.trace = new ProposalTrace(this, ctx.engines());
        this.peerStorage = new PeerStorage(ctx.engines(), ctx.regionWorker(), region, tag);
        StoreConfig config = ctx.config();
        this.ticker = new PeerTicker(config);
        this.raftGroup = new RawNode(Config.builder()
                .id(meta.getId())
                .electionTick(config.raftElectionTimeoutTicks())
                .heartbeatTick(config.raftHeartbeatTicks())
                .applied(peerStorage.appliedIndex())
                .storage(peerStorage)
                .random(ctx.loop().random())
                .build());
        if (region.getPeersCount() == 1 && region.getPeers(0).getStoreId() == meta.getStoreId()) {
            // Alone in its region: no one else can elect it.
            raftGroup.campaign();
        }
    }

    public tinykv.proto.metapb.Peer meta() {
        return meta;
    }

    public long peerId() {
        return meta.getId();
    }

    public long storeId() {
        return meta.getStoreId();
    }

    public long regionId() {
        return regionId;
    }

    /** For logs and reports: {@code region 1 peer 3}. */
    public String tag() {
        return tag;
    }

    public Log log() {
        return log;
    }

    /** The debug log's lines on this peer's proposals, applied entries and answers. */
    ProposalTrace trace() {
        return trace;
    }

    public RawNode raftGroup() {
        return raftGroup;
    }

    public PeerStorage peerStorage() {
        return peerStorage;
    }

    PeerTicker ticker() {
        return ticker;
    }

    public Region region() {
        return peerStorage.region();
    }

    public void setRegion(Region region) {
        peerStorage.setRegion(region);
    }

    public boolean isInitialized() {
        return peerStorage.isInitialized();
    }

    public boolean isLeader() {
        return raftGroup.raft().state() == StateType.LEADER;
    }

    public long leaderId() {
        return raftGroup.raft().lead();
    }

    public long term() {
        return raftGroup.raft().term();
    }

    /** The log index the next proposal will get. */
    public long nextProposalIndex() {
        return raftGroup.raft().lastIndex() + 1;
    }

    /**
     * This peer's Raft state in one line, for a test's report: role and term, last, committed and applied
     * index, and the proposals waiting, so that "never committed", "committed but not applied" and "applied
     * but never answered" read differently.
     */
    public String describeState() {
        Proposal oldest = proposals.peekFirst();
        return String.format(java.util.Locale.ROOT,
                "peer %d of region %d on store %d: %s of term %d (leader %d), last index %d, committed %d, applied %d, "
                        + "%d proposals waiting%s", peerId(), regionId(), storeId(), raftGroup.raft().state(), term(),
                leaderId(), raftGroup.raft().lastIndex(), raftGroup.raft().committed(), peerStorage.appliedIndex(),
                proposals.size(), oldest == null ? "" : " (oldest at index " + oldest.index() + ", term " + oldest.term() + ")");
    }

    /** Commands waiting for their entries to apply, oldest first. */
    public Deque<Proposal> proposals() {
        return proposals;
    }

    public long lastCompactedIndex() {
        return lastCompactedIndex;
    }

    /**
     * Hands the raft log entries up to {@code truncatedIndex} to the raft-log GC worker, once the truncated
     * state that covers them is persisted (lab 2C).
     */
    public void scheduleRaftLogGc(StoreContext ctx, long truncatedIndex) {
        if (truncatedIndex + 1 <= lastCompactedIndex) {
            return;
        }
        ctx.raftLogGcTasks().send(new RaftLogGcTask(regionId, lastCompactedIndex, truncatedIndex + 1));
        lastCompactedIndex = truncatedIndex + 1;
    }

    // ---- size, for the split checker and the scheduler (lab 3B) ----

    public OptionalLong approximateSize() {
        return approximateSize;
    }

    void setApproximateSize(long bytes) {
        approximateSize = OptionalLong.of(bytes);
    }

    /** The region's range changed (a split): its size is unknown until it is measured again. */
    void forgetApproximateSize() {
        approximateSize = OptionalLong.empty();
    }

    long sizeDiffHint() {
        return sizeDiffHint;
    }

    void addSizeDiffHint(long bytes) {
        sizeDiffHint += bytes;
    }

    void resetSizeDiffHint() {
        sizeDiffHint = 0;
    }

    /**
     * (Leader) The peers that lack entries the leader no longer has in its log: they can only catch up
     * through a snapshot, so the scheduler must not count them as healthy copies yet.
     */
    public List<tinykv.proto.metapb.Peer> pendingPeers() {
        long truncated = peerStorage.truncatedIndex();
        return raftGroup.getProgress().entrySet().stream()
                .filter(progress -> progress.getKey() != peerId() && progress.getValue().match < truncated)
                .map(progress -> peerById(progress.getKey()))
                .flatMap(Optional::stream)
                .toList();
    }

    public boolean isStopped() {
        return stopped;
    }

    /** The region's peer with this id, if this peer knows of it. */
    public Optional<tinykv.proto.metapb.Peer> peerById(long peerId) {
        tinykv.proto.metapb.Peer cached = peerCache.get(peerId);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<tinykv.proto.metapb.Peer> inRegion = RegionChecks.findPeerById(region(), peerId);
        inRegion.ifPresent(this::rememberPeer);
        return inRegion;
    }

    void rememberPeer(tinykv.proto.metapb.Peer peer) {
        peerCache.put(peer.getId(), peer);
    }

    void forgetPeer(long peerId) {
        peerCache.remove(peerId);
    }

    /** Sends raft's messages to the other peers, wrapped with the region's identity and epoch. */
    public void send(Transport transport, List<Message> messages) {
        for (Message message : messages) {
            Optional<tinykv.proto.metapb.Peer> to = peerById(message.getTo());
            if (to.isEmpty()) {
                log.debug("no address for peer %d, dropping %s", message.getTo(), message.getMsgType());
                continue;
            }
            RaftMessage.Builder wrapped = RaftMessage.newBuilder()
                    .setRegionId(regionId)
                    .setFromPeer(meta)
                    .setToPeer(to.get())
                    .setRegionEpoch(region().getRegionEpoch())
                    .setMessage(message);
            if (isInitialized() && RegionChecks.isInitialMessage(message)) {
                // A store without this region learns its range from the first message it gets.
                wrapped.setStartKey(region().getStartKey()).setEndKey(region().getEndKey());
            }
            transport.send(wrapped.build());
        }
    }

    /**
     * Removes this peer for good: its raft state and log, its region state becomes tombstone, its data is
     * cleared unless {@code keepData}, and every command it still holds fails with "region not found".
     */
    void destroy(Engines engines, boolean keepData) {
        Region region = region();
        log.info("destroying");
        WriteBatch kvBatch = new WriteBatch();
        WriteBatch raftBatch = new WriteBatch();
        peerStorage.clearMeta(kvBatch, raftBatch);
        MetaStates.writeRegionState(kvBatch, region, PeerState.Tombstone);
        engines.kv().write(kvBatch);
        engines.raft().write(raftBatch);
        if (peerStorage.isInitialized() && !keepData) {
            peerStorage.clearData();
        }
        for (Proposal proposal : proposals) {
            proposal.callback().done(CmdResponses.error(new RegionError.RegionNotFoundError(regionId)));
        }
        proposals.clear();
        stopped = true;
    }
}
