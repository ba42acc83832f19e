package tinykv.kv.raftstore;

import tinykv.Todo;
import tinykv.proto.raft_cmdpb.RaftCmdRequest;

/**
 * What a peer does with client commands and with its raft group's output (lab 2B): propose commands
 * through the raft log, then persist, send and apply each {@link tinykv.raft.Ready} (lab 2C: with
 * snapshots and log compaction).
 *
 * <p>The raft worker makes one handler per peer and batch of mail: {@link #proposeRaftCommand} for each
 * command that passed the framework's checks (store, leader, peer, term, epoch), then
 * {@link #handleRaftReady} once for every peer that received mail.
 */
public class PeerMsgHandler {
    protected final Peer peer;
    protected final StoreContext ctx;

    public PeerMsgHandler(Peer peer, StoreContext ctx) {
        this.peer = peer;
        this.ctx = ctx;
    }

    /**
     * Lab 2B. Proposes {@code request} to the raft group and remembers {@code callback} as a
     * {@link Proposal} at the index the entry will take, to answer it once the entry applies. Refuse keys
     * outside the region ({@link RegionChecks#checkKeyInRegion}) at once, through the callback.
     */
    public void proposeRaftCommand(RaftCmdRequest request, Callback callback) {
        throw new Todo("lab2b", "PeerMsgHandler.proposeRaftCommand()");
    }

    /**
     * Lab 2B. If the raft group has a Ready: persist it ({@link PeerStorage#saveReadyState}), send its
     * messages ({@link Peer#send}), apply its committed entries to the kv engine (with the new apply state
     * in the same write batch), answer the proposals they complete, and advance the raft group.
     *
     * <p>Lab 2C. A Ready may carry a snapshot: once it is saved, record the region it brought in the store's
     * meta. A committed {@code CompactLog} admin command moves the truncated state forward (persisted with
     * the apply state), then hands the compacted entries to the raft-log GC ({@link Peer#scheduleRaftLogGc}).
     */
    public void handleRaftReady() {
        throw new Todo("lab2b", "PeerMsgHandler.handleRaftReady()");
    }
}
