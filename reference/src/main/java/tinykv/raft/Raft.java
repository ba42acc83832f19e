package tinykv.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import java.util.random.RandomGenerator;
import tinykv.proto.eraftpb.Entry;
import tinykv.proto.eraftpb.EntryType;
import tinykv.proto.eraftpb.HardState;
import tinykv.proto.eraftpb.Message;
import tinykv.proto.eraftpb.MessageType;
import tinykv.proto.eraftpb.Snapshot;
import tinykv.proto.eraftpb.SnapshotMetadata;

/**
 * One node of a Raft group: the consensus state machine of the Raft paper, plus leader transfer and
 * single-step membership change. Labs 2AA (election), 2AB (log replication), 2C (snapshots) and 3A
 * (leader transfer, add and remove node).
 *
 * <p>It is driven from outside and does no I/O: {@link #tick()} is time, {@link #step(Message)} is
 * every message (local ones included), and what it wants sent is appended to {@link #msgs}.
 *
 * <p>The tests read the package-private fields below directly, so keep their names and meanings. Add
 * any private fields and helpers you like.
 */
public class Raft {

    /** The id that means "no node": no leader known, no vote cast. Node ids start at 1. */
    public static final long NONE = 0;

    // ---- State the tests read: keep these names ----

    /** This node's id, never {@link #NONE}. */
    final long id;

    /** The latest term this node has seen (Raft §5.1); 0 on a new node. Persisted. */
    long term;
    /** Whom this node voted for in {@link #term}, or {@link #NONE}. Persisted. */
    long vote;

    /** The log: entries, and the committed, applied and stabled indexes. */
    RaftLog raftLog;

    /** Every member of the group, this node included, with the leader's view of its log. */
    final Map<Long, Progress> prs = new TreeMap<>();

    /** This node's role. Only the becomeX methods change it. */
    StateType state = StateType.FOLLOWER;

    /** (Candidate) The answers received in this election: id to granted or not. */
    final Map<Long, Boolean> votes = new TreeMap<>();

    /** Messages to send, in order. The application takes them through {@link RawNode#ready()}. */
    final List<Message> msgs = new ArrayList<>();

    /** The leader of {@link #term} as far as this node knows, or {@link #NONE}. */
    long lead;

    /** Ticks between heartbeats (the config's heartbeatTick). */
    int heartbeatTimeout;
    /** The base election timeout (the config's electionTick); the randomized one is drawn from it. */
    int electionTimeout;
    /** (Leader) Ticks since the last heartbeat was sent. */
    int heartbeatElapsed;
    /**
     * Ticks since the last election timeout (leader, candidate), or since the last message from a valid
     * leader (follower).
     */
    int electionElapsed;

    /** (Leader, lab 3A) The node leadership is being transferred to, or {@link #NONE}. Raft thesis §3.10. */
    long leadTransferee;

    /**
     * (Leader, lab 3A) At most one membership change may be pending (in the log, not yet applied) at a
     * time: a new one may be proposed only once the applied index has reached this index.
     */
    long pendingConfIndex;

    /** The only source of randomness: it draws the election timeouts. */
    private final RandomGenerator random;
    /** (Follower, candidate) The election timeout in force, drawn from [electionTimeout, 2 * electionTimeout). */
    private int randomizedElectionTimeout;

    // ---- Construction ----

    /**
     * A node in the state found in {@code config.storage()}: term, vote and commit from its hard state,
     * members from {@code config.peers()} (a new group) or from its conf state (a restart). It starts as
     * a follower.
     */
    public Raft(Config config) {
        this.id = config.id();
        this.random = config.random();
        this.heartbeatTimeout = config.heartbeatTick();
        this.electionTimeout = config.electionTick();
        this.raftLog = new RaftLog(config.storage());
        Storage.InitialState initial = config.storage().initialState();
        HardState hardState = initial.hardState();
        term = hardState.getTerm();
        vote = hardState.getVote();
        raftLog.committed = Math.max(raftLog.committed, hardState.getCommit());
        if (config.applied() > 0) {
            raftLog.applied = config.applied();
        }
        List<Long> peers = config.peers().isEmpty() ? initial.confState().getNodesList() : config.peers();
        peers.forEach(peer -> prs.put(peer, newProgress()));
        becomeFollower(term, NONE);
    }

    // ---- Read-only view for the raftstore ----

    public long id() {
        return id;
    }

    public long term() {
        return term;
    }

    public long lead() {
        return lead;
    }

    /** The index of the last entry in this node's log; the raftstore's next proposal goes after it. */
    public long lastIndex() {
        return raftLog.lastIndex();
    }

    public StateType state() {
        return state;
    }

    // ---- Time ----

    /**
     * Advances this node's clock by one tick: a follower or candidate may time out and start an election
     * (step a MsgHup); a leader may owe its followers a heartbeat (step a MsgBeat).
     */
    void tick() {
        switch (state) {
            case FOLLOWER, CANDIDATE -> tickElection();
            case LEADER -> tickHeartbeat();
        }
    }

    private void tickElection() {
        electionElapsed++;
        if (electionElapsed >= randomizedElectionTimeout) {
            electionElapsed = 0;
            step(LocalMessages.hup());
        }
    }

    private void tickHeartbeat() {
        heartbeatElapsed++;
        electionElapsed++;
        if (electionElapsed >= electionTimeout) {
            electionElapsed = 0;
            // Thesis §3.10: a transfer that did not finish within an election timeout is abandoned, so
            // that the leader accepts proposals again.
            leadTransferee = NONE;
        }
        if (heartbeatElapsed >= heartbeatTimeout) {
            heartbeatElapsed = 0;
            step(LocalMessages.beat());
        }
    }

    // ---- Roles ----

    /** Becomes a follower of {@code lead} in {@code term}. */
    void becomeFollower(long term, long lead) {
        reset(term);
        this.lead = lead;
        state = StateType.FOLLOWER;
    }

    /** Becomes a candidate: a new term, a vote for itself (Raft §5.2). Sends nothing by itself. */
    void becomeCandidate() {
        reset(term + 1);
        state = StateType.CANDIDATE;
        vote = id;
        votes.put(id, true);
    }

    /** Becomes the leader of the current term and appends an empty (noop) entry of that term. */
    void becomeLeader() {
        reset(term);
        state = StateType.LEADER;
        lead = id;
        // Raft §5.3: a new leader knows nothing of its followers' logs; it starts by offering its next entry.
        prs.replaceAll((peer, progress) -> newProgress());
        // Any membership change already in the log may not be applied yet.
        pendingConfIndex = raftLog.lastIndex();
        // Raft §8: an entry of its own term lets the leader commit the entries of earlier terms (§5.4.2).
        appendEntries(List.of(Entry.getDefaultInstance()));
        bcastAppend();
    }

    /** What every role change does: move to {@code term}, forget the leader and votes, restart the timers. */
    private void reset(long term) {
        if (this.term != term) {
            this.term = term;
            vote = NONE; // one vote per term (Raft §5.2)
        }
        lead = NONE;
        votes.clear();
        leadTransferee = NONE;
        electionElapsed = 0;
        heartbeatElapsed = 0;
        // Raft §5.2: randomized timeouts make split votes rare.
        randomizedElectionTimeout = electionTimeout + random.nextInt(electionTimeout);
    }

    // ---- Input ----

    /**
     * The single entrance for every message, local (Hup, Beat, Propose, TransferLeader) or remote. Applies
     * the term rules every role shares, then hands the message to the current role.
     *
     * @throws RaftException.ProposalDropped if a proposal cannot be appended (not the leader, or a
     *     leadership transfer is under way)
     */
    public void step(Message m) {
        if (m.getTerm() > term) {
            // Raft §5.1: a newer term makes any node a follower. The sender of an append, heartbeat or
            // snapshot is that term's leader; anyone else (a candidate, say) is not.
            becomeFollower(m.getTerm(), comesFromLeader(m) ? m.getFrom() : NONE);
        } else if (m.getTerm() != 0 && m.getTerm() < term) {
            answerStale(m); // term 0 is a local message, which has no term
            return;
        }
        if (m.getMsgType() == MessageType.MsgRequestVote) {
            handleRequestVote(m); // every role answers votes the same way
            return;
        }
        switch (state) {
            case FOLLOWER -> stepFollower(m);
            case CANDIDATE -> stepCandidate(m);
            case LEADER -> stepLeader(m);
        }
    }

    private void stepFollower(Message m) {
        if (comesFromLeader(m)) {
            // The leader of this term spoke: remember it, and restart the election timer (Raft §5.2).
            lead = m.getFrom();
            electionElapsed = 0;
        }
        switch (m.getMsgType()) {
            case MsgHup, MsgTimeoutNow -> campaign();
            case MsgPropose -> throw new RaftException.ProposalDropped("node " + id + " is a follower");
            case MsgAppend -> handleAppendEntries(m);
            case MsgHeartbeat -> handleHeartbeat(m);
            case MsgSnapshot -> handleSnapshot(m);
            case MsgTransferLeader -> forwardToLeader(m);
            default -> {} // beats and responses are for leaders and candidates
        }
    }

    private void stepCandidate(Message m) {
        switch (m.getMsgType()) {
            case MsgHup -> campaign();
            case MsgPropose -> throw new RaftException.ProposalDropped("node " + id + " is a candidate");
            case MsgAppend, MsgHeartbeat, MsgSnapshot -> {
                // Raft §5.2: another node won this term. Concede, and handle the message as its follower.
                becomeFollower(term, m.getFrom());
                stepFollower(m);
            }
            case MsgRequestVoteResponse -> handleVoteResponse(m);
            default -> {} // no leader to forward a transfer to; already campaigning on a MsgTimeoutNow
        }
    }

    private void stepLeader(Message m) {
        switch (m.getMsgType()) {
            case MsgBeat -> bcastHeartbeat();
            case MsgPropose -> handlePropose(m);
            case MsgAppendResponse -> handleAppendResponse(m);
            case MsgHeartbeatResponse -> handleHeartbeatResponse(m);
            case MsgTransferLeader -> handleTransferLeader(m);
            default -> {} // a MsgHup on a leader does nothing; late votes no longer matter
        }
    }

    private static boolean comesFromLeader(Message m) {
        return switch (m.getMsgType()) {
            case MsgAppend, MsgHeartbeat, MsgSnapshot -> true;
            default -> false;
        };
    }

    /** Answers a message from an older term, so that a deposed leader or candidate learns the new term (§5.1). */
    private void answerStale(Message m) {
        switch (m.getMsgType()) {
            case MsgRequestVote -> sendVoteResponse(m.getFrom(), false);
            case MsgAppend, MsgSnapshot -> send(message(MessageType.MsgAppendResponse, m.getFrom()));
            case MsgHeartbeat -> send(message(MessageType.MsgHeartbeatResponse, m.getFrom()));
            default -> {} // stale responses and the like are simply dropped
        }
    }

    // ---- Election (Raft §5.2, §5.4.1) ----

    /** Starts an election: a new term, a vote for itself, and a MsgRequestVote to every other member. */
    private void campaign() {
        if (!prs.containsKey(id)) {
            return; // a removed node must not disturb the group it left
        }
        becomeCandidate();
        long lastIndex = raftLog.lastIndex();
        long lastTerm = raftLog.term(lastIndex);
        forEachPeer(peer -> send(
                message(MessageType.MsgRequestVote, peer).setIndex(lastIndex).setLogTerm(lastTerm)));
        tallyVotes(); // a group of one has already won
    }

    private void handleRequestVote(Message m) {
        // §5.2: at most one vote per term, first come first served (asking again is fine).
        // §5.4.1: and only for a candidate whose log holds every committed entry.
        boolean canVote = vote == NONE || vote == m.getFrom();
        boolean granted = canVote && isUpToDate(m.getLogTerm(), m.getIndex());
        if (granted) {
            vote = m.getFrom();
            electionElapsed = 0; // give the candidate time to win
        }
        sendVoteResponse(m.getFrom(), granted);
    }

    /** §5.4.1: a log ending in a later term is newer; with the same last term, the longer log is. */
    private boolean isUpToDate(long lastTerm, long lastIndex) {
        long ourLastTerm = raftLog.term(raftLog.lastIndex());
        return lastTerm > ourLastTerm || (lastTerm == ourLastTerm && lastIndex >= raftLog.lastIndex());
    }

    private void handleVoteResponse(Message m) {
        if (prs.containsKey(m.getFrom())) {
            votes.put(m.getFrom(), !m.getReject());
            tallyVotes();
        }
    }

    /** Wins with a quorum of grants; with a quorum of rejections, the election is lost. */
    private void tallyVotes() {
        long granted = votes.values().stream().filter(Boolean::booleanValue).count();
        long rejected = votes.size() - granted;
        if (granted >= quorum()) {
            becomeLeader();
        } else if (rejected >= quorum()) {
            becomeFollower(term, NONE);
        }
    }

    private int quorum() {
        return prs.size() / 2 + 1;
    }

    // ---- Replication, follower side (Raft §5.3) ----

    /** Handles MsgAppend (Raft §5.3): the consistency check, appending, and advancing the commit index. */
    void handleAppendEntries(Message m) {
        if (m.getIndex() < raftLog.committed) {
            // Our log up to the commit index matches the leader's already: let it go on from there.
            sendAppendResponse(m.getFrom(), raftLog.committed, false);
            return;
        }
        if (!hasEntry(m.getIndex(), m.getLogTerm())) {
            // The consistency check failed. Hint: the highest index the two logs may still share.
            long hint = Math.max(0, Math.min(m.getIndex() - 1, raftLog.lastIndex()));
            sendAppendResponse(m.getFrom(), hint, true);
            return;
        }
        appendFromLeader(m.getEntriesList());
        // Only what this message proved to match the leader may be committed (the log may go on).
        long lastNew = m.getIndex() + m.getEntriesCount();
        raftLog.committed = Math.max(raftLog.committed, Math.min(m.getCommit(), lastNew));
        sendAppendResponse(m.getFrom(), lastNew, false);
    }

    private boolean hasEntry(long index, long term) {
        return index <= raftLog.lastIndex() && raftLog.term(index) == term;
    }

    /** Appends what is new, first deleting a conflicting entry and all that follow it (§5.3). */
    private void appendFromLeader(List<Entry> entries) {
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            if (!hasEntry(entry.getIndex(), entry.getTerm())) {
                truncateFrom(entry.getIndex());
                raftLog.entries.addAll(entries.subList(i, entries.size()));
                return;
            }
        }
    }

    private void truncateFrom(long index) {
        List<Entry> entries = raftLog.entries;
        if (!entries.isEmpty()) {
            long keep = Math.max(0, Math.min(entries.size(), index - entries.get(0).getIndex()));
            entries.subList((int) keep, entries.size()).clear();
        }
        raftLog.stabled = Math.min(raftLog.stabled, index - 1); // persisted entries are being replaced
    }

    /** Handles MsgHeartbeat: the leader is alive; answer it. */
    void handleHeartbeat(Message m) {
        // A heartbeat carries no commit index; the answer reports this node's, so that a leader whose
        // commit is ahead (or whose log is longer) sends the appends that bring it up to date.
        send(message(MessageType.MsgHeartbeatResponse, m.getFrom()).setCommit(raftLog.committed));
    }

    /** Handles MsgSnapshot (lab 2C): restore the log and membership from the snapshot if it is newer. */
    void handleSnapshot(Message m) {
        SnapshotMetadata metadata = m.getSnapshot().getMetadata();
        if (metadata.getIndex() <= raftLog.committed) {
            // Our log already holds everything the snapshot covers.
            sendAppendResponse(m.getFrom(), raftLog.committed, false);
            return;
        }
        if (hasEntry(metadata.getIndex(), metadata.getTerm())) {
            // Raft §7: the log already holds the snapshot's last entry, so what follows it stays; this node
            // may have acknowledged it already, and a leader never backs below what was acknowledged.
            raftLog.committed = metadata.getIndex();
            sendAppendResponse(m.getFrom(), raftLog.committed, false);
            return;
        }
        // Raft §7: the snapshot replaces the whole log; the application gets it with the next Ready.
        raftLog.entries.clear();
        raftLog.committed = metadata.getIndex();
        raftLog.applied = metadata.getIndex();
        raftLog.stabled = metadata.getIndex();
        raftLog.pendingSnapshot = m.getSnapshot();
        prs.clear();
        metadata.getConfState().getNodesList().forEach(node -> prs.put(node, newProgress()));
        sendAppendResponse(m.getFrom(), raftLog.lastIndex(), false);
    }

    // ---- Replication, leader side ----

    private void handlePropose(Message m) {
        if (leadTransferee != NONE) {
            throw new RaftException.ProposalDropped("leadership is being transferred to node " + leadTransferee);
        }
        if (!prs.containsKey(id)) {
            throw new RaftException.ProposalDropped("node " + id + " has been removed from the group");
        }
        boolean confChange = m.getEntriesList().stream()
                .anyMatch(entry -> entry.getEntryType() == EntryType.EntryConfChange);
        if (confChange && pendingConfIndex > raftLog.applied) {
            // Single-server changes are safe only one at a time (thesis §4.1).
            throw new RaftException.ProposalDropped("membership change at " + pendingConfIndex + " not applied yet");
        }
        appendEntries(m.getEntriesList());
        if (confChange) {
            pendingConfIndex = raftLog.lastIndex();
        }
        bcastAppend();
    }

    /** (Leader) Appends entries of the current term to its own log. */
    private void appendEntries(List<Entry> entries) {
        long index = raftLog.lastIndex();
        for (Entry entry : entries) {
            raftLog.entries.add(entry.toBuilder().setTerm(term).setIndex(++index).build());
        }
        // The leader's own copy counts towards the quorum: in a group of one, that alone commits.
        prs.get(id).maybeUpdate(index);
        maybeCommit();
    }

    private void handleAppendResponse(Message m) {
        Progress progress = prs.get(m.getFrom());
        if (progress == null) {
            return; // removed meanwhile
        }
        if (m.getReject()) {
            // §5.3: back up and retry; the follower's hint skips a whole gap at once. Never below match.
            progress.next = Math.max(progress.match + 1, Math.min(progress.next - 1, m.getIndex() + 1));
            sendAppend(m.getFrom());
            return;
        }
        if (progress.maybeUpdate(m.getIndex())) {
            if (maybeCommit()) {
                bcastAppend(); // tell the followers about the new commit index
            }
            if (m.getFrom() == leadTransferee && progress.match == raftLog.lastIndex()) {
                sendTimeoutNow(m.getFrom()); // the transferee has caught up (thesis §3.10)
            }
        }
    }

    private void handleHeartbeatResponse(Message m) {
        Progress progress = prs.get(m.getFrom());
        if (progress != null && (progress.match < raftLog.lastIndex() || m.getCommit() < raftLog.committed)) {
            sendAppend(m.getFrom()); // a lagging follower: it may have missed appends, or restarted
        }
    }

    /**
     * Commits the highest index stored on a quorum (Raft §5.3), but only if it is of the current term:
     * older entries are committed only indirectly, by an entry of this term (§5.4.2).
     *
     * @return whether the commit index moved
     */
    private boolean maybeCommit() {
        if (prs.isEmpty()) {
            return false;
        }
        long[] matches = prs.values().stream().mapToLong(progress -> progress.match).sorted().toArray();
        long replicated = matches[matches.length - quorum()]; // a quorum holds at least this much
        if (replicated <= raftLog.committed || raftLog.term(replicated) != term) {
            return false;
        }
        raftLog.committed = replicated;
        return true;
    }

    // ---- Output ----

    /**
     * Sends {@code to} a MsgAppend with the entries it lacks (or a MsgSnapshot when they are compacted)
     * and the current commit index.
     *
     * @return whether a message was sent
     */
    boolean sendAppend(long to) {
        long prevIndex = prs.get(to).next - 1;
        try {
            send(message(MessageType.MsgAppend, to)
                    .setIndex(prevIndex)
                    .setLogTerm(raftLog.term(prevIndex))
                    .addAllEntries(entriesFrom(prevIndex + 1))
                    .setCommit(raftLog.committed));
            return true;
        } catch (StorageException.Compacted e) {
            return sendSnapshot(to); // §7: the follower needs entries this log no longer has
        }
    }

    /** The entries from {@code lo} to the last one; the log keeps every entry not compacted in memory. */
    private List<Entry> entriesFrom(long lo) {
        if (lo > raftLog.lastIndex()) {
            return List.of();
        }
        long first = raftLog.entries.get(0).getIndex();
        if (lo < first) {
            throw new StorageException.Compacted(lo, first);
        }
        return List.copyOf(raftLog.entries.subList((int) (lo - first), raftLog.entries.size()));
    }

    private boolean sendSnapshot(long to) {
        Snapshot snapshot;
        try {
            snapshot = raftLog.storage.snapshot();
        } catch (StorageException.SnapshotTemporarilyUnavailable e) {
            return false; // still being generated: a later heartbeat response asks again
        }
        send(message(MessageType.MsgSnapshot, to).setSnapshot(snapshot));
        return true;
    }

    /** Sends {@code to} a MsgHeartbeat. */
    void sendHeartbeat(long to) {
        send(message(MessageType.MsgHeartbeat, to));
    }

    private void bcastAppend() {
        forEachPeer(this::sendAppend);
    }

    private void bcastHeartbeat() {
        forEachPeer(this::sendHeartbeat);
    }

    private void sendVoteResponse(long to, boolean granted) {
        send(message(MessageType.MsgRequestVoteResponse, to).setReject(!granted));
    }

    private void sendAppendResponse(long to, long index, boolean reject) {
        send(message(MessageType.MsgAppendResponse, to).setIndex(index).setReject(reject));
    }

    private void sendTimeoutNow(long to) {
        send(message(MessageType.MsgTimeoutNow, to));
    }

    private void forEachPeer(LongConsumer action) {
        for (long peer : prs.keySet()) {
            if (peer != id) {
                action.accept(peer);
            }
        }
    }

    private static Message.Builder message(MessageType type, long to) {
        return Message.newBuilder().setMsgType(type).setTo(to);
    }

    /** Queues a message from this node, stamped with its term. */
    private void send(Message.Builder m) {
        msgs.add(m.setFrom(id).setTerm(term).build());
    }

    // ---- Leader transfer (lab 3A, Raft thesis §3.10) ----

    /** (Leader) Hands leadership to {@code m.from}: once its log is up to date, it is told to campaign. */
    private void handleTransferLeader(Message m) {
        long transferee = m.getFrom();
        if (transferee == leadTransferee || !prs.containsKey(transferee)) {
            return; // already under way, or not a member
        }
        if (transferee == id) {
            leadTransferee = NONE; // already the leader: just cancel a pending transfer
            return;
        }
        leadTransferee = transferee;
        electionElapsed = 0; // the transfer has one election timeout to finish
        if (prs.get(transferee).match == raftLog.lastIndex()) {
            sendTimeoutNow(transferee);
        } else {
            sendAppend(transferee); // help it catch up first; proposals wait meanwhile
        }
    }

    /** (Follower) Only the leader can transfer leadership; the transferee stays in {@code from}. */
    private void forwardToLeader(Message m) {
        if (lead != NONE) {
            msgs.add(m.toBuilder().setTo(lead).build());
        }
    }

    // ---- Membership (lab 3A) ----

    /** Adds node {@code id} to the group; adding a member again changes nothing. */
    void addNode(long id) {
        prs.putIfAbsent(id, newProgress());
    }

    /** Removes node {@code id} from the group; a leader may now be able to commit more. */
    void removeNode(long id) {
        prs.remove(id);
        if (id == leadTransferee) {
            leadTransferee = NONE;
        }
        // A smaller group has a smaller quorum: entries waiting for one more copy may now be committed.
        if (state == StateType.LEADER && maybeCommit()) {
            bcastAppend();
        }
    }

    /** What a leader assumes of a follower it knows nothing about: it lacks the next entry. */
    private Progress newProgress() {
        return new Progress(0, raftLog.lastIndex() + 1);
    }
}
