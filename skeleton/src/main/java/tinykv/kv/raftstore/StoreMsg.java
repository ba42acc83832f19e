package tinykv.kv.raftstore;

import tinykv.proto.raft_serverpb.RaftMessage;

/** What the store worker handles: messages no existing peer can take, and the store's own ticks. */
public sealed interface StoreMsg {

    /** A raft message for a region that has no peer on this store (yet). */
    record StoreRaftMessage(RaftMessage message) implements StoreMsg {}

    /** Time to report this store to the scheduler. */
    record StoreHeartbeatTick() implements StoreMsg {}

    /** Time to delete the snapshots nobody needs any more (lab 2C). */
    record SnapshotGcTick() implements StoreMsg {}
}
