package tinykv.raft;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tinykv.proto.eraftpb.ConfChange;
import tinykv.proto.eraftpb.ConfState;
import tinykv.proto.eraftpb.Entry;
import tinykv.proto.eraftpb.HardState;
import tinykv.proto.eraftpb.Message;

/**
 * The interface between a {@link Raft} node and its application (lab 2AC): inputs go in through tick,
 * step and propose; everything the application must persist, send and apply comes out as one
 * {@link Ready}. The contract is written out in {@code package-info.java}.
 *
 * <p>The input methods are provided. You write the constructor, {@link #hasReady()}, {@link #ready()}
 * and {@link #advance(Ready)}: a Ready reports what changed since the last one was advanced, so keep
 * what you last reported in private fields.
 */
public class RawNode {

    /** The node this RawNode drives. */
    final Raft raft;

    /** The soft state the last advanced Ready reported (or the node started with). */
    private SoftState reportedSoftState;
    /** The hard state the last advanced Ready reported (or the node restored from storage). */
    private HardState reportedHardState;

    // ---- Construction ----

    /** A node started from {@code config}; see {@link Raft#Raft(Config)}. */
    public RawNode(Config config) {
        raft = new Raft(config);
        // The application already knows what the node starts from: the hard state is the one it
        // persisted, and a new node is a follower that knows no leader.
        reportedSoftState = softState();
        reportedHardState = hardState();
    }

    // ---- Output: yours to write ----

    /** Whether {@link #ready()} has anything for the application to do. */
    public boolean hasReady() {
        // The same answer as !ready().isEmpty(), without building the Ready: the raftstore asks every peer
        // after every batch, and most of them have nothing to do.
        RaftLog log = raft.raftLog;
        return !raft.msgs.isEmpty()
                || log.pendingSnapshot != null
                || log.stabled < log.lastIndex()
                || log.applied < log.committed
                || raft.lead != reportedSoftState.lead() || raft.state != reportedSoftState.raftState()
                || raft.term != reportedHardState.getTerm() || raft.vote != reportedHardState.getVote()
                || log.committed != reportedHardState.getCommit();
    }

    /** What the application should persist, send and apply now. Calling it changes nothing. */
    public Ready ready() {
        RaftLog log = raft.raftLog;
        return new Ready(
                ifChanged(softState(), reportedSoftState),
                ifChanged(hardState(), reportedHardState),
                log.unstableEntries(),
                Optional.ofNullable(log.pendingSnapshot),
                log.nextEnts(),
                raft.msgs);
    }

    /** The application has handled {@code ready}: move the log's stabled and applied marks past it. */
    public void advance(Ready ready) {
        ready.softState().ifPresent(soft -> reportedSoftState = soft);
        ready.hardState().ifPresent(hard -> reportedHardState = hard);
        RaftLog log = raft.raftLog;
        if (!ready.entries().isEmpty()) {
            log.stabled = lastIndexOf(ready.entries());
        }
        if (!ready.committedEntries().isEmpty()) {
            log.applied = lastIndexOf(ready.committedEntries());
        }
        if (ready.snapshot().isPresent()) {
            log.pendingSnapshot = null; // restoring the log already moved stabled and applied past it
        }
        // Only the messages reported: applying a conf change may have queued new ones since.
        raft.msgs.subList(0, ready.messages().size()).clear();
        log.maybeCompact();
    }

    private SoftState softState() {
        return new SoftState(raft.lead, raft.state);
    }

    private HardState hardState() {
        return HardState.newBuilder()
                .setTerm(raft.term)
                .setVote(raft.vote)
                .setCommit(raft.raftLog.committed)
                .build();
    }

    private static <T> Optional<T> ifChanged(T now, T reported) {
        return now.equals(reported) ? Optional.empty() : Optional.of(now);
    }

    private static long lastIndexOf(List<Entry> entries) {
        return entries.get(entries.size() - 1).getIndex();
    }

    // ---- Input: provided ----

    public Raft raft() {
        return raft;
    }

    /** One tick of logical time. */
    public void tick() {
        raft.tick();
    }

    /** Start an election now. */
    public void campaign() {
        raft.step(LocalMessages.hup());
    }

    /** Propose a command to append to the log. */
    public void propose(byte[] data) {
        raft.step(LocalMessages.propose(raft.id, data));
    }

    /** Propose a membership change. */
    public void proposeConfChange(ConfChange change) {
        raft.step(LocalMessages.proposeConfChange(change));
    }

    /** Apply a committed membership change to this node; returns the new membership. */
    public ConfState applyConfChange(ConfChange change) {
        return Membership.apply(raft, change);
    }

    /** Hand this node a message received from the network. */
    public void step(Message m) {
        if (MessageTypes.isLocal(m.getMsgType())) {
            throw new RaftException.StepLocalMessage(m.getMsgType());
        }
        if (MessageTypes.isResponse(m.getMsgType()) && !raft.prs.containsKey(m.getFrom())) {
            throw new RaftException.StepPeerNotFound(m.getFrom());
        }
        raft.step(m);
    }

    /** Ask the leader to hand leadership to {@code transferee}. */
    public void transferLeader(long transferee) {
        raft.step(LocalMessages.transferLeader(transferee));
    }

    /** (Leader) A copy of what this node knows of each member's log; empty on other roles. */
    public Map<Long, Progress> getProgress() {
        Map<Long, Progress> progress = new TreeMap<>();
        if (raft.state == StateType.LEADER) {
            raft.prs.forEach((id, pr) -> progress.put(id, pr.copy()));
        }
        return progress;
    }
}
