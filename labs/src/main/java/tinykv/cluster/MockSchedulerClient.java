package tinykv.cluster;

import com.google.protobuf.ByteString;
import com.google.protobuf.TextFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import tinykv.kv.raftstore.RegionChecks;
import tinykv.kv.storage.KeyRange;
import tinykv.proto.eraftpb.ConfChangeType;
import tinykv.proto.metapb.Peer;
import tinykv.proto.metapb.Region;
import tinykv.proto.metapb.RegionEpoch;
import tinykv.proto.metapb.Store;
import tinykv.proto.schedulerpb.AskSplitResponse;
import tinykv.proto.schedulerpb.ChangePeer;
import tinykv.proto.schedulerpb.ErrorType;
import tinykv.proto.schedulerpb.RegionHeartbeatRequest;
import tinykv.proto.schedulerpb.RegionHeartbeatResponse;
import tinykv.proto.schedulerpb.ResponseHeader;
import tinykv.proto.schedulerpb.StoreStats;
import tinykv.proto.schedulerpb.TransferLeader;
import tinykv.scheduler.client.RegionAndLeader;
import tinykv.scheduler.client.SchedulerClient;
import tinykv.scheduler.client.SchedulerException;
import tinykv.scheduler.core.RegionInfo;
import tinykv.scheduler.core.RegionsInfo;

/**
 * The scheduler the test cluster runs against (TinyKV's {@code test_raftstore/scheduler.go}): it hands out
 * ids, keeps the stores and the regions their leaders report, and carries out what a test orders (add or
 * remove a peer, transfer a leader) by answering the region's heartbeats until the order is done.
 *
 * <p>Everything runs on the simulator's one thread, so there are no locks. Answers to heartbeats are not
 * given inside {@link #regionHeartbeat}: they are handed to {@code later}, which delivers them as a
 * separate simulator event, so the raftstore is never re-entered from its own call.
 */
public final class MockSchedulerClient implements SchedulerClient, TestScheduler {

    /** Runs a task soon, as its own event (the cluster wires this to the simulator). */
    @FunctionalInterface
    public interface Later {
        void run(String what, Runnable task);
    }

    private final long clusterId;
    private final Later later;
    private long nextId;
    private boolean bootstrapped;

    private final Map<Long, Store> stores = new TreeMap<>();
    private final Map<Long, Consumer<RegionHeartbeatResponse>> responseHandlers = new TreeMap<>();
    /** The regions by id and by key range: the scheduler core's registry (leaders are kept apart, below). */
    private final RegionsInfo known = new RegionsInfo();
    private final Map<Long, Peer> leaders = new TreeMap<>();
    private final Map<Long, Peer> pendingPeers = new TreeMap<>();
    private final Map<Long, Operator> operators = new LinkedHashMap<>();
    /** The epoch each store last reported for each region, by region id then store id. */
    private final Map<Long, Map<Long, RegionEpoch>> reportedEpochs = new TreeMap<>();

    /**
     * @param firstId the first id {@link #allocId} hands out; TinyKV starts after the store ids
     *     (store count + 1), because the first region's peers take the ids of their stores
     */
    public MockSchedulerClient(long clusterId, long firstId, Later later) {
        this.clusterId = clusterId;
        this.nextId = firstId;
        this.later = Objects.requireNonNull(later, "later");
    }

    // ---- SchedulerClient -------------------------------------------------------------------------------

    @Override
    public long clusterId() {
        return clusterId;
    }

    @Override
    public long allocId() {
        return nextId++;
    }

    @Override
    public void bootstrap(Store store, Region region) {
        if (bootstrapped || known.getRegionCount() > 0) {
            bootstrapped = true;
            throw new SchedulerException("cluster " + clusterId + " is already bootstrapped");
        }
        stores.put(store.getId(), store);
        // TinyKV's mock scheduler learns the first region from its first heartbeat, not from bootstrap.
        bootstrapped = true;
    }

    @Override
    public boolean isBootstrapped() {
        return bootstrapped;
    }

    @Override
    public void putStore(Store store) {
        checkBootstrapped();
        stores.put(store.getId(), store);
    }

    @Override
    public Optional<Store> getStore(long storeId) {
        checkBootstrapped();
        Store store = stores.get(storeId);
        if (store == null) {
            throw new SchedulerException("store " + storeId + " not found");
        }
        return Optional.of(store);
    }

    @Override
    public Optional<RegionAndLeader> getRegion(byte[] key) {
        checkBootstrapped();
        return findRegion(ByteString.copyFrom(key)).map(this::withLeader);
    }

    @Override
    public Optional<RegionAndLeader> getRegionById(long regionId) {
        checkBootstrapped();
        return known.getRegion(regionId).map(RegionInfo::meta).map(this::withLeader);
    }

    @Override
    public void askSplit(Region region, Consumer<AskSplitResponse> answer) {
        AskSplitResponse response = askSplitNow(region);
        later.run("scheduler answers region " + region.getId() + " split ids", () -> answer.accept(response));
    }

    /** TinyKV's AskSplit: fresh ids for the new region and each of its peers, if the region is known and current. */
    private AskSplitResponse askSplitNow(Region region) {
        Optional<Region> current = getRegionById(region.getId()).map(RegionAndLeader::region)
                .filter(found -> found.getId() == region.getId());
        if (current.isEmpty()) {
            return errorResponse(ErrorType.REGION_NOT_FOUND, "region " + region.getId() + " not found");
        }
        if (RegionChecks.isEpochStale(region.getRegionEpoch(), current.get().getRegionEpoch())) {
            return errorResponse(ErrorType.UNKNOWN, "epoch of region " + region.getId() + " is stale: asked with "
                    + TextFormat.shortDebugString(region.getRegionEpoch()) + ", current "
                    + TextFormat.shortDebugString(current.get().getRegionEpoch()));
        }
        AskSplitResponse.Builder response = AskSplitResponse.newBuilder().setHeader(header())
                .setNewRegionId(allocId());
        for (int i = 0; i < region.getPeersCount(); i++) {
            response.addNewPeerIds(allocId());
        }
        return response.build();
    }

    private AskSplitResponse errorResponse(ErrorType type, String message) {
        return AskSplitResponse.newBuilder().setHeader(header().toBuilder().setError(
                tinykv.proto.schedulerpb.Error.newBuilder().setType(type).setMessage(message))).build();
    }

    @Override
    public void storeHeartbeat(StoreStats stats) {
        checkBootstrapped();
    }

    @Override
    public void regionHeartbeat(RegionHeartbeatRequest request) {
        checkBootstrapped();
        Region region = request.getRegion();
        long regionId = region.getId();
        checkEpochNotBackOnStore(region, request.getLeader().getStoreId());
        for (Peer peer : region.getPeersList()) {
            pendingPeers.remove(peer.getId());
        }
        for (Peer peer : request.getPendingPeersList()) {
            pendingPeers.put(peer.getId(), peer);
        }
        // A heartbeat older than what we know is ignored, unanswered: heartbeats race with splits and
        // conf changes, so this is normal and not an error of the store that sent it. Differs from TinyKV: its
        // leader is not taken either. A leader cut off in a minority goes on reporting its old region; taking
        // its word would send clients to it on every other heartbeat, where nothing can commit.
        if (!updateRangeIfNewer(region) || !updatePeersIfNewer(region)) {
            return;
        }
        leaders.put(regionId, request.getLeader());

        RegionHeartbeatResponse.Builder response = RegionHeartbeatResponse.newBuilder().setHeader(header())
                .setRegionId(regionId).setRegionEpoch(region.getRegionEpoch()).setTargetPeer(request.getLeader());
        Operator operator = operators.get(regionId);
        if (operator != null) {
            if (operator.isFinished(region, request.getLeader(), pendingPeers)) {
                operators.remove(regionId);
            } else {
                operator.addTo(response);
            }
        }
        Consumer<RegionHeartbeatResponse> handler = responseHandlers.get(request.getLeader().getStoreId());
        if (handler != null) {
            RegionHeartbeatResponse answer = response.build();
            later.run("scheduler answers region " + regionId + " heartbeat", () -> handler.accept(answer));
        }
    }

    /** Every store talks to this one object; the answers find a store through the handler it sets. */
    @Override
    public SchedulerClient clientOfStore(long storeId) {
        return this;
    }

    @Override
    public void setRegionHeartbeatResponseHandler(long storeId, Consumer<RegionHeartbeatResponse> handler) {
        responseHandlers.put(storeId, handler == null ? response -> { } : handler);
    }

    /**
     * Heartbeats of different stores race, but one store's reports of a region come in the order its peer
     * changed: an older epoch after a newer one means that peer went back (its region state was lost or
     * overwritten), a raftstore bug the test reports by name rather than as a scheduler error.
     */
    private void checkEpochNotBackOnStore(Region region, long storeId) {
        RegionEpoch now = region.getRegionEpoch();
        RegionEpoch before = reportedEpochs.computeIfAbsent(region.getId(), id -> new TreeMap<>()).put(storeId, now);
        if (before != null && RegionChecks.isEpochStale(now, before)) {
            throw new AssertionError("region " + region.getId() + ": store " + storeId + " reported epoch "
                    + TextFormat.shortDebugString(now) + " after it had reported " + TextFormat.shortDebugString(before)
                    + ": a region's epoch never goes back");
        }
    }

    // ---- orders a test gives ---------------------------------------------------------------------------

    /** Adds {@code peer} to the region: answered on the region's heartbeats until the peer has caught up. */
    public void addPeer(long regionId, Peer peer) {
        operators.put(regionId, new Operator.AddPeer(peer));
    }

    /** Removes {@code peer} from the region: answered on the region's heartbeats until it is gone. */
    public void removePeer(long regionId, Peer peer) {
        operators.put(regionId, new Operator.RemovePeer(peer));
    }

    /** Moves the region's leadership to {@code peer}: answered until that peer reports as leader. */
    public void transferLeader(long regionId, Peer peer) {
        operators.put(regionId, new Operator.TransferLeaderTo(peer));
    }

    /** Some region a leader has reported (the one with the smallest id, so the choice is deterministic). */
    public Optional<Region> anyRegion() {
        for (long regionId : leaders.keySet()) {
            Optional<RegionAndLeader> found = getRegionById(regionId);
            if (found.isPresent()) {
                return Optional.of(found.get().region());
            }
        }
        return Optional.empty();
    }

    /** Every region the scheduler knows, from the left of the key space to the right. */
    @Override
    public List<Region> regions() {
        return known.scanRange(KeyRange.ALL, 0).stream().map(RegionInfo::meta).toList();
    }

    // ---- region registry -------------------------------------------------------------------------------

    /**
     * TinyKV's handleHeartbeatVersion: takes the reported range if it is newer than every known region it
     * overlaps (the core's region tree finds them, a range reported after a split starting in a gap the
     * scheduler has not heard of included); false, and nothing changed, if it is stale.
     */
    private boolean updateRangeIfNewer(Region region) {
        if (KeyRange.exceedsEndKey(region.getStartKey(), region.getEndKey())) {
            throw new AssertionError("region " + regionId(region) + " reports a start key after its end key");
        }
        boolean replace = true;
        for (RegionInfo overlap : known.getOverlaps(RegionInfo.withoutLeader(region))) {
            Region other = overlap.meta();
            boolean sameRange = other.getStartKey().equals(region.getStartKey())
                    && other.getEndKey().equals(region.getEndKey());
            if (sameRange) {
                if (RegionChecks.isEpochStale(region.getRegionEpoch(), other.getRegionEpoch())) {
                    return false;
                }
                // At the same version the known region stays; its peers are compared next.
                replace &= other.getRegionEpoch().getVersion() < region.getRegionEpoch().getVersion();
            } else if (region.getRegionEpoch().getVersion() <= other.getRegionEpoch().getVersion()) {
                return false; // the reported range overlaps a newer one (it split since, say)
            }
        }
        if (replace) {
            known.setRegion(RegionInfo.withoutLeader(region));
        }
        return true;
    }

    /** TinyKV's handleHeartbeatConfVersion: takes the reported peers if they are newer; false if stale. */
    private boolean updatePeersIfNewer(Region region) {
        Region known = findRegion(region.getStartKey()).orElseThrow(
                () -> new AssertionError("region " + regionId(region) + " vanished from the scheduler"));
        if (RegionChecks.isEpochStale(region.getRegionEpoch(), known.getRegionEpoch())) {
            return false;
        }
        if (region.getRegionEpoch().getConfVer() > known.getRegionEpoch().getConfVer()) {
            checkOneConfChangeApart(known, region);
            this.known.setRegion(RegionInfo.withoutLeader(region));
        } else {
            checkSamePeers(known, region);
        }
        return true;
    }

    /** A conf change adds or removes one peer at a time; anything else is a raftstore bug. */
    private static void checkOneConfChangeApart(Region known, Region reported) {
        int before = known.getPeersCount();
        int after = reported.getPeersCount();
        int removed = peersNotIn(known, reported).size();
        int added = peersNotIn(reported, known).size();
        boolean oneRemoved = before == after + 1 && removed == 1 && added == 0;
        boolean oneAdded = after == before + 1 && added == 1 && removed == 0;
        if (before != after && !oneRemoved && !oneAdded) {
            throw new AssertionError("region " + regionId(reported) + " changed more than one peer at once: "
                    + "known " + peers(known) + ", reported " + peers(reported));
        }
        if (before == after) {
            checkSamePeers(known, reported);
            if (known.getRegionEpoch().getConfVer() + 1 != reported.getRegionEpoch().getConfVer()
                    || known.getRegionEpoch().getVersion() + 1 != reported.getRegionEpoch().getVersion()) {
                throw new AssertionError("region " + regionId(reported) + " reports epoch "
                        + reported.getRegionEpoch() + " after " + known.getRegionEpoch() + " with the same peers");
            }
        }
    }

    private static void checkSamePeers(Region known, Region reported) {
        if (known.getPeersCount() != reported.getPeersCount() || !peersNotIn(known, reported).isEmpty()) {
            throw new AssertionError("region " + regionId(reported) + " reports peers " + peers(reported)
                    + " but the scheduler knows " + peers(known) + " at the same conf version");
        }
    }

    private RegionAndLeader withLeader(Region region) {
        return new RegionAndLeader(region, leaderOf(region.getId()));
    }

    /** The known region whose range holds {@code key}. */
    private Optional<Region> findRegion(ByteString key) {
        return known.searchRegion(key).map(RegionInfo::meta);
    }

    private Optional<Peer> leaderOf(long regionId) {
        return Optional.ofNullable(leaders.get(regionId));
    }

    private void checkBootstrapped() {
        if (!bootstrapped) {
            throw new SchedulerException("cluster " + clusterId + " is not bootstrapped");
        }
    }

    private ResponseHeader header() {
        return ResponseHeader.newBuilder().setClusterId(clusterId).build();
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    /** Peers of {@code left} on stores where {@code right} has none. */
    private static List<Peer> peersNotIn(Region left, Region right) {
        return left.getPeersList().stream().filter(peer -> RegionChecks.findPeer(right, peer.getStoreId()).isEmpty()).toList();
    }

    /** {@code [peer 1 on store 1, peer 7 on store 3]}: a region's peers on one line. */
    private static String peers(Region region) {
        return region.getPeersList().stream().map(peer -> "peer " + peer.getId() + " on store " + peer.getStoreId())
                .toList().toString();
    }

    private static String regionId(Region region) {
        return Long.toString(region.getId());
    }

    /** An order for one region, answered on its heartbeats until {@link #isFinished}. */
    private sealed interface Operator {

        boolean isFinished(Region region, Peer leader, Map<Long, Peer> pendingPeers);

        void addTo(RegionHeartbeatResponse.Builder response);

        /** Done once the peer is in the region and no longer pending (it has caught up). */
        final class AddPeer implements Operator {
            private final Peer peer;
            private boolean added;

            AddPeer(Peer peer) {
                this.peer = peer;
            }

            @Override
            public boolean isFinished(Region region, Peer leader, Map<Long, Peer> pendingPeers) {
                if (!added) {
                    added = region.getPeersList().stream().anyMatch(p -> p.getId() == peer.getId());
                    return false;
                }
                return !pendingPeers.containsKey(peer.getId());
            }

            @Override
            public void addTo(RegionHeartbeatResponse.Builder response) {
                if (!added) {
                    response.setChangePeer(ChangePeer.newBuilder().setChangeType(ConfChangeType.AddNode).setPeer(peer));
                }
            }
        }

        /** Done once the peer is no longer in the region. */
        record RemovePeer(Peer peer) implements Operator {
            @Override
            public boolean isFinished(Region region, Peer leader, Map<Long, Peer> pendingPeers) {
                return region.getPeersList().stream().noneMatch(p -> p.getId() == peer.getId());
            }

            @Override
            public void addTo(RegionHeartbeatResponse.Builder response) {
                response.setChangePeer(ChangePeer.newBuilder().setChangeType(ConfChangeType.RemoveNode).setPeer(peer));
            }
        }

        /** Done once the peer reports as the region's leader. */
        record TransferLeaderTo(Peer peer) implements Operator {
            @Override
            public boolean isFinished(Region region, Peer leader, Map<Long, Peer> pendingPeers) {
                return leader.getId() == peer.getId();
            }

            @Override
            public void addTo(RegionHeartbeatResponse.Builder response) {
                response.setTransferLeader(TransferLeader.newBuilder().setPeer(peer));
            }
        }
    }
}
