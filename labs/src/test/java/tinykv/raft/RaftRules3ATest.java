package tinykv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tinykv.labs.Points;
import tinykv.proto.eraftpb.Message;
import tinykv.proto.eraftpb.MessageType;

/**
 * Lab 3A: rules of the handout that no TinyKV test checks, each found by mutation testing
 * ({@code make mutation LAB=3a}): a bug that breaks one passed every other 3A test. Our own tests, not
 * TinyKV's.
 */
@Points(1)
@Tag("lab3a")
@DisplayName("Lab 3A: rules the TinyKV tests leave open")
class RaftRules3ATest extends RaftTestSupport {
    private static final int ELECTION_TICK = 10;

    /**
     * A transfer that does not finish within an election timeout is abandoned (Raft thesis §3.10): the leader
     * counts its ticks from the request, and after {@code electionTick} of them takes proposals again. Until
     * then it refuses them. Without the abandon, a leader whose transferee crashed refuses proposals forever.
     */
    @Test
    void transferAbandoned3A() {
        Raft leader = leaderOf(ids(1, 2, 3));
        leader.step(message(MessageType.MsgTransferLeader, 3, 1).build());
        assertThat(leader.leadTransferee).as("transferee after node 3 asked for leadership").isEqualTo(3);

        for (int tick = 1; tick < ELECTION_TICK; tick++) {
            leader.tick();
        }
        assertThat(leader.leadTransferee).as("transferee %d ticks after the request (electionTick %d)",
                ELECTION_TICK - 1, ELECTION_TICK).isEqualTo(3);
        assertThatThrownBy(() -> leader.step(emptyProposal(1)))
                .as("a proposal while the transfer to node 3 is under way")
                .isInstanceOf(RaftException.ProposalDropped.class);

        leader.tick();

        assertThat(leader.leadTransferee).as("transferee %d ticks after the request: the transfer is abandoned",
                ELECTION_TICK).isEqualTo(Raft.NONE);
        long last = leader.raftLog.lastIndex();
        leader.step(emptyProposal(1));
        assertThat(leader.raftLog.lastIndex()).as("leader's last index after a proposal, once the transfer was "
                + "abandoned").isEqualTo(last + 1);
    }

    /** Removing the transferee calls the transfer off: the leader takes proposals again at once. */
    @Test
    void removeTransferee3A() {
        Raft leader = leaderOf(ids(1, 2, 3));
        leader.step(message(MessageType.MsgTransferLeader, 3, 1).build());

        leader.removeNode(3);

        assertThat(leader.leadTransferee).as("transferee after node 3, the transferee, was removed")
                .isEqualTo(Raft.NONE);
        long last = leader.raftLog.lastIndex();
        leader.step(emptyProposal(1));
        assertThat(leader.raftLog.lastIndex()).as("leader's last index after a proposal, once the transferee was "
                + "removed").isEqualTo(last + 1);
    }

    /**
     * When a removal lets the leader commit (a smaller quorum), it tells the remaining followers the new commit
     * index at once, with a MsgAppend each, as whenever its commit moves (lab 2AB).
     */
    @Test
    void removalCommitAnnounced3A() {
        Raft leader = leaderOf(ids(1, 2, 3, 4));
        leader.step(message(MessageType.MsgAppendResponse, 2, 1).setTerm(1).setIndex(1).build());
        assertThat(leader.raftLog.committed).as("commit of leader 1 of {1, 2, 3, 4} when only node 2 holds entry 1")
                .isEqualTo(0);
        readMessages(leader);

        leader.removeNode(4);

        assertThat(leader.raftLog.committed).as("commit once node 4 was removed (nodes 1 and 2 are a quorum of 3)")
                .isEqualTo(1);
        assertThat(sortedByReceiver(readMessages(leader))).as("what the leader sent when its commit moved to 1")
                .extracting(Message::getMsgType, Message::getTo, Message::getCommit)
                .containsExactly(tuple(MessageType.MsgAppend, 2L, 1L), tuple(MessageType.MsgAppend, 3L, 1L));
    }

    /** The leader of term 1 of these members, with its noop entry 1 in its log and its first appends taken. */
    private Raft leaderOf(List<Long> members) {
        Raft leader = newTestRaft(1, members, ELECTION_TICK, 1, new MemoryStorage());
        leader.becomeCandidate();
        leader.becomeLeader();
        readMessages(leader);
        return leader;
    }
}
