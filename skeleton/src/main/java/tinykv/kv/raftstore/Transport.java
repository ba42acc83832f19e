package tinykv.kv.raftstore;

import tinykv.proto.raft_serverpb.RaftMessage;

/** How a store's raft messages reach other stores: a network in production, the simulator's under test. */
@FunctionalInterface
public interface Transport {

    /** Sends without waiting; the message may be delayed, reordered or lost, as on any network. */
    void send(RaftMessage message);
}
