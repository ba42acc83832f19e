package tinykv.scheduler.server;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import tinykv.proto.metapb.Region;
import tinykv.proto.metapb.Store;
import tinykv.proto.schedulerpb.AskSplitRequest;
import tinykv.proto.schedulerpb.AskSplitResponse;
import tinykv.proto.schedulerpb.Error;
import tinykv.proto.schedulerpb.RegionHeartbeatRequest;
import tinykv.proto.schedulerpb.RegionHeartbeatResponse;
import tinykv.proto.schedulerpb.ResponseHeader;
import tinykv.proto.schedulerpb.StoreHeartbeatRequest;
import tinykv.proto.schedulerpb.StoreHeartbeatResponse;
import tinykv.runtime.EventLoop;
import tinykv.scheduler.core.SchedulerError;
import tinykv.scheduler.schedule.ScheduleConfig;

/**
 * The scheduler as a node of the network (TinyKV's scheduler {@code Server} and its {@code grpc_service.go}):
 * one {@link RaftCluster} and the {@link Coordinator} that runs the schedulers on it, both on the node's
 * event loop. The requests the stores send over the network come in here and leave as the protocol's
 * responses: a request the cluster refuses ({@link SchedulerError}) gets the error in its response header,
 * changes nothing, and the server goes on serving.
 *
 * <p>The scheduling starts with the bootstrap, as TinyKV's starts with its cluster.
 */
public final class SchedulerServer {
    private final RaftCluster cluster;
    private final Coordinator coordinator;

    /**
     * @param loop the node's event loop: virtual time, the schedulers' timers and their random draws
     * @param ids  the id allocator (stores, regions and peers share it)
     */
    public SchedulerServer(long clusterId, ScheduleConfig config, EventLoop loop, IdAllocator ids) {
        this.cluster = new RaftCluster(clusterId, config, requireNonNull(loop, "loop"), ids);
        this.coordinator = new Coordinator(loop, cluster, Coordinator.defaultSchedulers(cluster));
    }

    /** The cluster the server serves: what tests and the harness ask directly. */
    public RaftCluster cluster() {
        return cluster;
    }

    /** Bootstraps the cluster with its first store and region, and starts scheduling. */
    public void bootstrap(Store store, Region region) {
        cluster.bootstrap(store, region);
        coordinator.start();
    }

    /** Stops scheduling; the server still answers heartbeats, and operators already made run on. */
    public void stopScheduling() {
        coordinator.stop();
    }

    /** Starts scheduling again after {@link #stopScheduling}. */
    public void startScheduling() {
        coordinator.start();
    }

    // ---- Requests from the stores ----

    /**
     * A leader's report of its region. The answer, if any, goes to the leader's store: the next step of the
     * region's operator, or the error that refused the heartbeat (a stale one, say).
     */
    public Optional<RegionHeartbeatResponse> regionHeartbeat(RegionHeartbeatRequest request) {
        try {
            return cluster.handleRegionHeartbeat(request);
        } catch (SchedulerError e) {
            return Optional.of(RegionHeartbeatResponse.newBuilder().setHeader(errorHeader(e))
                    .setRegionId(request.getRegion().getId()).build());
        }
    }

    public StoreHeartbeatResponse storeHeartbeat(StoreHeartbeatRequest request) {
        try {
            cluster.handleStoreHeartbeat(request.getStats());
            return StoreHeartbeatResponse.newBuilder().setHeader(header()).build();
        } catch (SchedulerError e) {
            return StoreHeartbeatResponse.newBuilder().setHeader(errorHeader(e)).build();
        }
    }

    public AskSplitResponse askSplit(AskSplitRequest request) {
        try {
            return cluster.handleAskSplit(request);
        } catch (SchedulerError e) {
            return AskSplitResponse.newBuilder().setHeader(errorHeader(e)).build();
        }
    }

    private ResponseHeader header() {
        return ResponseHeader.newBuilder().setClusterId(cluster.clusterId()).build();
    }

    private ResponseHeader errorHeader(SchedulerError e) {
        return header().toBuilder().setError(Error.newBuilder().setType(e.type()).setMessage(e.getMessage())).build();
    }
}
