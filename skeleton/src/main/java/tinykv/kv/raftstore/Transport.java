package tinykv.kv.raftstore;

import tinykv.kv.raftstore.snap.SnapshotTraffic;
import tinykv.proto.raft_serverpb.RaftMessage;

/**
 * How a store reaches other stores: a network in production, the simulator's under test. Raft messages and
 * snapshot traffic go on separate channels, as in TinyKV (a gRPC stream per snapshot), so that a snapshot's
 * chunks are paced by their own flow control.
 */
public interface Transport {

    /** Sends without waiting; the message may be delayed, reordered or lost, as on any network. */
    void send(RaftMessage message);

    /** Sends a snapshot chunk or acknowledgement to another store; it may be delayed, reordered or lost too. */
    void sendSnapshotTraffic(long toStore, SnapshotTraffic traffic);
}
