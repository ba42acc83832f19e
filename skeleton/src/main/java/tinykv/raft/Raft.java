package tinykv.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tinykv.Todo;
import tinykv.proto.eraftpb.Message;

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

    // ---- Construction ----

    /**
     * A node in the state found in {@code config.storage()}: term, vote and commit from its hard state,
     * members from {@code config.peers()} (a new group) or from its conf state (a restart). It starts as
     * a follower.
     */
    public Raft(Config config) {
        throw new Todo("lab2aa", "new Raft(Config)");
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

    /** The highest index this node knows to be committed (for reports: what a test says of a peer). */
    public long committed() {
        return raftLog.committed;
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
        throw new Todo("lab2aa", "Raft.tick()");
    }

    // ---- Roles ----

    /** Becomes a follower of {@code lead} in {@code term}. */
    void becomeFollower(long term, long lead) {
        throw new Todo("lab2aa", "Raft.becomeFollower(long, long)");
    }

    /** Becomes a candidate: a new term, a vote for itself (Raft §5.2). Sends nothing by itself. */
    void becomeCandidate() {
        throw new Todo("lab2aa", "Raft.becomeCandidate()");
    }

    /** Becomes the leader of the current term and appends an empty (noop) entry of that term. */
    void becomeLeader() {
        throw new Todo("lab2aa", "Raft.becomeLeader()");
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
        throw new Todo("lab2aa", "Raft.step(Message)");
    }

    /** Handles MsgAppend (Raft §5.3): the consistency check, appending, and advancing the commit index. */
    void handleAppendEntries(Message m) {
        throw new Todo("lab2aa", "Raft.handleAppendEntries(Message)");
    }

    /** Handles MsgHeartbeat: the leader is alive; answer it. */
    void handleHeartbeat(Message m) {
        throw new Todo("lab2aa", "Raft.handleHeartbeat(Message)");
    }

    /** Handles MsgSnapshot (lab 2C): restore the log and membership from the snapshot if it is newer. */
    void handleSnapshot(Message m) {
        throw new Todo("lab2c", "Raft.handleSnapshot(Message)");
    }

    // ---- Output ----

    /**
     * Sends {@code to} a MsgAppend with the entries it lacks (or a MsgSnapshot when they are compacted)
     * and the current commit index.
     *
     * @return whether a message was sent
     */
    boolean sendAppend(long to) {
        throw new Todo("lab2aa", "Raft.sendAppend(long)");
    }

    /** Sends {@code to} a MsgHeartbeat. */
    void sendHeartbeat(long to) {
        throw new Todo("lab2aa", "Raft.sendHeartbeat(long)");
    }

    // ---- Membership (lab 3A) ----

    /** Adds node {@code id} to the group; adding a member again changes nothing. */
    void addNode(long id) {
        throw new Todo("lab3a", "Raft.addNode(long)");
    }

    /** Removes node {@code id} from the group; a leader may now be able to commit more. */
    void removeNode(long id) {
        throw new Todo("lab3a", "Raft.removeNode(long)");
    }
}
