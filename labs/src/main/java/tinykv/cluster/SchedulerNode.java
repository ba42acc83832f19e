package tinykv.cluster;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import tinykv.kv.storage.KeyRange;
import tinykv.proto.metapb.Region;
import tinykv.proto.metapb.Store;
import tinykv.proto.schedulerpb.AskSplitRequest;
import tinykv.proto.schedulerpb.AskSplitResponse;
import tinykv.proto.schedulerpb.RegionHeartbeatRequest;
import tinykv.proto.schedulerpb.RegionHeartbeatResponse;
import tinykv.proto.schedulerpb.StoreHeartbeatRequest;
import tinykv.proto.schedulerpb.StoreStats;
import tinykv.scheduler.client.RegionAndLeader;
import tinykv.scheduler.client.SchedulerClient;
import tinykv.scheduler.client.SchedulerException;
import tinykv.scheduler.core.RegionInfo;
import tinykv.scheduler.core.SchedulerError;
import tinykv.scheduler.core.StoreInfo;
import tinykv.scheduler.schedule.ScheduleConfig;
import tinykv.scheduler.server.IdAllocator;
import tinykv.scheduler.server.RaftCluster;
import tinykv.scheduler.server.SchedulerServer;
import tinykv.sim.Filter;
import tinykv.sim.SimNetwork;
import tinykv.sim.Simulator;

/**
 * The real scheduler ({@link SchedulerServer}: the kit's scheduler with the lab 3C code under test) as a
 * node of the simulated network, in place of the mock (lab 3C). The node is network address
 * {@link #NODE_ID} (its loop reads "store 0" in traces); its timers, the coordinator's among them, run on
 * that loop. Each store's raftstore gets a client ({@link #clientOfStore}) whose heartbeats and split
 * questions travel to the node, and whose answers travel back, over a channel of their own with the
 * network's latency, filters and losses: a message to or from a stopped store is lost, like any other.
 *
 * <p>The harness's own questions (where a key is, who leads a region) and the bootstrap reach the server at
 * once, as TinyKV's test cluster asks its scheduler client.
 */
public final class SchedulerNode implements TestScheduler {
    /** The scheduler's address on the network; the stores are 1 and up. */
    public static final long NODE_ID = 0;

    /** A message between a store and the scheduler node, as the channel's filters see it. */
    public sealed interface SchedulerRpc {
        /** Store to scheduler: a leader's report of its region. */
        record RegionHeartbeat(RegionHeartbeatRequest request) implements SchedulerRpc {}

        /** Store to scheduler: the store is alive, with its statistics. */
        record StoreHeartbeat(StoreHeartbeatRequest request) implements SchedulerRpc {}

        /** Store to scheduler: ids for a split, please. */
        record AskSplit(AskSplitRequest request) implements SchedulerRpc {}

        /** Scheduler to store: the answer to a region heartbeat (an operator step, or an error). */
        record HeartbeatAnswer(RegionHeartbeatResponse response) implements SchedulerRpc {}

        /** Scheduler to store: the ids for a split, or the error that refused it. */
        record SplitAnswer(AskSplitResponse response) implements SchedulerRpc {}
    }

    private final SchedulerServer server;
    private final SimNetwork<SchedulerRpc> network;
    /** Where each store's raftstore takes the answers to its region heartbeats, by store id. */
    private final Map<Long, Consumer<RegionHeartbeatResponse>> answerHandlers = new TreeMap<>();

    /**
     * @param firstId the first id the scheduler hands out: after the store ids, which the first region's
     *     peers take (TinyKV's test cluster does the same)
     */
    public SchedulerNode(Simulator sim, long clusterId, long firstId, ScheduleConfig config) {
        this.server = new SchedulerServer(clusterId, config, sim.store(NODE_ID), new IdAllocator(firstId));
        this.network = new SimNetwork<>(sim, "scheduler network", SchedulerNode::describe,
                SimNetwork.DEFAULT_MIN_LATENCY_MS, SimNetwork.DEFAULT_MAX_LATENCY_MS);
    }

    /** The scheduler's view of the cluster: its regions, stores and operators. */
    public RaftCluster cluster() {
        return server.cluster();
    }

    /** Stops the coordinator's schedulers and patrol; heartbeats are still answered. */
    public void stopScheduling() {
        server.stopScheduling();
    }

    public void startScheduling() {
        server.startScheduling();
    }

    /** Adds a filter to the channel between the stores and the scheduler (a partition cutting it off, say). */
    public void addFilter(Filter<SchedulerRpc> filter) {
        network.addFilter(filter);
    }

    public void clearFilters() {
        network.clearFilters();
    }

    public SimNetwork.Stats networkStats() {
        return network.stats();
    }

    // ---- TestScheduler: the harness's questions, answered at once --------------------------------------

    @Override
    public SchedulerClient clientOfStore(long storeId) {
        return new StoreClient(storeId);
    }

    @Override
    public long allocId() {
        return cluster().allocId();
    }

    @Override
    public void bootstrap(Store store, Region region) {
        refusedAsException(() -> {
            server.bootstrap(store, region);
            return null;
        });
    }

    @Override
    public void putStore(Store store) {
        refusedAsException(() -> {
            cluster().putStore(store);
            return null;
        });
    }

    @Override
    public Optional<RegionAndLeader> getRegion(byte[] key) {
        return cluster().getRegionInfoByKey(ByteString.copyFrom(key)).map(SchedulerNode::regionAndLeader);
    }

    @Override
    public Optional<RegionAndLeader> getRegionById(long regionId) {
        return cluster().getRegion(regionId).map(SchedulerNode::regionAndLeader);
    }

    @Override
    public List<Region> regions() {
        return cluster().core().scanRange(KeyRange.ALL, 0).stream().map(RegionInfo::meta).toList();
    }

    private static RegionAndLeader regionAndLeader(RegionInfo region) {
        return new RegionAndLeader(region.meta(), region.leader());
    }

    /** The client's contract: a refused call of those answered at once is a {@link SchedulerException}. */
    private static <T> T refusedAsException(Supplier<T> call) {
        try {
            return call.get();
        } catch (SchedulerError e) {
            throw new SchedulerException(e.getMessage());
        }
    }

    // ---- The stores' clients: over the network ---------------------------------------------------------

    /**
     * What one store's raftstore talks to. A restarted store gets a new client; an answer on its way to the
     * old one is lost with the old store's loop, as it would be with its connection.
     */
    private final class StoreClient implements SchedulerClient {
        private final long storeId;

        StoreClient(long storeId) {
            this.storeId = storeId;
        }

        @Override
        public long clusterId() {
            return cluster().clusterId();
        }

        @Override
        public long allocId() {
            return SchedulerNode.this.allocId();
        }

        @Override
        public void bootstrap(Store store, Region region) {
            SchedulerNode.this.bootstrap(store, region);
        }

        @Override
        public boolean isBootstrapped() {
            return cluster().isBootstrapped();
        }

        @Override
        public void putStore(Store store) {
            SchedulerNode.this.putStore(store);
        }

        @Override
        public Optional<Store> getStore(long id) {
            return cluster().getStore(id).map(StoreInfo::meta);
        }

        @Override
        public Optional<RegionAndLeader> getRegion(byte[] key) {
            return SchedulerNode.this.getRegion(key);
        }

        @Override
        public Optional<RegionAndLeader> getRegionById(long regionId) {
            return SchedulerNode.this.getRegionById(regionId);
        }

        @Override
        public void askSplit(Region region, Consumer<AskSplitResponse> answer) {
            AskSplitRequest request = AskSplitRequest.newBuilder().setRegion(region).build();
            toScheduler(new SchedulerRpc.AskSplit(request), () -> {
                AskSplitResponse response = server.askSplit(request);
                network.send(NODE_ID, storeId, new SchedulerRpc.SplitAnswer(response),
                        delivered -> answer.accept(((SchedulerRpc.SplitAnswer) delivered).response()));
            });
        }

        @Override
        public void storeHeartbeat(StoreStats stats) {
            StoreHeartbeatRequest request = StoreHeartbeatRequest.newBuilder().setStats(stats).build();
            // Nothing comes back that the store acts on; a refused heartbeat leaves the store unheard.
            toScheduler(new SchedulerRpc.StoreHeartbeat(request), () -> server.storeHeartbeat(request));
        }

        @Override
        public void regionHeartbeat(RegionHeartbeatRequest request) {
            long leaderStore = request.getLeader().getStoreId();
            toScheduler(new SchedulerRpc.RegionHeartbeat(request), () -> server.regionHeartbeat(request)
                    .ifPresent(response -> answer(leaderStore, response)));
        }

        /** Sends a heartbeat's answer to the leader's store, to whichever raftstore runs there when it arrives. */
        private void answer(long leaderStore, RegionHeartbeatResponse response) {
            network.send(NODE_ID, leaderStore, new SchedulerRpc.HeartbeatAnswer(response), delivered -> {
                Consumer<RegionHeartbeatResponse> handler = answerHandlers.get(leaderStore);
                if (handler != null) {
                    handler.accept(((SchedulerRpc.HeartbeatAnswer) delivered).response());
                }
            });
        }

        @Override
        public void setRegionHeartbeatResponseHandler(long id, Consumer<RegionHeartbeatResponse> handler) {
            answerHandlers.put(id, handler == null ? response -> { } : handler);
        }

        /** Sends {@code message} to the node; {@code onArrival} runs there when it arrives. */
        private void toScheduler(SchedulerRpc message, Runnable onArrival) {
            network.send(storeId, NODE_ID, message, delivered -> onArrival.run());
        }
    }

    // ---- How messages read in the trace ----------------------------------------------------------------

    private static String describe(SchedulerRpc message) {
        if (message instanceof SchedulerRpc.RegionHeartbeat heartbeat) {
            return "region heartbeat " + heartbeat.request().getRegion().getId();
        } else if (message instanceof SchedulerRpc.StoreHeartbeat heartbeat) {
            return "store heartbeat " + heartbeat.request().getStats().getStoreId();
        } else if (message instanceof SchedulerRpc.AskSplit ask) {
            return "ask split region " + ask.request().getRegion().getId();
        } else if (message instanceof SchedulerRpc.HeartbeatAnswer answer) {
            return "heartbeat answer region " + answer.response().getRegionId();
        } else {
            return "split answer region " + ((SchedulerRpc.SplitAnswer) message).response().getNewRegionId();
        }
    }
}
