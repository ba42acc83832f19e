package tinykv.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import tinykv.kv.engine.CfIterator;
import tinykv.kv.engine.ColumnFamilies;
import tinykv.kv.engine.Engines;
import tinykv.kv.raftstore.Bootstrap;
import tinykv.kv.raftstore.RaftStore;
import tinykv.kv.raftstore.StoreConfig;
import tinykv.kv.raftstore.Transport;
import tinykv.kv.raftstore.meta.Keys;
import tinykv.kv.raftstore.meta.MetaStates;
import tinykv.kv.raftstore.snap.SnapManager;
import tinykv.kv.raftstore.snap.SnapshotTraffic;
import tinykv.kv.raftstore.RegionChecks;
import tinykv.kv.raftstore.scheduler.RegionAndLeader;
import tinykv.proto.metapb.Peer;
import tinykv.proto.metapb.Region;
import tinykv.proto.metapb.RegionEpoch;
import tinykv.proto.metapb.Store;
import tinykv.proto.raft_cmdpb.RaftCmdRequest;
import tinykv.proto.raft_cmdpb.Request;
import tinykv.proto.raft_serverpb.RaftApplyState;
import tinykv.proto.raft_serverpb.RaftMessage;
import tinykv.runtime.Log;
import tinykv.sim.Envelope;
import tinykv.sim.Filter;
import tinykv.sim.SimNetwork;
import tinykv.sim.Simulator;
import tinykv.sim.StoreLoop;

/**
 * A cluster of stores on the simulator, for tests (TinyKV's {@code test_raftstore.Cluster}): bootstrap,
 * requests through the region leaders, scans, network filters, store stops and starts, and checks on a
 * store's engines.
 *
 * <p>Every method that waits runs the simulator until its answer is there or a virtual deadline passes;
 * TinyKV's sleeps and timeouts keep their lengths, in virtual time. The {@code ...Async} forms never wait:
 * they let several clients share the one simulator thread, each issuing its next operation when the last
 * one completes.
 *
 * <p>Close it (try-with-resources): it stops every store and deletes every engine, even after a failure.
 */
public final class Cluster implements AutoCloseable {
    /** How long a synchronous call may run the simulator; the request inside gives up earlier on its own. */
    private static final Duration CALL_BUDGET = Duration.ofSeconds(600);
    /** TinyKV's engine checks: 300 looks, 20 ms apart. */
    private static final int ENGINE_CHECKS = 300;
    private static final long ENGINE_CHECK_MS = 20;
    private static final long CLUSTER_ID = 0;

    private final int count;
    private final StoreConfig config;
    private final Simulator sim;
    private final MockSchedulerClient scheduler;
    private final SimNetwork<RaftMessage> network;
    /** Snapshot chunks and acknowledgements: a channel of their own, under the same filters as raft messages. */
    private final SimNetwork<SnapshotTraffic> snapshotNetwork;
    private final Map<Long, StoreNode> stores = new TreeMap<>();
    private final CommandClient client;
    /** The harness's own log lines (LOG_LEVEL=...), stamped with virtual time like the raftstore's. */
    private final Log log;

    /** One store: where its data lives, and while it runs, its loop and raftstore. */
    private static final class StoreNode {
        final long storeId;
        final StoreStorage storage;
        Engines engines;
        StoreLoop loop;
        RaftStore raftStore;
        int incarnation;

        StoreNode(long storeId, StoreStorage storage) {
            this.storeId = storeId;
            this.storage = storage;
        }

        boolean isRunning() {
            return raftStore != null;
        }
    }

    public Cluster(int count, StoreConfig config, Simulator sim) {
        if (count < 1) {
            throw new IllegalArgumentException("a cluster needs at least one store, was " + count);
        }
        this.count = count;
        this.config = config;
        this.sim = sim;
        this.scheduler = new MockSchedulerClient(CLUSTER_ID, count + 1,
                (what, task) -> sim.schedule(0, "scheduler", what, task));
        this.network = new SimNetwork<>(sim, Cluster::describe);
        this.snapshotNetwork = new SimNetwork<>(sim, "snapshot network", Cluster::describeTraffic,
                SimNetwork.DEFAULT_MIN_LATENCY_MS, SimNetwork.DEFAULT_MAX_LATENCY_MS);
        this.client = new CommandClient(this, "client");
        this.log = Log.of(sim.newLoop("cluster"), "");
    }

    /** A cluster of {@code count} stores with TinyKV's test configuration, on a simulator for this run's seed. */
    public static Cluster create(int count) {
        return create(count, Simulator.forCurrentSeed());
    }

    /** A cluster of {@code count} stores with TinyKV's test configuration on {@code sim}. */
    public static Cluster create(int count, Simulator sim) {
        return new Cluster(count, StoreConfig.forTests(), sim);
    }

    // ---- life cycle ----------------------------------------------------------------------------------------

    /** Bootstraps every store with the first region (peer i on store i) and starts them (TinyKV's Start). */
    public void start() {
        Region.Builder firstRegion = Region.newBuilder().setId(1).setRegionEpoch(RegionEpoch.newBuilder()
                .setVersion(Bootstrap.INIT_EPOCH_VERSION).setConfVer(Bootstrap.INIT_EPOCH_CONF_VERSION));
        for (long storeId = 1; storeId <= count; storeId++) {
            StoreNode node = new StoreNode(storeId, StoreStorage.create(storeId));
            stores.put(storeId, node);
            node.engines = node.storage.open();
            Bootstrap.bootstrapStore(node.engines, CLUSTER_ID, storeId);
            firstRegion.addPeers(Requests.newPeer(storeId, storeId));
        }
        Region region = firstRegion.build();
        for (StoreNode node : stores.values()) {
            Bootstrap.prepareBootstrapCluster(node.engines, region);
        }
        scheduler.bootstrap(Store.newBuilder().setId(1).build(), region);
        for (StoreNode node : stores.values()) {
            scheduler.putStore(Store.newBuilder().setId(node.storeId).build());
            Bootstrap.clearPrepareBootstrapState(node.engines);
        }
        for (StoreNode node : stores.values()) {
            startRaftStore(node);
        }
    }

    /** Stops every store and deletes every engine; safe to call after a failure, and more than once. */
    public void shutdown() {
        RuntimeException first = null;
        for (StoreNode node : stores.values()) {
            try {
                if (node.isRunning()) {
                    stop(node);
                }
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            } finally {
                closeQuietly(node);
                node.storage.destroy();
            }
        }
        stores.clear();
        if (first != null) {
            throw first;
        }
    }

    @Override
    public void close() {
        shutdown();
    }

    /** Crashes a store: its raftstore stops, its pending events are dropped, its engines are closed. */
    public void stopServer(long storeId) {
        StoreNode node = node(storeId);
        if (!node.isRunning()) {
            throw new IllegalStateException("store " + storeId + " is not running");
        }
        log.warn("stop store %d", storeId);
        stop(node);
    }

    private void stop(StoreNode node) {
        RaftStore raftStore = node.raftStore;
        node.raftStore = null;
        node.loop.halt();
        try {
            raftStore.stop();
        } finally {
            closeQuietly(node);
        }
    }

    /** Restarts a stopped store from what its engines kept: a fresh loop, a fresh raftstore. */
    public void startServer(long storeId) {
        StoreNode node = node(storeId);
        if (node.isRunning()) {
            throw new IllegalStateException("store " + storeId + " is already running");
        }
        log.warn("start store %d", storeId);
        node.engines = node.storage.open();
        startRaftStore(node);
    }

    private void startRaftStore(StoreNode node) {
        node.incarnation++;
        node.loop = sim.restartStore(node.storeId);
        long storeId = node.storeId;
        RaftStore raftStore = new RaftStore(config, node.engines, node.loop, new Transport() {
            @Override
            public void send(RaftMessage message) {
                network.send(storeId, message.getToPeer().getStoreId(), message, Cluster.this::deliver);
            }

            @Override
            public void sendSnapshotTraffic(long toStore, SnapshotTraffic traffic) {
                snapshotNetwork.send(storeId, toStore, traffic, delivered -> deliverSnapshotTraffic(storeId, toStore,
                        delivered));
            }
        }, scheduler);
        node.raftStore = raftStore;
        raftStore.start();
    }

    private void deliver(RaftMessage message) {
        StoreNode node = stores.get(message.getToPeer().getStoreId());
        if (node != null && node.isRunning()) {
            node.raftStore.receive(message);
        }
    }

    private void deliverSnapshotTraffic(long fromStore, long toStore, SnapshotTraffic traffic) {
        StoreNode node = stores.get(toStore);
        if (node != null && node.isRunning()) {
            node.raftStore.receiveSnapshotTraffic(fromStore, traffic);
        }
    }

    private static void closeQuietly(StoreNode node) {
        if (node.engines != null) {
            Engines engines = node.engines;
            node.engines = null;
            engines.close();
        }
    }

    // ---- what tests and clients reach -----------------------------------------------------------------------

    public Simulator simulator() {
        return sim;
    }

    public MockSchedulerClient scheduler() {
        return scheduler;
    }

    public StoreConfig config() {
        return config;
    }

    public int count() {
        return count;
    }

    /** The ids of all stores, running or not, in order. */
    public List<Long> storeIds() {
        return new ArrayList<>(stores.keySet());
    }

    /** What a running store's snapshots have been through: generated, sent, received, applied, abandoned. */
    public SnapManager.Stats snapshotStats(long storeId) {
        StoreNode node = node(storeId);
        if (!node.isRunning()) {
            throw new IllegalStateException("store " + storeId + " is stopped");
        }
        return node.raftStore.snapshotStats();
    }

    /** The engines of a running store (for the engine checks). */
    public Engines engines(long storeId) {
        Engines engines = node(storeId).engines;
        if (engines == null) {
            throw new IllegalStateException("store " + storeId + " is stopped: its engines are closed");
        }
        return engines;
    }

    /** A client of its own (its own random stream, its own name in traces), for concurrent workloads. */
    public ClusterClient newClient(String name) {
        return new ClusterClient(new CommandClient(this, name));
    }

    /** How many times the store has been started: a command answered by an earlier incarnation is lost. */
    Log log() {
        return log;
    }

    int incarnation(long storeId) {
        return node(storeId).incarnation;
    }

    /** Runs {@code task} on the store's loop after {@code delayMs}, unless the store is down by then. */
    void runOnStore(long storeId, long delayMs, String what, Consumer<RaftStore> task) {
        StoreNode node = node(storeId);
        if (!node.isRunning()) {
            return; // a stopped store hears nothing; the caller's timeout answers
        }
        RaftStore target = node.raftStore;
        node.loop.schedule(delayMs, what, () -> task.accept(target));
    }

    private StoreNode node(long storeId) {
        StoreNode node = stores.get(storeId);
        if (node == null) {
            throw new IllegalArgumentException("no store " + storeId + " in this cluster of " + count);
        }
        return node;
    }

    // ---- network -----------------------------------------------------------------------------------------

    /**
     * Adds a filter to the network. It sees raft messages, and also snapshot chunks and acknowledgements as
     * the {@code MsgSnapshot} they carry, so a partition or a drop rate cuts snapshot transfers too.
     */
    public void addFilter(Filter<RaftMessage> filter) {
        log.info("network: add filter %s", filter);
        network.addFilter(filter);
        snapshotNetwork.addFilter((envelope, random) -> filter.before(
                new Envelope<>(envelope.fromStore(), envelope.toStore(), envelope.message().header()), random));
    }

    /** Adds a filter to the snapshot channel alone; it sees each chunk and acknowledgement. */
    public void addSnapshotFilter(Filter<SnapshotTraffic> filter) {
        log.info("snapshot channel: add filter %s", filter);
        snapshotNetwork.addFilter(filter);
    }

    /** Removes every filter of the network and of the snapshot channel. */
    public void clearFilters() {
        log.debug("network: clear filters");
        network.clearFilters();
        snapshotNetwork.clearFilters();
    }

    public List<Filter<RaftMessage>> filters() {
        return network.filters();
    }

    // ---- requests (they run the simulator until answered) ---------------------------------------------------

    private <T> T await(String what, Consumer<Consumer<T>> start) {
        CompletableFuture<T> result = new CompletableFuture<>();
        start.accept(result::complete);
        return sim.runUntilDone(what, result, CALL_BUDGET);
    }

    /** Sends requests to the region holding {@code key}, retrying until they succeed (TinyKV's Request). */
    public CommandResult request(byte[] key, List<Request> requests, Duration timeout) {
        return await("request " + requests.size() + " commands", done -> client.request(key, requests, timeout, done));
    }

    /** Sends a command to the store its header names; empty if no answer within {@code timeout}. */
    public Optional<CommandResult> callCommand(RaftCmdRequest request, Duration timeout) {
        return await("command on store " + request.getHeader().getPeer().getStoreId(),
                done -> client.callCommand(request, timeout, done));
    }

    /** Sends a command to its region's leader, following hints; empty if not answered within {@code timeout}. */
    public Optional<CommandResult> callCommandOnLeader(RaftCmdRequest request, Duration timeout) {
        return await("command on the leader of region " + request.getHeader().getRegionId(),
                done -> client.callCommandOnLeader(request, timeout, done));
    }

    /** The region's leader as the scheduler knows it, waiting up to 5 virtual seconds for one to report. */
    public Optional<Peer> leaderOfRegion(long regionId) {
        return await("leader of region " + regionId, done -> client.leaderOfRegion(regionId, done));
    }

    /** The region holding {@code key}, waiting up to 2 virtual seconds for the scheduler to know it. */
    public Region getRegion(byte[] key) {
        return await("region of a key", done -> client.getRegion(key, done));
    }

    public void mustPut(byte[] key, byte[] value) {
        mustPutCF(ColumnFamilies.DEFAULT, key, value);
    }

    public void mustPutCF(String cf, byte[] key, byte[] value) {
        this.<Void>await("put", done -> newClientView().putCF(cf, key, value, done));
    }

    /** The value of {@code key} in the default CF, read through raft; empty bytes if absent. */
    public byte[] get(byte[] key) {
        return getCF(ColumnFamilies.DEFAULT, key);
    }

    public byte[] getCF(String cf, byte[] key) {
        return await("get", done -> newClientView().getCF(cf, key, done));
    }

    public void mustGet(byte[] key, byte[] value) {
        byte[] actual = get(key);
        if (!Arrays.equals(actual, value)) {
            throw new AssertionError("expected value " + text(value) + " for key " + text(key) + ", got " + text(actual));
        }
    }

    public void mustDelete(byte[] key) {
        mustDeleteCF(ColumnFamilies.DEFAULT, key);
    }

    public void mustDeleteCF(String cf, byte[] key) {
        this.<Void>await("delete", done -> newClientView().deleteCF(cf, key, done));
    }

    /** The default-CF values in [start, end) in key order, read region by region through Snap commands. */
    public List<byte[]> scan(byte[] start, byte[] end) {
        return await("scan", done -> client.scan(start, end, done));
    }

    private ClusterClient newClientView() {
        return new ClusterClient(client);
    }

    // ---- membership and leadership (later labs) --------------------------------------------------------------

    public Peer allocPeer(long storeId) {
        return Requests.newPeer(storeId, scheduler.allocId());
    }

    /** Asks the leader to hand over to {@code leader} until it has (5 virtual seconds at most). */
    public void mustTransferLeader(long regionId, Peer leader) {
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

    public void mustAddPeer(long regionId, Peer peer) {
        scheduler.addPeer(regionId, peer);
        mustHavePeer(regionId, peer);
    }

    public void mustRemovePeer(long regionId, Peer peer) {
        scheduler.removePeer(regionId, peer);
        mustNonePeer(regionId, peer);
    }

    public void mustHavePeer(long regionId, Peer peer) {
        sim.mustRunUntil("region " + regionId + " has peer " + peer.getId() + " on store " + peer.getStoreId(),
                () -> peerOnStore(regionId, peer.getStoreId()).map(p -> p.getId() == peer.getId()).orElse(false),
                Duration.ofSeconds(5));
    }

    public void mustNonePeer(long regionId, Peer peer) {
        sim.mustRunUntil("region " + regionId + " has no peer " + peer.getId() + " on store " + peer.getStoreId(),
                () -> scheduler.getRegionById(regionId).isPresent()
                        && peerOnStore(regionId, peer.getStoreId()).map(p -> p.getId() != peer.getId()).orElse(true),
                Duration.ofSeconds(5));
    }

    private Optional<Peer> peerOnStore(long regionId, long storeId) {
        return scheduler.getRegionById(regionId)
                .flatMap(found -> RegionChecks.findPeer(found.region(), storeId));
    }

    // ---- checks on one store's engines (bounded virtual-time retries, like TinyKV's 300 x 20 ms) -----------------

    public void mustGetEqual(long storeId, byte[] key, byte[] value) {
        mustGetCfEqual(storeId, ColumnFamilies.DEFAULT, key, value);
    }

    public void mustGetCfEqual(long storeId, String cf, byte[] key, byte[] value) {
        mustHoldWithin("store " + storeId + " holds " + cf + " " + text(key) + " = " + text(value),
                () -> StoreStorage.readData(engines(storeId), cf, key).map(v -> Arrays.equals(v, value)).orElse(false),
                () -> "it holds " + StoreStorage.readData(engines(storeId), cf, key).map(Cluster::text).orElse("nothing"));
    }

    public void mustGetNone(long storeId, byte[] key) {
        mustGetCfNone(storeId, ColumnFamilies.DEFAULT, key);
    }

    public void mustGetCfNone(long storeId, String cf, byte[] key) {
        mustHoldWithin("store " + storeId + " holds no " + cf + " " + text(key),
                () -> StoreStorage.readData(engines(storeId), cf, key).isEmpty(),
                () -> "it holds " + StoreStorage.readData(engines(storeId), cf, key).map(Cluster::text).orElse("nothing"));
    }

    private void mustHoldWithin(String what, java.util.function.BooleanSupplier check,
            java.util.function.Supplier<String> actual) {
        for (int i = 0; i < ENGINE_CHECKS; i++) {
            if (check.getAsBoolean()) {
                return;
            }
            sim.runFor(Duration.ofMillis(ENGINE_CHECK_MS));
        }
        throw new AssertionError("expected " + what + " within " + ENGINE_CHECKS * ENGINE_CHECK_MS
                + " ms of virtual time, but " + actual.get() + " " + when());
    }

    /**
     * Lab 2C: no running store keeps more than {@code 2 * limit} applied entries of any region in its raft log
     * (TinyKV's "logs were not trimmed" check), regions walked in key order as the scheduler knows them.
     */
    public void checkRaftLogsTrimmed(long limit) {
        byte[] key = new byte[0];
        while (true) {
            Region region = getRegion(key);
            for (StoreNode node : stores.values()) {
                if (!node.isRunning()) {
                    continue;
                }
                Optional<RaftApplyState> state = MetaStates.applyState(node.engines.kv(), region.getId());
                if (state.isEmpty()) {
                    continue;
                }
                long applied = state.get().getAppliedIndex();
                long truncated = state.get().getTruncatedState().getIndex();
                if (applied - truncated > 2 * limit) {
                    throw new AssertionError("logs were not trimmed on store " + node.storeId + ", region "
                            + region.getId() + ": applied index " + applied + " - truncated index " + truncated
                            + " > 2 * " + limit + " " + when());
                }
            }
            key = region.getEndKey().toByteArray();
            if (key.length == 0) {
                return;
            }
        }
    }

    /**
     * Lab 2C: the store's raft engine holds no log entry of the region at or below its truncated index: the
     * entries a {@code CompactLog} cut off were handed to the raft-log GC, which deleted them.
     */
    public void checkCompactedEntriesDeleted(long storeId, long regionId) {
        Engines engines = engines(storeId);
        long truncated = MetaStates.applyState(engines.kv(), regionId)
                .orElseThrow(() -> new AssertionError("store " + storeId + " has no apply state for region " + regionId))
                .getTruncatedState().getIndex();
        try (CfIterator it = engines.raft().iterator(ColumnFamilies.DEFAULT)) {
            it.seek(Keys.raftLogKey(regionId, 0));
            if (it.valid() && Arrays.compareUnsigned(it.key(), Keys.raftLogKey(regionId, truncated + 1)) < 0) {
                throw new AssertionError("store " + storeId + " still holds raft log entry " + Keys.raftLogIndex(it.key())
                        + " of region " + regionId + ", at or below its truncated index " + truncated
                        + ": compacted entries must go to the raft-log GC " + when());
            }
        }
    }

    // ---- text ------------------------------------------------------------------------------------------------

    /** Bytes as text if they are printable ASCII (test keys are), else hex. */
    static String text(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0x20 || b > 0x7e) {
                return "0x" + CommandClient.hex(bytes);
            }
        }
        return "\"" + new String(bytes, StandardCharsets.US_ASCII) + "\"";
    }

    /** Where a check stands, for its failure message: {@code (virtual time 1.25s, seed 7)}. */
    private String when() {
        return "(virtual time " + sim.now() / 1000.0 + "s, seed " + sim.seed() + ")";
    }

    private static String describeTraffic(SnapshotTraffic traffic) {
        String what = traffic instanceof SnapshotTraffic.Chunk chunk
                ? "snapshot chunk " + chunk.seq() + "/" + chunk.chunkCount()
                : "snapshot ack " + ((SnapshotTraffic.Ack) traffic).seq();
        return what + route(traffic.header());
    }

    private static String describe(RaftMessage message) {
        return message.getMessage().getMsgType() + route(message);
    }

    /** {@code " region 1 2->3"}: the region and the peers a message goes between. */
    private static String route(RaftMessage message) {
        return " region " + message.getRegionId() + " " + message.getFromPeer().getId() + "->"
                + message.getToPeer().getId();
    }
}
