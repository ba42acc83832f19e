package tinykv.cluster;

import com.google.protobuf.ByteString;
import java.util.List;
import tinykv.proto.metapb.Peer;
import tinykv.proto.metapb.RegionEpoch;
import tinykv.proto.raft_cmdpb.AdminCmdType;
import tinykv.proto.raft_cmdpb.AdminRequest;
import tinykv.proto.raft_cmdpb.CmdType;
import tinykv.proto.raft_cmdpb.DeleteRequest;
import tinykv.proto.raft_cmdpb.GetRequest;
import tinykv.proto.raft_cmdpb.PutRequest;
import tinykv.proto.raft_cmdpb.RaftCmdRequest;
import tinykv.proto.raft_cmdpb.RaftRequestHeader;
import tinykv.proto.raft_cmdpb.Request;
import tinykv.proto.raft_cmdpb.SnapRequest;
import tinykv.proto.raft_cmdpb.TransferLeaderRequest;

/** Builders for the commands tests send (TinyKV's {@code test_raftstore/utils.go}). */
public final class Requests {
    private Requests() {}

    public static Peer newPeer(long storeId, long peerId) {
        return Peer.newBuilder().setStoreId(storeId).setId(peerId).build();
    }

    /** A command of normal requests for a region, as a client knows its epoch. */
    public static RaftCmdRequest newRequest(long regionId, RegionEpoch epoch, List<Request> requests) {
        return RaftCmdRequest.newBuilder().setHeader(header(regionId, epoch)).addAllRequests(requests).build();
    }

    public static RaftCmdRequest newAdminRequest(long regionId, RegionEpoch epoch, AdminRequest request) {
        return RaftCmdRequest.newBuilder().setHeader(header(regionId, epoch)).setAdminRequest(request).build();
    }

    private static RaftRequestHeader header(long regionId, RegionEpoch epoch) {
        return RaftRequestHeader.newBuilder().setRegionId(regionId).setRegionEpoch(epoch).build();
    }

    public static Request put(String cf, byte[] key, byte[] value) {
        return Request.newBuilder().setCmdType(CmdType.Put).setPut(PutRequest.newBuilder().setCf(cf)
                .setKey(ByteString.copyFrom(key)).setValue(ByteString.copyFrom(value))).build();
    }

    public static Request get(String cf, byte[] key) {
        return Request.newBuilder().setCmdType(CmdType.Get)
                .setGet(GetRequest.newBuilder().setCf(cf).setKey(ByteString.copyFrom(key))).build();
    }

    public static Request delete(String cf, byte[] key) {
        return Request.newBuilder().setCmdType(CmdType.Delete)
                .setDelete(DeleteRequest.newBuilder().setCf(cf).setKey(ByteString.copyFrom(key))).build();
    }

    public static Request snap() {
        return Request.newBuilder().setCmdType(CmdType.Snap).setSnap(SnapRequest.getDefaultInstance()).build();
    }

    public static AdminRequest transferLeader(Peer peer) {
        return AdminRequest.newBuilder().setCmdType(AdminCmdType.TransferLeader)
                .setTransferLeader(TransferLeaderRequest.newBuilder().setPeer(peer)).build();
    }
}
