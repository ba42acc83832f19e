package tinykv.kv.raftstore.snap;

import com.google.protobuf.ByteString;
import tinykv.proto.raft_serverpb.RaftMessage;

/**
 * What travels on the snapshot channel between two stores: chunks of a snapshot one way, acknowledgements
 * the other. Both carry the {@code MsgSnapshot} raft message the transfer is for, so that the network's
 * filters (partitions, drops of a region or a message type) treat a snapshot's traffic like its message.
 */
public sealed interface SnapshotTraffic {

    /** The raft message ({@code MsgSnapshot}) the receiving peer gets once every chunk has arrived. */
    RaftMessage header();

    long transferId();

    /** Chunk {@code seq} of {@code chunkCount}; the data of all chunks in order is {@code totalBytes} long. */
    record Chunk(long transferId, RaftMessage header, int seq, int chunkCount, int totalBytes, ByteString data)
            implements SnapshotTraffic {}

    /** The receiver has chunk {@code seq}. */
    record Ack(long transferId, RaftMessage header, int seq) implements SnapshotTraffic {}
}
