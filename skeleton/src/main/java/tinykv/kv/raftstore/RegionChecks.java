package tinykv.kv.raftstore;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Optional;
import tinykv.kv.raftstore.meta.MetaStates;
import tinykv.kv.storage.KeyRange;
import tinykv.proto.eraftpb.ConfState;
import tinykv.proto.eraftpb.Message;
import tinykv.proto.eraftpb.MessageType;
import tinykv.proto.metapb.Peer;
import tinykv.proto.metapb.Region;
import tinykv.proto.metapb.RegionEpoch;
import tinykv.proto.raft_cmdpb.RaftCmdRequest;

/**
 * The checks a command or message goes through before it reaches raft, and small facts about regions
 * (TinyKV's {@code raftstore/util}). Each check answers with the error a client should see, or nothing.
 */
public final class RegionChecks {
    private RegionChecks() {}

    /** Whether {@code key} lies in {@code [region.start, region.end)}, where an empty end means no end. */
    public static Optional<RegionError> checkKeyInRegion(byte[] key, Region region) {
        return KeyRange.of(region).contains(key) ? Optional.empty()
                : Optional.of(new RegionError.KeyNotInRegionError(ByteString.copyFrom(key), region));
    }

    /**
     * Whether the request was made for the region's current epoch. Data commands and splits depend on
     * the key range ({@code version}); membership changes on the peer set ({@code confVer}); log compaction
     * on neither.
     */
    public static Optional<RegionError> checkRegionEpoch(RaftCmdRequest request, Region region) {
        boolean checkVersion;
        boolean checkConfVersion;
        if (!request.hasAdminRequest()) {
            checkVersion = true;
            checkConfVersion = false;
        } else {
            switch (request.getAdminRequest().getCmdType()) {
                case ChangePeer -> {
                    checkVersion = false;
                    checkConfVersion = true;
                }
                case Split, TransferLeader -> {
                    checkVersion = true;
                    checkConfVersion = true;
                }
                default -> {
                    checkVersion = false;
                    checkConfVersion = false;
                }
            }
        }
        if (!checkVersion && !checkConfVersion) {
            return Optional.empty();
        }
        if (!request.getHeader().hasRegionEpoch()) {
            return Optional.of(new RegionError.OtherError("the request has no region epoch"));
        }
        RegionEpoch sent = request.getHeader().getRegionEpoch();
        RegionEpoch current = region.getRegionEpoch();
        if ((checkConfVersion && sent.getConfVer() != current.getConfVer())
                || (checkVersion && sent.getVersion() != current.getVersion())) {
            String message = "current epoch of region " + region.getId() + " is " + describe(current)
                    + ", but the request was for " + describe(sent);
            return Optional.of(new RegionError.EpochNotMatchError(message, List.of(region)));
        }
        return Optional.empty();
    }

    /** Whether the request was addressed to this store. */
    public static Optional<RegionError> checkStoreId(RaftCmdRequest request, long storeId) {
        long requested = request.getHeader().getPeer().getStoreId();
        return requested == storeId ? Optional.empty()
                : Optional.of(new RegionError.StoreNotMatchError(requested, storeId));
    }

    /** Whether the request was addressed to this peer. */
    public static Optional<RegionError> checkPeerId(RaftCmdRequest request, long peerId) {
        long requested = request.getHeader().getPeer().getId();
        return requested == peerId ? Optional.empty()
                : Optional.of(new RegionError.OtherError("the request is for peer " + requested + ", not " + peerId));
    }

    /** A request made more than one term ago is stale ({@code term 0} means the client did not say). */
    public static Optional<RegionError> checkTerm(RaftCmdRequest request, long currentTerm) {
        long requested = request.getHeader().getTerm();
        return requested == 0 || currentTerm <= requested + 1 ? Optional.empty()
                : Optional.of(new RegionError.StaleCommandError());
    }

    /** Whether {@code epoch} is older than {@code current} in either dimension. */
    public static boolean isEpochStale(RegionEpoch epoch, RegionEpoch current) {
        return epoch.getVersion() < current.getVersion() || epoch.getConfVer() < current.getConfVer();
    }

    /** The region's peer on {@code storeId}. */
    public static Optional<Peer> findPeer(Region region, long storeId) {
        return region.getPeersList().stream().filter(peer -> peer.getStoreId() == storeId).findFirst();
    }

    /** The region's peer with {@code peerId}. */
    public static Optional<Peer> findPeerById(Region region, long peerId) {
        return region.getPeersList().stream().filter(peer -> peer.getId() == peerId).findFirst();
    }

    /** The raft membership a region's peer list stands for. */
    public static ConfState confStateOf(Region region) {
        return ConfState.newBuilder()
                .addAllNodes(region.getPeersList().stream().map(Peer::getId).toList())
                .build();
    }

    /** A message that may create a peer on a store that has none yet: a vote request, or a heartbeat. */
    public static boolean isInitialMessage(Message message) {
        return message.getMsgType() == MessageType.MsgRequestVote
                || (message.getMsgType() == MessageType.MsgHeartbeat && message.getCommit() == 0);
    }

    public static boolean isVoteMessage(Message message) {
        return message.getMsgType() == MessageType.MsgRequestVote;
    }

    /** The first vote of a region's life (e.g. of a region just split off). */
    public static boolean isFirstVoteMessage(Message message) {
        return isVoteMessage(message) && message.getTerm() == MetaStates.RAFT_INIT_LOG_TERM + 1;
    }

    private static String describe(RegionEpoch epoch) {
        return "{version " + epoch.getVersion() + ", confVer " + epoch.getConfVer() + "}";
    }
}
