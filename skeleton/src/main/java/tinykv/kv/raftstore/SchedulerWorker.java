package tinykv.kv.raftstore;

import java.util.List;
import tinykv.kv.raftstore.scheduler.SchedulerClient;
import tinykv.proto.raft_cmdpb.AdminCmdType;
import tinykv.proto.raft_cmdpb.AdminRequest;
import tinykv.proto.raft_cmdpb.ChangePeerRequest;
import tinykv.proto.raft_cmdpb.RaftCmdRequest;
import tinykv.proto.raft_cmdpb.RaftRequestHeader;
import tinykv.proto.raft_cmdpb.TransferLeaderRequest;
import tinykv.proto.schedulerpb.RegionHeartbeatRequest;
import tinykv.proto.schedulerpb.RegionHeartbeatResponse;
import tinykv.runtime.MailboxHandler;

/**
 * Talks to the scheduler for the store (TinyKV's {@code runner/scheduler_task.go}): sends the heartbeats
 * leaders and the store queue up, and turns the scheduler's orders for a region into admin commands for
 * its peer (lab 3B handles them).
 */
final class SchedulerWorker implements MailboxHandler<SchedulerTask> {
    private final SchedulerClient scheduler;
    private final Router router;

    SchedulerWorker(SchedulerClient scheduler, Router router) {
        this.scheduler = scheduler;
        this.router = router;
    }

    @Override
    public void handle(List<SchedulerTask> batch) {
        for (SchedulerTask task : batch) {
            if (task instanceof SchedulerTask.RegionHeartbeat heartbeat) {
                scheduler.regionHeartbeat(RegionHeartbeatRequest.newBuilder()
                        .setRegion(heartbeat.region())
                        .setLeader(heartbeat.leader())
                        .addAllPendingPeers(heartbeat.pendingPeers())
                        .build());
            } else if (task instanceof SchedulerTask.StoreHeartbeat heartbeat) {
                scheduler.storeHeartbeat(heartbeat.stats());
            }
        }
    }

    /** An order from the scheduler for one region, sent to its peer as an admin command. */
    void onRegionHeartbeatResponse(RegionHeartbeatResponse response) {
        AdminRequest admin;
        if (response.hasChangePeer()) {
            admin = AdminRequest.newBuilder().setCmdType(AdminCmdType.ChangePeer)
                    .setChangePeer(ChangePeerRequest.newBuilder()
                            .setChangeType(response.getChangePeer().getChangeType())
                            .setPeer(response.getChangePeer().getPeer()))
                    .build();
        } else if (response.hasTransferLeader()) {
            admin = AdminRequest.newBuilder().setCmdType(AdminCmdType.TransferLeader)
                    .setTransferLeader(TransferLeaderRequest.newBuilder()
                            .setPeer(response.getTransferLeader().getPeer()))
                    .build();
        } else {
            return;
        }
        RaftCmdRequest request = RaftCmdRequest.newBuilder()
                .setHeader(RaftRequestHeader.newBuilder()
                        .setRegionId(response.getRegionId())
                        .setPeer(response.getTargetPeer())
                        .setRegionEpoch(response.getRegionEpoch()))
                .setAdminRequest(admin)
                .build();
        // Nobody waits for the answer: the scheduler sees the result in the next heartbeat.
        router.send(response.getRegionId(), new PeerMsg.RaftCommand(request, new Callback()));
    }
}
