package tinykv.kv.raftstore;

import java.util.List;
import tinykv.proto.raft_cmdpb.AdminCmdType;
import tinykv.proto.raft_cmdpb.AdminRequest;
import tinykv.proto.raft_cmdpb.ChangePeerRequest;
import tinykv.proto.raft_cmdpb.RaftCmdRequest;
import tinykv.proto.raft_cmdpb.RaftRequestHeader;
import tinykv.proto.raft_cmdpb.SplitRequest;
import tinykv.proto.raft_cmdpb.TransferLeaderRequest;
import tinykv.proto.schedulerpb.AskSplitResponse;
import tinykv.proto.schedulerpb.RegionHeartbeatRequest;
import tinykv.proto.schedulerpb.RegionHeartbeatResponse;
import tinykv.runtime.Log;
import tinykv.runtime.MailboxHandler;
import tinykv.scheduler.client.SchedulerClient;

/**
 * Talks to the scheduler for the store (TinyKV's {@code runner/scheduler_task.go}): sends the heartbeats
 * leaders and the store queue up, asks for the ids of a split, and turns the scheduler's answers into
 * admin commands for the region's peer (lab 3B handles them).
 */
final class SchedulerWorker implements MailboxHandler<SchedulerTask> {
    private final SchedulerClient scheduler;
    private final Router router;
    private final Log log;

    SchedulerWorker(SchedulerClient scheduler, Router router, Log log) {
        this.scheduler = scheduler;
        this.router = router;
        this.log = log;
    }

    @Override
    public void handle(List<SchedulerTask> batch) {
        for (SchedulerTask task : batch) {
            if (task instanceof SchedulerTask.RegionHeartbeat heartbeat) {
                scheduler.regionHeartbeat(RegionHeartbeatRequest.newBuilder()
                        .setRegion(heartbeat.region())
                        .setLeader(heartbeat.leader())
                        .addAllPendingPeers(heartbeat.pendingPeers())
                        .setApproximateSize(heartbeat.approximateSize())
                        .build());
            } else if (task instanceof SchedulerTask.StoreHeartbeat heartbeat) {
                scheduler.storeHeartbeat(heartbeat.stats());
            } else if (task instanceof SchedulerTask.AskSplit askSplit) {
                scheduler.askSplit(askSplit.region(), response -> onAskSplitResponse(askSplit, response));
            } else {
                throw new IllegalArgumentException("the scheduler worker has no handler for " + task);
            }
        }
    }

    /** The ids for a split arrived: propose the split to the region's peer (TinyKV's {@code onAskSplit}). */
    private void onAskSplitResponse(SchedulerTask.AskSplit asked, AskSplitResponse response) {
        long regionId = asked.region().getId();
        if (response.getHeader().hasError()) {
            log.info("no split of region %d: the scheduler answered %s", regionId,
                    response.getHeader().getError().getMessage());
            return;
        }
        AdminRequest split = AdminRequest.newBuilder().setCmdType(AdminCmdType.Split)
                .setSplit(SplitRequest.newBuilder()
                        .setSplitKey(asked.splitKey())
                        .setNewRegionId(response.getNewRegionId())
                        .addAllNewPeerIds(response.getNewPeerIdsList()))
                .build();
        sendAdminCommand(regionId, asked.leader(), asked.region().getRegionEpoch(), split);
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
        sendAdminCommand(response.getRegionId(), response.getTargetPeer(), response.getRegionEpoch(), admin);
    }

    private void sendAdminCommand(long regionId, tinykv.proto.metapb.Peer target,
            tinykv.proto.metapb.RegionEpoch epoch, AdminRequest admin) {
        RaftCmdRequest request = RaftCmdRequest.newBuilder()
                .setHeader(RaftRequestHeader.newBuilder().setRegionId(regionId).setPeer(target).setRegionEpoch(epoch))
                .setAdminRequest(admin)
                .build();
        // Nobody waits for the answer: the scheduler sees the result in the region's next heartbeat.
        router.send(regionId, new PeerMsg.RaftCommand(request, new Callback()));
    }
}
