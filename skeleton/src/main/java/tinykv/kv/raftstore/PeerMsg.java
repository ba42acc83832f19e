package tinykv.kv.raftstore;

import com.google.protobuf.ByteString;
import tinykv.proto.metapb.RegionEpoch;
import tinykv.proto.raft_cmdpb.RaftCmdRequest;
import tinykv.proto.raft_serverpb.RaftMessage;

/**
 * What the raft worker delivers to one peer (TinyKV's {@code message.Msg} with a region id). A sealed
 * interface, so that handling it is a {@code switch} the compiler checks for completeness.
 */
public sealed interface PeerMsg {

    /** A raft message from another peer of the region. */
    record RaftMessageMsg(RaftMessage message) implements PeerMsg {}

    /** A client's command, answered through the callback. */
    record RaftCommand(RaftCmdRequest request, Callback callback) implements PeerMsg {}

    /** One base tick of the peer's clock. */
    record Tick() implements PeerMsg {}

    /** The peer was just created or loaded: start its ticks. */
    record Start() implements PeerMsg {}

    /**
     * The split checker found the region, as it was at {@code epoch}, larger than {@code regionMaxSize}:
     * split it at {@code splitKey} (lab 3B). The peer asks the scheduler for ids, then proposes the split.
     */
    record SplitRegion(RegionEpoch epoch, ByteString splitKey) implements PeerMsg {}

    /** The split checker measured the region: about {@code bytes} of data (reported to the scheduler). */
    record ApproximateSize(long bytes) implements PeerMsg {}
}
