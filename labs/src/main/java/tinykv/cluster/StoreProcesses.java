package tinykv.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import tinykv.kv.engine.Engines;
import tinykv.kv.raftstore.Bootstrap;
import tinykv.kv.raftstore.RaftStore;
import tinykv.kv.raftstore.StoreConfig;
import tinykv.kv.raftstore.snap.SnapManager;
import tinykv.proto.metapb.Region;
import tinykv.proto.metapb.RegionEpoch;
import tinykv.proto.metapb.Store;
import tinykv.proto.raft_serverpb.RaftMessage;
import tinykv.runtime.Log;
import tinykv.sim.Simulator;
import tinykv.sim.StoreLoop;

/**
 * The stores of a test cluster as processes: bootstrap, then each store's life cycle (start, crash, restart)
 * with its engines, its loop on the simulator and its raftstore, and the count of its incarnations.
 */
final class StoreProcesses {
    private final int count;
    private final StoreConfig config;
    private final Simulator sim;
    private final TestScheduler scheduler;
    private final ClusterNetwork network;
    private final Log log;
    private final Map<Long, StoreNode> stores = new TreeMap<>();
    /** The ids of {@link #stores}, made once they exist: checks read it after every simulator event. */
    private List<Long> storeIds = List.of();
    /** Told of every raft message a store sends (the checks that watch votes). */
    private final List<BiConsumer<Long, RaftMessage>> sendListeners = new ArrayList<>();
    /** Run on a stopped store's engines as it restarts, before its raftstore reads them. */
    private final List<BiConsumer<Long, Engines>> restartChecks = new ArrayList<>();
    private final List<LongConsumer> crashListeners = new ArrayList<>();

    /** One store: where its data lives, and while it runs, its loop and raftstore. */
    private final class StoreNode {
        final long storeId;
        final CrashPoints crashPoints;
        final StoreStorage storage;
        Engines engines;
        StoreLoop loop;
        RaftStore raftStore;
        int incarnation;

        StoreNode(long storeId) {
            this.storeId = storeId;
            this.crashPoints = new CrashPoints(storeId, sim, where -> crashHere(this, where));
            this.storage = StoreStorage.create(storeId, crashPoints);
        }

        boolean isRunning() {
            return raftStore != null;
        }
    }

    StoreProcesses(int count, StoreConfig config, Simulator sim, TestScheduler scheduler,
            ClusterNetwork network, Log log) {
        this.count = count;
        this.config = config;
        this.sim = sim;
        this.scheduler = scheduler;
        this.network = network;
        this.log = log;
    }

    // ---- life cycle ----------------------------------------------------------------------------------------

    /**
     * Bootstraps every store, the first region with peer i on store i for the first {@code firstRegionStores}
     * stores, and starts them (TinyKV's Start gives the first region a peer on every store).
     */
    void start(long clusterId, int firstRegionStores) {
        if (firstRegionStores < 1 || firstRegionStores > count) {
            throw new IllegalArgumentException("the first region needs a peer on 1 to " + count + " stores, not "
                    + firstRegionStores);
        }
        Region.Builder firstRegion = Region.newBuilder().setId(1).setRegionEpoch(RegionEpoch.newBuilder()
                .setVersion(Bootstrap.INIT_EPOCH_VERSION).setConfVer(Bootstrap.INIT_EPOCH_CONF_VERSION));
        for (long storeId = 1; storeId <= count; storeId++) {
            StoreNode node = new StoreNode(storeId);
            stores.put(storeId, node);
            node.engines = node.storage.open();
            Bootstrap.bootstrapStore(node.engines, clusterId, storeId);
            if (storeId <= firstRegionStores) {
                firstRegion.addPeers(Requests.newPeer(storeId, storeId));
            }
        }
        storeIds = List.copyOf(stores.keySet());
        Region region = firstRegion.build();
        for (StoreNode node : stores.values()) {
            if (node.storeId <= firstRegionStores) {
                Bootstrap.prepareBootstrapCluster(node.engines, region);
            }
        }
        scheduler.bootstrap(storeMeta(1), region);
        for (StoreNode node : stores.values()) {
            scheduler.putStore(storeMeta(node.storeId));
            if (node.storeId <= firstRegionStores) {
                Bootstrap.clearPrepareBootstrapState(node.engines);
            }
        }
        for (StoreNode node : stores.values()) {
            startRaftStore(node);
        }
    }

    /** Stops every store and deletes every engine; safe to call after a failure, and more than once. */
    void shutdown() {
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

    /** Crashes a store: its raftstore stops, its pending events are dropped, its engines are closed. */
    void stopServer(long storeId) {
        StoreNode node = node(storeId);
        if (!node.isRunning()) {
            throw new IllegalStateException("store " + storeId + " is not running");
        }
        log.warn("stop store %d", storeId);
        stop(node);
    }

    /** Restarts a stopped store from what its engines kept: a fresh loop, a fresh raftstore. */
    void startServer(long storeId) {
        StoreNode node = node(storeId);
        if (node.isRunning()) {
            throw new IllegalStateException("store " + storeId + " is already running");
        }
        log.warn("start store %d", storeId);
        node.crashPoints.restarted();
        node.engines = node.storage.open();
        for (BiConsumer<Long, Engines> check : restartChecks) {
            check.accept(storeId, node.engines);
        }
        startRaftStore(node);
    }

    // ---- crashes inside a handling ---------------------------------------------------------------------------

    /** Store {@code storeId} will crash in the middle of a handling, as {@code plan} says. */
    void armCrash(long storeId, CrashPlan plan) {
        StoreNode node = node(storeId);
        if (!node.isRunning()) {
            throw new IllegalStateException("store " + storeId + " is not running: it cannot crash");
        }
        log.info("store %d will crash %s", storeId, plan);
        node.crashPoints.arm(plan);
    }

    /** Whether the store has a crash armed that has not come yet. */
    boolean isCrashArmed(long storeId) {
        return node(storeId).crashPoints.isArmed();
    }

    /** Every crash armed and not yet come is called off. */
    void disarmCrashes() {
        stores.values().forEach(node -> node.crashPoints.disarm());
    }

    /** Runs {@code listener} with the store's id each time a store stops at a crash point. */
    void onCrash(LongConsumer listener) {
        crashListeners.add(listener);
    }

    /** Runs {@code listener} on every raft message a store sends, once it has left. */
    void onSend(BiConsumer<Long, RaftMessage> listener) {
        sendListeners.add(listener);
    }

    /** Runs {@code check} on a store's engines each time it restarts, before its raftstore reads them. */
    void checkOnRestart(BiConsumer<Long, Engines> check) {
        restartChecks.add(check);
    }

    /**
     * A crash point came: the loop halts now (what the store still sends is lost, its timers and mail are
     * dropped); its raftstore stops and its engines close once its code is off the stack. Printed, and noted in
     * the trace, so that a failure report says where each store stopped.
     */
    private void crashHere(StoreNode node, String where) {
        String line = String.format(Locale.ROOT, "store %d crashed at %.3fs %s", node.storeId, sim.now() / 1000.0,
                where);
        System.out.println("[crash] " + line + " (seed " + sim.seed() + ")");
        sim.note("store " + node.storeId, "crash " + where);
        log.warn("%s", line);
        node.loop.halt();
        sim.afterThisEvent(() -> {
            if (node.isRunning()) {
                stop(node);
            }
            crashListeners.forEach(listener -> listener.accept(node.storeId));
        });
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

    private void startRaftStore(StoreNode node) {
        node.incarnation++;
        node.loop = sim.restartStore(node.storeId);
        RaftStore raftStore = new RaftStore(config, node.engines, node.loop,
                network.transportFrom(node.storeId, this::running, new ClusterNetwork.SendObserver() {
                    @Override
                    public void sent(RaftMessage message) {
                        sendListeners.forEach(listener -> listener.accept(node.storeId, message));
                        node.crashPoints.afterSend(message);
                    }

                    @Override
                    public void sentSnapshotTraffic(Supplier<String> what) {
                        node.crashPoints.afterSnapshotTraffic(what);
                    }
                }), scheduler.clientOfStore(node.storeId));
        node.raftStore = raftStore;
        raftStore.start();
    }

    /** A store as the scheduler registers it; the real scheduler wants each store at an address of its own. */
    private static Store storeMeta(long storeId) {
        return Store.newBuilder().setId(storeId).setAddress("store-" + storeId).build();
    }

    private static void closeQuietly(StoreNode node) {
        if (node.engines != null) {
            Engines engines = node.engines;
            node.engines = null;
            engines.close();
        }
    }

    // ---- what the other parts of the cluster reach ------------------------------------------------------------

    /** The ids of all stores, running or not, in order. */
    List<Long> storeIds() {
        return storeIds;
    }

    /** The ids of the stores that run now, in order. */
    List<Long> runningStoreIds() {
        return stores.values().stream().filter(StoreNode::isRunning).map(node -> node.storeId).toList();
    }

    /** What a running store's snapshots have been through: generated, sent, received, applied, abandoned. */
    SnapManager.Stats snapshotStats(long storeId) {
        StoreNode node = node(storeId);
        if (!node.isRunning()) {
            throw new IllegalStateException("store " + storeId + " is stopped");
        }
        return node.raftStore.snapshotStats();
    }

    /** The engines of a running store (for the engine checks). */
    Engines engines(long storeId) {
        Engines engines = node(storeId).engines;
        if (engines == null) {
            throw new IllegalStateException("store " + storeId + " is stopped: its engines are closed");
        }
        return engines;
    }

    /** How many times the store has been started: a command answered by an earlier incarnation is lost. */
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

    /** The raftstore of a store that runs now; empty for a stopped store or one not in the cluster. */
    Optional<RaftStore> running(long storeId) {
        StoreNode node = stores.get(storeId);
        return node != null && node.isRunning() ? Optional.of(node.raftStore) : Optional.empty();
    }

    private StoreNode node(long storeId) {
        StoreNode node = stores.get(storeId);
        if (node == null) {
            throw new IllegalArgumentException("no store " + storeId + " in this cluster of " + count);
        }
        return node;
    }
}
