package tinykv.cluster;

import java.util.Objects;
import tinykv.kv.raftstore.Callback;
import tinykv.kv.raftstore.RaftStore;
import tinykv.proto.raft_cmdpb.RaftCmdRequest;

/**
 * How a client's command reaches a store's raftstore once it has arrived on the store: by default
 * {@link RaftStore#sendCommand}. A kit test replaces it to build a broken store in test code (one that answers
 * reads from its own engine, without Raft), and shows that the checks catch it; the staged tests never do.
 */
final class CommandDelivery {
    /** Hands {@code request} to the raftstore of store {@code storeId}, to be answered through {@code callback}. */
    @FunctionalInterface
    interface Handler {
        void deliver(long storeId, RaftStore store, RaftCmdRequest request, Callback callback);
    }

    private Handler handler = (storeId, store, request, callback) -> store.sendCommand(request, callback);

    void deliver(long storeId, RaftStore store, RaftCmdRequest request, Callback callback) {
        handler.deliver(storeId, store, request, callback);
    }

    void replace(Handler replacement) {
        handler = Objects.requireNonNull(replacement, "replacement");
    }
}
