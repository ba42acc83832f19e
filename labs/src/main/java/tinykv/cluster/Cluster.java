package tinykv.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import tinykv.kv.engine.ColumnFamilies;
import tinykv.kv.engine.Engines;
import tinykv.kv.raftstore.PeerStatus;
import tinykv.kv.raftstore.RaftStore;
import tinykv.kv.raftstore.StoreConfig;
import tinykv.kv.raftstore.snap.SnapManager;
import tinykv.kv.raftstore.snap.SnapshotTraffic;
import tinykv.proto.metapb.Peer;
import tinykv.proto.metapb.Region;
import tinykv.proto.raft_cmdpb.RaftCmdRequest;
import tinykv.proto.raft_cmdpb.Request;
import tinykv.proto.raft_serverpb.RaftMessage;
import tinykv.runtime.Log;
import tinykv.scheduler.schedule.ScheduleConfig;
import tinykv.sim.Filter;
import tinykv.sim.Simulator;

/**
 * A cluster of stores on the simulator, for tests (TinyKV's {@code test_raftstore.Cluster}): the one object a
 * test holds. It hands each call to the part that does the job: the store processes
 * ({@link StoreProcesses}: bootstrap, stop, restart), the network and its filters ({@link ClusterNetwork}),
 * requests through the region leaders ({@link ClusterRequests}) and checks on a store's engines
 * ({@link EngineChecks}).
 *
 * <p>Every method that waits runs the simulator until its answer is there or a virtual deadline passes;
 * TinyKV's sleeps and timeouts keep their lengths, in virtual time. A client of its own
 * ({@link #newClient}) never waits: several clients share the one simulator thread, each issuing its next
 * operation when the last one completes.
 *
 * <p>Close it (try-with-resources): it stops every store and deletes every engine, even after a failure.
 */
public final class Cluster implements AutoCloseable {
    private static final long CLUSTER_ID = 0;

    private final int count;
    private final StoreConfig config;
    private final Simulator sim;
    private final TestScheduler scheduler;
    private final ClusterNetwork network;
    private final StoreProcesses stores;
    private final ClusterRequests requests;
    private final EngineChecks checks;
    private final CallbackLedger ledger;
    /** The clients' history and what the stores did, for the linearizability check and the timeline. */
    private final ClusterRecording recording;
    private final CommandDelivery delivery = new CommandDelivery();
    /** The harness's own log lines (LOG_LEVEL=...), stamped with virtual time like the raftstore's. */
    private final Log log;

    /** A cluster on the mock scheduler, which carries out the test's orders (labs 2B to 3B). */
    public Cluster(int count, StoreConfig config, Simulator sim) {
        this(count, config, sim, new MockSchedulerClient(CLUSTER_ID, firstId(count),
                (what, task) -> sim.schedule(0, "scheduler", what, task)));
    }

    private Cluster(int count, StoreConfig config, Simulator sim, TestScheduler scheduler) {
        this.count = count;
        this.config = config;
        this.sim = sim;
        this.scheduler = scheduler;
        this.log = Log.of(sim.newLoop("cluster"), "");
        this.recording = new ClusterRecording(sim);
        this.network = new ClusterNetwork(sim, log, recording.timeline());
        this.stores = new StoreProcesses(count, config, sim, scheduler, network, log);
        this.ledger = new CallbackLedger(sim, stores);
        this.requests = new ClusterRequests(sim, scheduler, newCommandClient("client"));
        this.checks = new EngineChecks(sim, stores, requests);
        StoreWatch watch = new StoreWatch(stores::storeIds, stores::running);
        new RegionInvariants().watch(watch);
        recording.watch(watch);
        watch.install(sim, "multi-raft invariants");
        RestartChecks restartChecks = new RestartChecks(ledger, this::knownRegionIds);
        stores.onSend(restartChecks::sent);
        stores.checkOnRestart(restartChecks::check);
    }

    /**
     * A cluster on the real scheduler ({@link SchedulerNode}, lab 3C), a node of the network that balances the
     * regions by itself: tests watch it and take no orders to it.
     */
    public static Cluster withScheduler(int count, StoreConfig config, ScheduleConfig scheduleConfig, Simulator sim) {
        return new Cluster(count, config, sim, new SchedulerNode(sim, CLUSTER_ID, firstId(count), scheduleConfig));
    }

    /** The first id the scheduler hands out: after the store ids, which the first region's peers take. */
    private static long firstId(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("a cluster needs at least one store, was " + count);
        }
        return count + 1;
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
        start(count);
    }

    /** Bootstraps every store, the first region with a peer on stores 1 to {@code firstRegionStores}, and starts them. */
    public void start(int firstRegionStores) {
        stores.start(CLUSTER_ID, firstRegionStores);
    }

    /**
     * Stops every store and deletes every engine, then checks the clients' history for linearizability (it
     * fails if the history is not, or if the check cannot decide); safe to call after a failure, and more than
     * once.
     */
    public void shutdown() {
        try {
            stores.shutdown();
        } catch (RuntimeException | Error e) {
            try {
                recording.finish();
            } catch (AssertionError historyFailure) {
                e.addSuppressed(historyFailure);
            }
            throw e;
        }
        recording.finish();
    }

    @Override
    public void close() {
        shutdown();
    }

    /** Crashes a store: its raftstore stops, its pending events are dropped, its engines are closed. */
    public void stopServer(long storeId) {
        stores.stopServer(storeId);
    }

    /** Restarts a stopped store from what its engines kept: a fresh loop, a fresh raftstore. */
    public void startServer(long storeId) {
        stores.startServer(storeId);
    }

    // ---- what tests and clients reach -----------------------------------------------------------------------

    public Simulator simulator() {
        return sim;
    }

    /** The mock scheduler, which takes the test's orders; a cluster on the real scheduler has none. */
    public MockSchedulerClient scheduler() {
        if (scheduler instanceof MockSchedulerClient mock) {
            return mock;
        }
        throw new IllegalStateException("this cluster runs the real scheduler (lab 3C): use schedulerNode()");
    }

    /** The real scheduler of a cluster made by {@link #withScheduler}. */
    public SchedulerNode schedulerNode() {
        if (scheduler instanceof SchedulerNode node) {
            return node;
        }
        throw new IllegalStateException("this cluster runs the mock scheduler: use scheduler()");
    }

    public StoreConfig config() {
        return config;
    }

    public int count() {
        return count;
    }

    /** The ids of all stores, running or not, in order. */
    public List<Long> storeIds() {
        return stores.storeIds();
    }

    /** Whether the store runs now (it was not stopped, or was started again). */
    public boolean isRunning(long storeId) {
        return stores.running(storeId).isPresent();
    }

    /** What a running store's snapshots have been through: generated, sent, received, applied, abandoned. */
    public SnapManager.Stats snapshotStats(long storeId) {
        return stores.snapshotStats(storeId);
    }

    /** The engines of a running store (for the engine checks). */
    public Engines engines(long storeId) {
        return stores.engines(storeId);
    }

    /** The harness's log (LOG_LEVEL=...), for the workloads' own lines. */
    Log log() {
        return log;
    }

    /** A client of its own (its own random stream, its own name in traces), for concurrent workloads. */
    public ClusterClient newClient(String name) {
        return new ClusterClient(newCommandClient(name));
    }

    private CommandClient newCommandClient(String name) {
        return new CommandClient(sim, stores, scheduler, ledger, log, name, recording.clients(), delivery);
    }

    private Set<Long> knownRegionIds() {
        return scheduler.regions().stream().map(Region::getId).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The commands handed to stores until answered (for the checks' kit tests). */
    CallbackLedger ledger() {
        return ledger;
    }

    /** The store processes, for the crash schedules of the workloads. */
    StoreProcesses processes() {
        return stores;
    }

    // ---- checks at quiet points, and for runs without faults -------------------------------------------------

    /**
     * At a quiet point (the clients idle, nothing in flight that a client waits for): every command a running
     * store took has been answered, and no store has an engine snapshot, iterator or region reader open.
     */
    public void checkQuiet() {
        ledger.checkAllAnswered();
        checks.checkNoOpenResources();
    }

    /** From now on, for a run with no fault injected: no region's term moves after its first leader. */
    public void checkNoTermChurn() {
        stores.onSend(new TermStability(sim)::sent);
    }

    /** Kit tests only: replaces how commands reach a store's raftstore, to build a broken store in test code. */
    void replaceCommandDelivery(CommandDelivery.Handler handler) {
        delivery.replace(handler);
    }

    // ---- network -----------------------------------------------------------------------------------------

    /**
     * Adds a filter to the network. It sees raft messages, and also snapshot chunks and acknowledgements as
     * the {@code MsgSnapshot} they carry, so a partition or a drop rate cuts snapshot transfers too.
     */
    public void addFilter(Filter<RaftMessage> filter) {
        network.addFilter(filter);
        recording.timeline().filterAdded(filter.toString());
    }

    /** Adds a filter to the snapshot channel alone; it sees each chunk and acknowledgement. */
    public void addSnapshotFilter(Filter<SnapshotTraffic> filter) {
        network.addSnapshotFilter(filter);
        recording.timeline().filterAdded("snapshots: " + filter);
    }

    /** Removes every filter of the network and of the snapshot channel. */
    public void clearFilters() {
        network.clearFilters();
        recording.timeline().filtersCleared();
    }

    public List<Filter<RaftMessage>> filters() {
        return network.filters();
    }

    // ---- requests (they run the simulator until answered) ---------------------------------------------------

    /** Sends requests to the region holding {@code key}, retrying until they succeed (TinyKV's Request). */
    public CommandResult request(byte[] key, List<Request> requests, Duration timeout) {
        return this.requests.request(key, requests, timeout);
    }

    /** Sends a command to the store its header names; empty if no answer within {@code timeout}. */
    public Optional<CommandResult> callCommand(RaftCmdRequest request, Duration timeout) {
        return requests.callCommand(request, timeout);
    }

    /** Sends a command to its region's leader, following hints; empty if not answered within {@code timeout}. */
    public Optional<CommandResult> callCommandOnLeader(RaftCmdRequest request, Duration timeout) {
        return requests.callCommandOnLeader(request, timeout);
    }

    /** The region's leader as the scheduler knows it, waiting up to 5 virtual seconds for one to report. */
    public Optional<Peer> leaderOfRegion(long regionId) {
        return requests.leaderOfRegion(regionId);
    }

    /** The region holding {@code key}, waiting up to 2 virtual seconds for the scheduler to know it. */
    public Region getRegion(byte[] key) {
        return requests.getRegion(key);
    }

    public void mustPut(byte[] key, byte[] value) {
        mustPutCF(ColumnFamilies.DEFAULT, key, value);
    }

    public void mustPutCF(String cf, byte[] key, byte[] value) {
        requests.mustPutCF(cf, key, value);
    }

    /** The value of {@code key} in the default CF, read through raft; empty bytes if absent. */
    public byte[] get(byte[] key) {
        return getCF(ColumnFamilies.DEFAULT, key);
    }

    public byte[] getCF(String cf, byte[] key) {
        return requests.getCF(cf, key);
    }

    /** Reads {@code key} through raft and fails unless it holds {@code value}. */
    public void mustGet(byte[] key, byte[] value) {
        requests.mustGet(key, value);
    }

    public void mustDelete(byte[] key) {
        mustDeleteCF(ColumnFamilies.DEFAULT, key);
    }

    public void mustDeleteCF(String cf, byte[] key) {
        requests.mustDeleteCF(cf, key);
    }

    /** The default-CF values in [start, end) in key order, read region by region through Snap commands. */
    public List<byte[]> scan(byte[] start, byte[] end) {
        return requests.scan(start, end);
    }

    // ---- membership and leadership (later labs) --------------------------------------------------------------

    /** A new peer on {@code storeId}, with an id from the scheduler. */
    public Peer allocPeer(long storeId) {
        return requests.allocPeer(storeId);
    }

    /** Asks the leader to hand over to {@code leader} until it has (5 virtual seconds at most). */
    public void mustTransferLeader(long regionId, Peer leader) {
        requests.mustTransferLeader(regionId, leader);
    }

    /** Orders the scheduler to add {@code peer} and waits until the region has it. */
    public void mustAddPeer(long regionId, Peer peer) {
        requests.mustAddPeer(regionId, peer);
    }

    /** Orders the scheduler to remove {@code peer} and waits until the region no longer has it. */
    public void mustRemovePeer(long regionId, Peer peer) {
        requests.mustRemovePeer(regionId, peer);
    }

    /** Waits (5 virtual seconds at most) until the scheduler knows {@code peer} in the region. */
    public void mustHavePeer(long regionId, Peer peer) {
        requests.mustHavePeer(regionId, peer);
    }

    /** Waits (5 virtual seconds at most) until the scheduler knows the region without {@code peer}. */
    /** Whether the scheduler knows {@code peer} as the region's peer on its store (no waiting). */
    public boolean hasPeer(long regionId, Peer peer) {
        return requests.hasPeer(regionId, peer);
    }

    /** Whether the scheduler knows the region, and not with {@code peer} on its store (no waiting). */
    public boolean hasNoPeer(long regionId, Peer peer) {
        return requests.hasNoPeer(regionId, peer);
    }

    /** The peers of a running store as they are now, in region id order. */
    public List<PeerStatus> peerStatuses(long storeId) {
        return stores.running(storeId).map(RaftStore::peerStatuses).orElseThrow(
                () -> new IllegalStateException("store " + storeId + " is not running"));
    }

    /**
     * Waits (as the engine checks do) until the running store holds a peer of exactly the regions the scheduler
     * has with a peer on it, with the same ranges and epochs.
     */
    public void mustHoldRegionsOfScheduler(long storeId) {
        checks.mustHoldRegionsOfScheduler(storeId, scheduler);
    }

    public void mustNonePeer(long regionId, Peer peer) {
        requests.mustNonePeer(regionId, peer);
    }

    // ---- checks on one store's engines (bounded virtual-time retries, like TinyKV's 300 x 20 ms) -----------------

    public void mustGetEqual(long storeId, byte[] key, byte[] value) {
        mustGetCfEqual(storeId, ColumnFamilies.DEFAULT, key, value);
    }

    public void mustGetCfEqual(long storeId, String cf, byte[] key, byte[] value) {
        checks.mustGetCfEqual(storeId, cf, key, value);
    }

    public void mustGetNone(long storeId, byte[] key) {
        mustGetCfNone(storeId, ColumnFamilies.DEFAULT, key);
    }

    public void mustGetCfNone(long storeId, String cf, byte[] key) {
        checks.mustGetCfNone(storeId, cf, key);
    }

    /**
     * Lab 2C: no running store keeps more than {@code 2 * limit} applied entries of any region in its raft log
     * (TinyKV's "logs were not trimmed" check), regions walked in key order as the scheduler knows them.
     */
    public void checkRaftLogsTrimmed(long limit) {
        checks.checkRaftLogsTrimmed(limit);
    }

    /**
     * Lab 2C: the store's raft engine holds no log entry of the region at or below its truncated index: the
     * entries a {@code CompactLog} cut off were handed to the raft-log GC, which deleted them.
     */
    public void checkCompactedEntriesDeleted(long storeId, long regionId) {
        checks.checkCompactedEntriesDeleted(storeId, regionId);
    }
}
