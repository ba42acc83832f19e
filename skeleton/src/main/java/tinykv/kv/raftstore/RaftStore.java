package tinykv.kv.raftstore;

import tinykv.kv.engine.Engines;
import tinykv.kv.raftstore.scheduler.SchedulerClient;
import tinykv.proto.raft_cmdpb.RaftCmdRequest;
import tinykv.proto.raft_serverpb.RaftMessage;
import tinykv.runtime.EventLoop;

/** One store: TinyKV's node and raftstore. UNDER CONSTRUCTION (issue 3): signatures are final, bodies come. */
public final class RaftStore {

    public RaftStore(StoreConfig config, Engines engines, EventLoop loop, Transport transport,
            SchedulerClient scheduler) {
        throw new UnsupportedOperationException("raftstore under construction");
    }

    /** The id this store was bootstrapped with. */
    public long storeId() {
        throw new UnsupportedOperationException("raftstore under construction");
    }

    /** Loads every peer from the engines and starts ticking. */
    public void start() {
        throw new UnsupportedOperationException("raftstore under construction");
    }

    /** Marks the store stopped; the caller then halts its event loop and closes its engines. */
    public void stop() {
        throw new UnsupportedOperationException("raftstore under construction");
    }

    /** Hands a client's command to the peer of its region on this store; the answer goes to the callback. */
    public void sendCommand(RaftCmdRequest request, Callback callback) {
        throw new UnsupportedOperationException("raftstore under construction");
    }

    /** A raft message from another store, off the network. */
    public void receive(RaftMessage message) {
        throw new UnsupportedOperationException("raftstore under construction");
    }
}
