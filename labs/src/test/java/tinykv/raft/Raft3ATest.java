package tinykv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tinykv.labs.Points;
import tinykv.proto.eraftpb.ConfChange;
import tinykv.proto.eraftpb.ConfChangeType;
import tinykv.proto.eraftpb.Entry;
import tinykv.proto.eraftpb.EntryType;
import tinykv.proto.eraftpb.Message;
import tinykv.proto.eraftpb.MessageType;

/** Lab 3A: adding and removing nodes, and leadership transfer (Raft thesis §3.10, §4.1). */
@Points(1)
@Tag("lab3a")
@DisplayName("3A membership and leader transfer")
class Raft3ATest extends RaftTestSupport {

    // ---- Membership ----

    /** addNode makes the new node a member. */
    @Test
    void addNode3A() {
        Raft r = newTestRaft(1, ids(1), 10, 1, new MemoryStorage());
        r.addNode(2);
        assertThat(r.prs.keySet()).as("node 1's members after addNode(2) on group {1}").containsExactly(1L, 2L);
    }

    /** removeNode takes the node out of the members, down to none at all. */
    @Test
    void removeNode3A() {
        Raft r = newTestRaft(1, ids(1, 2), 10, 1, new MemoryStorage());
        r.removeNode(2);
        assertThat(r.prs.keySet()).as("node 1's members after removeNode(2) on group {1, 2}").containsExactly(1L);

        r.removeNode(1);
        assertThat(r.prs.keySet()).as("node 1's members after then removing itself too").isEmpty();
    }

    /** Removing a node lowers the quorum: the leader commits what was waiting for that node (thesis §4.1). */
    @Test
    void commitAfterRemoveNode3A() {
        MemoryStorage storage = new MemoryStorage();
        Raft r = newTestRaft(1, ids(1, 2), 5, 1, storage);
        r.becomeCandidate();
        r.becomeLeader();

        r.step(LocalMessages.proposeConfChange(
                ConfChange.newBuilder().setChangeType(ConfChangeType.RemoveNode).setNodeId(2).build()));
        assertThat(nextEnts(r, storage))
                .as("entries committed by leader 1 of {1, 2} before node 2 acknowledged anything")
                .isEmpty();
        long ccIndex = r.raftLog.lastIndex();

        // A second proposal while the conf change is still pending.
        r.step(LocalMessages.propose(1, "hello".getBytes(StandardCharsets.UTF_8)));
        // Node 2 acknowledges everything up to the conf change, which commits it (and the noop before it).
        r.step(message(MessageType.MsgAppendResponse, 2, 1).setIndex(ccIndex).setTerm(r.term).build());

        List<Entry> committed = nextEnts(r, storage);
        assertThat(committed)
                .as("types of the entries committed once node 2 acknowledged up to the conf change at %d", ccIndex)
                .extracting(Entry::getEntryType)
                .containsExactly(EntryType.EntryNormal, EntryType.EntryConfChange);
        assertThat(committed.get(0).getData()).as("data of the leader's noop entry").isEqualTo(ByteString.EMPTY);

        // Applying the removal leaves node 1 alone, a quorum by itself for the pending "hello".
        r.removeNode(2);
        committed = nextEnts(r, storage);
        assertThat(committed)
                .as("entries committed after the removal of node 2 was applied")
                .extracting(Entry::getEntryType, e -> e.getData().toStringUtf8())
                .containsExactly(tuple(EntryType.EntryNormal, "hello"));
    }

    /** A node removed from the group ignores MsgTimeoutNow: it must not campaign nor become leader. */
    @Test
    void transferNonMember3A() {
        Raft r = newTestRaft(1, ids(2, 3, 4), 5, 1, new MemoryStorage());
        r.step(message(MessageType.MsgTimeoutNow, 2, 1).setTerm(r.term).build());
        r.step(message(MessageType.MsgRequestVoteResponse, 2, 1).setTerm(r.term).build());
        r.step(message(MessageType.MsgRequestVoteResponse, 3, 1).setTerm(r.term).build());

        assertThat(r.state)
                .as("role of node 1, not a member of {2, 3, 4}, after a MsgTimeoutNow and two granted votes")
                .isEqualTo(StateType.FOLLOWER);
    }

    // ---- Leader transfer (thesis §3.10) ----

    /** Leadership moves to a transferee that is up to date, and back again after more replication. */
    @Test
    void leaderTransferToUpToDateNode3A() {
        transferToUpToDateNodeAndBack(false);
    }

    /** Like the test above, but each MsgTransferLeader goes to the transferee, a follower, which passes it on. */
    @Test
    void leaderTransferToUpToDateNodeFromFollower3A() {
        transferToUpToDateNodeAndBack(true);
    }

    /**
     * Node 1 leads; leadership goes to node 2, some replication happens, and leadership comes back to 1.
     *
     * @param askTransferee whether each MsgTransferLeader is delivered to the transferee (a follower, which
     *     must forward it) rather than to the current leader
     */
    private void transferToUpToDateNodeAndBack(boolean askTransferee) {
        RaftNetwork nt = electedNetwork();
        Raft lead = nt.raft(1);
        assertThat(lead.lead).as("node 1's leader after it won the election").isEqualTo(1);

        long firstReceiver = askTransferee ? 2 : 1;
        nt.send(transferLeader(2, firstReceiver));
        checkLeaderTransferState("node " + firstReceiver + " was asked to make 2 the leader",
                lead, StateType.FOLLOWER, 2);

        // Differs from TinyKV: it proposes to node 1, a follower by now, which drops the proposal, so nothing
        // is replicated. The proposal goes to the current leader, node 2, as the comment there intends.
        nt.send(emptyProposal(2));
        long secondReceiver = askTransferee ? 1 : 2;
        nt.send(transferLeader(1, secondReceiver));
        checkLeaderTransferState("node " + secondReceiver + " was asked to make 1 the leader again",
                lead, StateType.LEADER, 1);
    }

    /** A leader first brings a lagging transferee up to date, then hands it leadership. */
    @Test
    void leaderTransferToSlowFollower3A() {
        RaftNetwork nt = electedNetwork();
        nt.isolate(3);
        nt.send(emptyProposal(1));
        nt.recover();
        Raft lead = nt.raft(1);
        assertThat(lead.prs.get(3L).match).as("leader 1's match index for node 3, isolated since entry 1").isEqualTo(1);

        nt.send(transferLeader(3, 1));
        checkLeaderTransferState("leader 1 was asked to transfer to lagging node 3", lead, StateType.FOLLOWER, 3);
    }

    /** A transferee that needs a snapshot to catch up gets one, and then leadership. */
    @Test
    void leaderTransferAfterSnapshot3A() {
        RaftNetwork nt = electedNetwork();
        nt.isolate(3);
        nt.send(emptyProposal(1));
        Raft lead = nt.raft(1);
        applySnapshotAndCompact(nt, 1);
        nt.recover();
        assertThat(lead.prs.get(3L).match).as("leader 1's match index for node 3, isolated since entry 1").isEqualTo(1);

        nt.send(transferLeader(3, 1));
        // A heartbeat response from node 3 makes the leader send it the snapshot it lacks.
        nt.send(message(MessageType.MsgHeartbeatResponse, 3, 1).setTerm(lead.term).build());
        checkLeaderTransferState("leader 1 was asked to transfer to node 3, which needs a snapshot",
                lead, StateType.FOLLOWER, 3);
    }

    /** A leader asked to transfer leadership to itself does nothing. */
    @Test
    void leaderTransferToSelf3A() {
        RaftNetwork nt = electedNetwork();
        Raft lead = nt.raft(1);
        nt.send(transferLeader(1, 1));
        checkLeaderTransferState("leader 1 was asked to transfer to itself", lead, StateType.LEADER, 1);
    }

    /** A leader asked to transfer leadership to a node outside the group does nothing. */
    @Test
    void leaderTransferToNonExistingNode3A() {
        RaftNetwork nt = electedNetwork();
        Raft lead = nt.raft(1);
        nt.send(transferLeader(4, 1));
        checkLeaderTransferState("leader 1 of {1, 2, 3} was asked to transfer to node 4", lead, StateType.LEADER, 1);
    }

    /** A leader with a transfer pending still steps down for a candidate of a higher term (Raft §5.1). */
    @Test
    void leaderTransferReceiveHigherTermVote3A() {
        RaftNetwork nt = electedNetwork();
        nt.isolate(3);
        Raft lead = nt.raft(1);

        nt.send(transferLeader(3, 1)); // stays pending: node 3 is unreachable
        // Differs from TinyKV: its MsgHup carries index 1 and term 2; a local message carries no term.
        nt.send(hup(2));
        checkLeaderTransferState("node 2 campaigned while leader 1's transfer to isolated node 3 was pending",
                lead, StateType.FOLLOWER, 2);
    }

    /** A leader does not transfer leadership to a node it has removed. */
    @Test
    void leaderTransferRemoveNode3A() {
        RaftNetwork nt = electedNetwork();
        Raft lead = nt.raft(1);
        lead.removeNode(3);

        nt.send(transferLeader(3, 1));
        checkLeaderTransferState("leader 1 was asked to transfer to node 3, which it had removed",
                lead, StateType.LEADER, 1);
    }

    /** A leader whose transfer is still pending can be asked to keep leadership after all. */
    @Test
    void leaderTransferBack3A() {
        RaftNetwork nt = electedNetwork();
        nt.isolate(3);
        Raft lead = nt.raft(1);

        nt.send(transferLeader(3, 1)); // stays pending: node 3 is unreachable
        nt.send(transferLeader(1, 1));
        checkLeaderTransferState("leader 1 was asked to transfer to isolated node 3, then to itself",
                lead, StateType.LEADER, 1);
        // Differs from TinyKV: it does not check that the pending transfer was cancelled.
        assertThat(lead.leadTransferee)
                .as("leader 1's leadTransferee after the transfer to node 3 was called off")
                .isEqualTo(Raft.NONE);
    }

    /** A leader whose transfer is still pending can be asked to transfer to another node instead. */
    @Test
    void leaderTransferSecondTransferToAnotherNode3A() {
        RaftNetwork nt = electedNetwork();
        nt.isolate(3);
        Raft lead = nt.raft(1);

        nt.send(transferLeader(3, 1)); // stays pending: node 3 is unreachable
        nt.send(transferLeader(2, 1));
        checkLeaderTransferState("leader 1 was asked to transfer to isolated node 3, then to node 2",
                lead, StateType.FOLLOWER, 2);
    }

    // ---- helpers ----

    /** Three fresh nodes, with node 1 elected leader. */
    private RaftNetwork electedNetwork() {
        RaftNetwork nt = newNetwork(fresh(), fresh(), fresh());
        nt.send(hup(1));
        return nt;
    }

    /** A request, delivered to node {@code to}, to make {@code transferee} the leader. */
    private static Message transferLeader(long transferee, long to) {
        return message(MessageType.MsgTransferLeader, transferee, to).build();
    }

    private static void checkLeaderTransferState(String after, Raft r, StateType state, long lead) {
        assertThat(r.state).as("node %d's role after %s", r.id, after).isEqualTo(state);
        assertThat(r.lead).as("node %d's leader after %s", r.id, after).isEqualTo(lead);
    }

}
