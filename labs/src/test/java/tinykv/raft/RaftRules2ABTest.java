package tinykv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tinykv.labs.Points;
import tinykv.proto.eraftpb.Message;
import tinykv.proto.eraftpb.MessageType;

/**
 * Lab 2AB: rules of the handout that no TinyKV test checks, each found by mutation testing
 * ({@code make mutation LAB=2ab}): a bug that breaks one passed every other 2AB test. Our own tests, not
 * TinyKV's.
 */
@Points(1)
@Tag("lab2ab")
@DisplayName("Lab 2AB: rules the TinyKV tests leave open")
class RaftRules2ABTest extends RaftTestSupport {

    /**
     * A heartbeat response tells the leader whether that follower is behind: a follower that holds every entry
     * but reports an older commit (it missed the MsgAppend that announced the commit) gets a MsgAppend with the
     * leader's commit; one that holds every entry and the commit gets nothing (the handout's rule 8).
     */
    @ParameterizedTest(name = "follower reports commit {0}")
    @CsvSource({"0, true", "1, false"})
    void heartbeatResponseCommit2AB(long followerCommit, boolean wantAppend) {
        Raft leader = newTestRaft(1, ids(1, 2, 3), 10, 1, new MemoryStorage());
        leader.becomeCandidate();
        leader.becomeLeader();
        leader.step(message(MessageType.MsgAppendResponse, 2, 1).setTerm(1).setIndex(1).build());
        assertThat(leader.raftLog.committed).as("leader's commit once node 2 holds its noop entry 1").isEqualTo(1);
        readMessages(leader);

        leader.step(message(MessageType.MsgHeartbeatResponse, 2, 1).setTerm(1).setCommit(followerCommit).build());

        var sent = assertThat(readMessages(leader)).as("what the leader (commit 1) sent after node 2, which holds "
                + "entry 1, answered a heartbeat with commit %d", followerCommit)
                .extracting(Message::getMsgType, Message::getTo, Message::getCommit);
        if (wantAppend) {
            sent.containsExactly(tuple(MessageType.MsgAppend, 2L, 1L));
        } else {
            sent.isEmpty();
        }
    }
}
