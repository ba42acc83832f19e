package tinykv.cluster;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import tinykv.kv.engine.ColumnFamilies;
import tinykv.kv.raftstore.RegionChecks;
import tinykv.proto.metapb.Peer;
import tinykv.proto.metapb.Region;
import tinykv.proto.raft_cmdpb.RaftCmdRequest;
import tinykv.proto.raft_cmdpb.Request;
import tinykv.scheduler.client.RegionAndLeader;
import tinykv.sim.Simulator;

/**
 * What a test asks the cluster and waits for (TinyKV's {@code Request}, {@code CallCommand...}, the
 * {@code Must...} reads and writes, {@code Scan}, and the membership and leadership helpers): each call runs
 * the simulator until its answer is there or a virtual deadline passes.
 */
final class ClusterRequests {
    /** How long a synchronous call may run the simulator; the request inside gives up earlier on its own. */
    private static final Duration CALL_BUDGET = Duration.ofSeconds(600);

    private final Simulator sim;
    private final TestScheduler scheduler;
    private final CommandClient client;

    ClusterRequests(Simulator sim, TestScheduler scheduler, CommandClient client) {
        this.sim = sim;
        this.scheduler = scheduler;
        this.client = client;
    }

    /** The mock scheduler, which takes a test's orders; the real one (lab 3C) makes its own decisions. */
    private MockSchedulerClient mock(String order) {
        if (scheduler instanceof MockSchedulerClient mock) {
            return mock;
        }
        throw new IllegalStateException("cannot order the scheduler to " + order + ": this cluster runs the real "
                + "scheduler (lab 3C), which decides its operators itself");
    }

    private <T> T await(String what, Consumer<Consumer<T>> start) {
        CompletableFuture<T> result = new CompletableFuture<>();
        start.accept(result::complete);
        return sim.runUntilDone(what, result, CALL_BUDGET);
    }

    // ---- commands ----------------------------------------------------------------------------------------

    CommandResult request(byte[] key, List<Request> requests, Duration timeout) {
        return await("request " + requests.size() + " commands", done -> client.request(key, requests, timeout, done));
    }

    Optional<CommandResult> callCommand(RaftCmdRequest request, Duration timeout) {
        return await("command on store " + request.getHeader().getPeer().getStoreId(),
                done -> client.callCommand(request, timeout, done));
    }

    Optional<CommandResult> callCommandOnLeader(RaftCmdRequest request, Duration timeout) {
        return await("command on the leader of region " + request.getHeader().getRegionId(),
                done -> client.callCommandOnLeader(request, timeout, done));
    }

    Optional<Peer> leaderOfRegion(long regionId) {
        return await("leader of region " + regionId, done -> client.leaderOfRegion(regionId, done));
    }

    Region getRegion(byte[] key) {
        return await("region of a key", done -> client.getRegion(key, done));
    }

    // ---- reads and writes ----------------------------------------------------------------------------------

    void mustPutCF(String cf, byte[] key, byte[] value) {
        this.<Void>await("put", done -> newClientView().putCF(cf, key, value, done));
    }

    byte[] getCF(String cf, byte[] key) {
        return await("get", done -> newClientView().getCF(cf, key, done));
    }

    void mustGet(byte[] key, byte[] value) {
        byte[] actual = getCF(ColumnFamilies.DEFAULT, key);
        if (!Arrays.equals(actual, value)) {
            throw new AssertionError("expected value " + KeyText.of(value) + " for key " + KeyText.of(key) + ", got "
                    + KeyText.of(actual));
        }
    }

    void mustDeleteCF(String cf, byte[] key) {
        this.<Void>await("delete", done -> newClientView().deleteCF(cf, key, done));
    }

    List<byte[]> scan(byte[] start, byte[] end) {
        return await("scan", done -> client.scan(start, end, done));
    }

    private ClusterClient newClientView() {
        return new ClusterClient(client);
    }

    // ---- membership and leadership (later labs) --------------------------------------------------------------

    Peer allocPeer(long storeId) {
        return Requests.newPeer(storeId, scheduler.allocId());
    }

    void mustTransferLeader(long regionId, Peer leader) {
        long deadline = sim.now() + 5_000;
        while (true) {
            Optional<Peer> current = leaderOfRegion(regionId);
            if (current.isPresent() && current.get().getId() == leader.getId()
                    && current.get().getStoreId() == leader.getStoreId()) {
                return;
            }
            if (sim.now() > deadline) {
                throw new AssertionError("failed to transfer the leader of region " + regionId + " to " + leader);
            }
            Region region = scheduler.getRegionById(regionId).map(RegionAndLeader::region).orElseThrow();
            RaftCmdRequest transfer = Requests.newAdminRequest(regionId, region.getRegionEpoch(),
                    Requests.transferLeader(leader));
            callCommandOnLeader(transfer, Duration.ofSeconds(5)).ifPresent(CommandResult::discard);
        }
    }

    void mustAddPeer(long regionId, Peer peer) {
        mock("add a peer").addPeer(regionId, peer);
        mustHavePeer(regionId, peer);
    }

    void mustRemovePeer(long regionId, Peer peer) {
        mock("remove a peer").removePeer(regionId, peer);
        mustNonePeer(regionId, peer);
    }

    void mustHavePeer(long regionId, Peer peer) {
        sim.mustRunUntil("region " + regionId + " has peer " + peer.getId() + " on store " + peer.getStoreId(),
                () -> hasPeer(regionId, peer), Duration.ofSeconds(5));
    }

    void mustNonePeer(long regionId, Peer peer) {
        sim.mustRunUntil("region " + regionId + " has no peer " + peer.getId() + " on store " + peer.getStoreId(),
                () -> hasNoPeer(regionId, peer), Duration.ofSeconds(5));
    }

    /** Whether the scheduler knows {@code peer} as the region's peer on its store. */
    boolean hasPeer(long regionId, Peer peer) {
        return peerOnStore(regionId, peer.getStoreId()).map(p -> p.getId() == peer.getId()).orElse(false);
    }

    /** Whether the scheduler knows the region, and not with {@code peer} on its store. */
    boolean hasNoPeer(long regionId, Peer peer) {
        return scheduler.getRegionById(regionId).isPresent()
                && peerOnStore(regionId, peer.getStoreId()).map(p -> p.getId() != peer.getId()).orElse(true);
    }

    private Optional<Peer> peerOnStore(long regionId, long storeId) {
        return scheduler.getRegionById(regionId)
                .flatMap(found -> RegionChecks.findPeer(found.region(), storeId));
    }
}
