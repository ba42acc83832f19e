package tinykv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tinykv.labs.Points;
import tinykv.proto.eraftpb.HardState;
import tinykv.proto.eraftpb.Message;
import tinykv.proto.eraftpb.MessageType;

/**
 * Lab 2AA: rules of the handout that no TinyKV test checks, each found by mutation testing
 * ({@code make mutation LAB=2aa}): a bug that breaks one passed every other 2AA test. Our own tests, not
 * TinyKV's.
 */
@Points(1)
@Tag("lab2aa")
@DisplayName("Lab 2AA: rules the TinyKV tests leave open")
class RaftRules2AATest extends RaftTestSupport {

    /**
     * A node draws its first election timeout when it is built, from {@code [electionTick, 2 * electionTick)}
     * (Raft §5.2): a new or restarted follower waits at least {@code electionTick} ticks before it campaigns,
     * and at most {@code 2 * electionTick - 1}. A node built without drawing one campaigns at its first tick.
     */
    @ParameterizedTest(name = "stored term {0}")
    @ValueSource(longs = {0, 5})
    void firstElectionTimeout2AA(long storedTerm) {
        int electionTick = 10;
        MemoryStorage storage = new MemoryStorage();
        storage.setHardState(HardState.newBuilder().setTerm(storedTerm).build());
        Raft node = newTestRaft(1, ids(1, 2, 3), electionTick, 1, storage);

        int ticks = tickUntil(node, () -> node.state == StateType.CANDIDATE, 2 * electionTick,
                "its first election (a new node campaigns within 2 * electionTick - 1 ticks)");

        assertThat(ticks).as("ticks a node built at term %d waited before its first election (electionTick %d)",
                storedTerm, electionTick).isBetween(electionTick, 2 * electionTick - 1);
        assertThat(node.term).as("term of its first election").isEqualTo(storedTerm + 1);
    }

    /**
     * A restarted node takes the applied index from its config when there is one ({@code config.applied() > 0}),
     * else it starts at the storage's first index - 1, what its snapshot covers: entries 1 to 5 were compacted
     * into a snapshot, so they were applied, whatever the config says.
     */
    @ParameterizedTest(name = "config.applied() = {0}")
    @CsvSource({"0, 5", "6, 6"})
    void restartApplied2AA(long configApplied, long wantApplied) {
        MemoryStorage storage = new MemoryStorage();
        storage.append(List.of(entry(1, 1), entry(2, 1), entry(3, 1), entry(4, 1), entry(5, 1), entry(6, 1)));
        storage.compact(5);
        storage.setHardState(HardState.newBuilder().setTerm(1).setCommit(6).build());

        Raft node = new Raft(newTestConfig(1, ids(1, 2, 3), 10, 1, storage).applied(configApplied).build());

        assertThat(node.raftLog.applied).as("applied index of a node restarted over a snapshot of index 5 and "
                + "entry 6, with config.applied() = %d", configApplied).isEqualTo(wantApplied);
        assertThat(node.raftLog.committed).as("committed index restored from the hard state").isEqualTo(6);
    }

    /**
     * A node answers an append or a heartbeat of an older term with its own, newer term, so that the stale
     * leader learns it has been deposed (Raft §5.1; the handout's rule 8). Ignoring the message keeps the old
     * leader in office until it hears the new term some other way.
     */
    @ParameterizedTest(name = "{0} of term 1, answered with {1}")
    @CsvSource({"MsgAppend, MsgAppendResponse", "MsgHeartbeat, MsgHeartbeatResponse"})
    void staleLeaderAnswered2AA(MessageType stale, MessageType answer) {
        Raft node = newTestRaft(2, ids(1, 2, 3), 10, 1, new MemoryStorage());
        node.becomeFollower(3, Raft.NONE);

        node.step(message(stale, 1, 2).setTerm(1).build());

        assertThat(readMessages(node)).as("what a follower of term 3 sent after a %s of term 1 from node 1", stale)
                .extracting(Message::getMsgType, Message::getTo, Message::getTerm)
                .containsExactly(tuple(answer, 1L, 3L));
        assertThat(node.term).as("term after a stale %s", stale).isEqualTo(3);
    }

    /**
     * A candidate that hears from the leader of its own term concedes and then handles the message as that
     * leader's follower (Raft §5.2): it answers it. Conceding and dropping the message loses the leader's
     * heartbeat (or entries) for a round.
     */
    @ParameterizedTest(name = "{0}, answered with {1}")
    @CsvSource({"MsgHeartbeat, MsgHeartbeatResponse", "MsgAppend, MsgAppendResponse"})
    void candidateAnswersLeader2AA(MessageType fromLeader, MessageType answer) {
        Raft node = newTestRaft(1, ids(1, 2, 3), 10, 1, new MemoryStorage());
        node.becomeCandidate();
        readMessages(node);

        node.step(message(fromLeader, 2, 1).setTerm(node.term).build());

        assertThat(node.state).as("role of a candidate of term 1 after a %s of term 1", fromLeader)
                .isEqualTo(StateType.FOLLOWER);
        assertThat(node.lead).as("leader known after a %s of term 1 from node 2", fromLeader).isEqualTo(2);
        assertThat(readMessages(node)).as("what the former candidate sent after node 2's %s", fromLeader)
                .extracting(Message::getMsgType, Message::getTo, Message::getTerm)
                .containsExactly(tuple(answer, 2L, 1L));
    }
}
