package tinykv.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tinykv.labs.Points;
import tinykv.proto.eraftpb.HardState;
import tinykv.proto.eraftpb.Message;
import tinykv.proto.eraftpb.MessageType;

/**
 * Lab 2AC: what a Ready reports and what advance takes away, in a group of three, where a node has messages to
 * send and its state changes in steps. Found by mutation testing ({@code make mutation LAB=2ac}): a RawNode
 * that never reported its soft and hard state, or that sent its messages again after advance, passed every
 * other 2AC test. Our own tests, not TinyKV's.
 */
@Points(1)
@Tag("lab2ac")
@DisplayName("Lab 2AC: Ready reports changes, advance takes what was reported")
class RawNodeRules2ACTest extends RaftTestSupport {

    /**
     * A Ready carries the soft state (leader, role) and the hard state (term, vote, commit) only when they
     * changed since the last Ready the application advanced past.
     */
    @Test
    void readyReportsChanges2AC() {
        RawNode rawNode = new RawNode(newTestConfig(1, ids(1, 2, 3), 10, 1, new MemoryStorage()).build());

        rawNode.campaign();
        Ready campaigned = rawNode.ready();
        assertThat(campaigned.softState()).as("soft state in the Ready after node 1 campaigned")
                .contains(new SoftState(Raft.NONE, StateType.CANDIDATE));
        assertThat(campaigned.hardState()).as("hard state in the Ready after node 1 campaigned")
                .contains(HardState.newBuilder().setTerm(1).setVote(1).setCommit(0).build());
        rawNode.advance(campaigned);

        rawNode.step(message(MessageType.MsgRequestVoteResponse, 2, 1).setTerm(1).build());
        Ready won = rawNode.ready();
        assertThat(won.softState()).as("soft state in the Ready after node 2 granted its vote")
                .contains(new SoftState(1, StateType.LEADER));
        assertThat(won.hardState()).as("hard state in the Ready after winning (term, vote and commit unchanged "
                + "since the last Ready)").isEqualTo(Optional.empty());
    }

    /** advance(ready) takes away the messages that Ready carried: the next Ready does not send them again. */
    @Test
    void advanceTakesMessages2AC() {
        RawNode rawNode = new RawNode(newTestConfig(1, ids(1, 2, 3), 10, 1, new MemoryStorage()).build());
        rawNode.campaign();
        Ready campaigned = rawNode.ready();
        assertThat(campaigned.messages()).as("messages in the Ready after node 1 campaigned in a group of 3")
                .extracting(Message::getMsgType)
                .containsExactly(MessageType.MsgRequestVote, MessageType.MsgRequestVote);

        rawNode.advance(campaigned);

        assertThat(rawNode.ready().messages()).as("messages in the next Ready, after advancing past the two vote "
                + "requests").isEmpty();
        assertThat(rawNode.hasReady()).as("hasReady() after advancing past the only Ready there was").isFalse();
    }
}
