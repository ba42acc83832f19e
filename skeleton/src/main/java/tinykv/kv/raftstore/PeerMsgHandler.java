package tinykv.kv.raftstore;

import tinykv.Todo;
import tinykv.kv.engine.WriteBatch;
import tinykv.proto.eraftpb.ConfChange;
import tinykv.proto.raft_cmdpb.RaftCmdRequest;
import tinykv.proto.raft_cmdpb.RaftCmdResponse;

/**
 * What a peer does with client commands and with its raft group's output (lab 2B): propose commands
 * through the raft log, then persist, send and apply each {@link tinykv.raft.Ready} (lab 2C: with
 * snapshots and log compaction; lab 3B: with leader transfer, membership changes and splits).
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
     *
     * <p>Lab 3B. Hand every admin command but {@code CompactLog} to {@link #proposeAdmin}; refuse a
     * {@code Split} whose key is outside the region, or is its start key (the left half would be empty).
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
     *
     * <p>Lab 3B. A committed {@code EntryConfChange} goes to {@link #applyConfChange}, a committed
     * {@code Split} (after the epoch and key checks every command gets) to {@link #applySplit}; answer their
     * proposals with what they return. Once the batch is written: start the peer of each region a split made
     * ({@link PeerLifecycle#createSplitPeer}); a peer that applied its own removal applies nothing after it and
     * is destroyed ({@link PeerLifecycle#destroy}).
     */
    public void handleRaftReady() {
        throw new Todo("lab2b", "PeerMsgHandler.handleRaftReady()");
    }

    /**
     * Lab 3B. Proposes an admin command that changes the region or its leader (called by
     * {@link #proposeRaftCommand} for every admin command but {@code CompactLog}, once it passed the checks).
     * {@code TransferLeader} is not a log entry: call {@link tinykv.raft.RawNode#transferLeader} and answer at
     * once. {@code ChangePeer} is proposed with {@link tinykv.raft.RawNode#proposeConfChange}, the whole command
     * as the ConfChange's context (raft takes one membership change at a time). {@code Split} goes through the
     * log like a data command. A leader asked to remove itself should not propose it (the lab 3B handout says
     * why): hand leadership to a follower and refuse with {@code NotLeader}, naming it.
     */
    protected void proposeAdmin(RaftCmdRequest request, Callback callback) {
        throw new Todo("lab3b", "PeerMsgHandler.proposeAdmin()");
    }

    /**
     * Lab 3B. Applies a committed membership change (an {@code EntryConfChange} entry; its context is the
     * {@code ChangePeer} command) and returns the answer for its proposer. If the command's epoch is still
     * current and it changes something, the region gets the new peers and {@code confVer + 1}: the region
     * state goes into {@code batch} (written with the apply state), the peer, its peer cache, the store meta
     * and the raft group ({@link tinykv.raft.RawNode#applyConfChange}) follow. A stale or repeated change (the
     * scheduler re-sends until it sees the result) changes nothing. The caller destroys a peer that applied
     * its own removal ({@link PeerLifecycle#destroy}) once the batch is written.
     */
    protected RaftCmdResponse applyConfChange(ConfChange confChange, WriteBatch batch) {
        throw new Todo("lab3b", "PeerMsgHandler.applyConfChange()");
    }

    /**
     * Lab 3B. Applies a committed {@code Split} whose epoch and split key were checked (as every command's)
     * and returns the answer, holding both regions: this region keeps the keys before the split key, a new
     * region with the scheduler's ids takes the rest, both with {@code version + 1}, both states in
     * {@code batch}; the store meta records the shrunk region. The caller starts the new region's peer
     * ({@link PeerLifecycle#createSplitPeer}) once the batch is written.
     */
    protected RaftCmdResponse applySplit(RaftCmdRequest request, WriteBatch batch) {
        throw new Todo("lab3b", "PeerMsgHandler.applySplit()");
    }
}
