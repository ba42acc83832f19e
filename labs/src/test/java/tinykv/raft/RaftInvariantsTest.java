package tinykv.raft;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tinykv.proto.eraftpb.Message;

/** The harness's invariant checks fire on the states they forbid, and only on those. Needs working nodes. */
@Tag("kit")
@DisplayName("Kit: the test network's Raft invariants")
@EnabledIfSystemProperty(named = "tinykv.impl", matches = "reference")
class RaftInvariantsTest extends RaftTestSupport {
    private final RaftInvariants invariants = new RaftInvariants();
    private final Message cause = hup(1);

    private Raft leaderOfTerm1(long id) {
        Raft node = newTestRaft(id, ids(1, 2, 3), 10, 1, new MemoryStorage());
        node.becomeCandidate();
        node.becomeLeader();
        return node;
    }

    @Test
    @DisplayName("two leaders of one term break election safety")
    void twoLeadersInOneTerm() {
        invariants.check(leaderOfTerm1(1), 1, cause);
        assertThatThrownBy(() -> invariants.check(leaderOfTerm1(2), 2, cause))
                .hasMessageContaining("election safety")
                .hasMessageContaining("nodes 1 and 2 both became leader of term 1")
                .hasMessageContaining("delivery #2");
    }

    @Test
    @DisplayName("a commit index that moves back is caught")
    void commitGoingBack() {
        Raft node = leaderOfTerm1(1);
        node.raftLog.committed = 1;
        invariants.check(node, 1, cause);
        node.raftLog.committed = 0;
        assertThatThrownBy(() -> invariants.check(node, 2, cause))
                .hasMessageContaining("commit never goes back")
                .hasMessageContaining("went back from 1 to 0");
    }

    @Test
    @DisplayName("committing beyond the last index is caught")
    void commitBeyondTheLog() {
        Raft node = leaderOfTerm1(1);
        node.raftLog.committed = node.raftLog.lastIndex() + 1;
        assertThatThrownBy(() -> invariants.check(node, 1, cause)).hasMessageContaining("commit within the log");
    }

    @Test
    @DisplayName("a healthy leader and followers pass")
    void healthyNodesPass() {
        Raft leader = leaderOfTerm1(1);
        Raft follower = newTestRaft(2, ids(1, 2, 3), 10, 1, new MemoryStorage());
        follower.becomeFollower(1, 1);
        assertThatCode(() -> {
            invariants.check(leader, 1, cause);
            invariants.check(follower, 2, cause);
            invariants.check(leader, 3, cause);
        }).doesNotThrowAnyException();
    }
}
