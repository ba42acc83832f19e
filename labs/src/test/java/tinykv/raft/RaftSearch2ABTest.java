package tinykv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static tinykv.raft.ScheduleScenarios.chaos;
import static tinykv.raft.ScheduleScenarios.replication;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tinykv.labs.Points;
import tinykv.labs.Seeds;
import tinykv.proto.eraftpb.MessageType;

/**
 * Lab 2AB under a hostile network: log replication while messages are delayed, reordered, duplicated
 * and lost, and leaders change. Random schedules and an exhaustive search over small ones check log
 * matching, leader completeness and state machine safety after every step. Our own tests, not TinyKV's.
 */
@Points(1)
@Tag("lab2ab")
@DisplayName("Lab 2AB: replication under any schedule")
class RaftSearch2ABTest extends RaftTestSupport {

    private static final List<String> PROPOSALS = IntStream.rangeClosed(1, 20).mapToObj(i -> "v" + i).toList();

    // ==== Random schedules ====

    /**
     * Thousands of random steps with 20 proposals along the way, then a healed network must elect a
     * leader and commit every proposal on every node (the client proposes again what a new leader lacks).
     */
    @ParameterizedTest(name = "{0} nodes")
    @ValueSource(ints = {3, 5})
    void randomScheduleReplication2AB(int nodes) {
        ScheduleScenarios.randomSchedulesPass(seed -> ScheduleSpec.of(nodes, seed).withTicks(2, 1),
                chaos(3_000, PROPOSALS));
    }

    // ==== Exhaustive search ====

    /** After node 1 wins term 1: every schedule of one proposal, with one duplicate and one heartbeat. */
    @Test
    void searchOneLeader2AB() {
        ScheduleSpec spec = replication(Seeds.current(), Raft::new);
        ScheduleSearch.Result result = ScheduleScenarios.searchPasses(
                spec, ScheduleScenarios.firstLeader(spec), ScheduleScenarios.ONE_LEADER);
        assertThat(result.mostCommitted()).as("highest commit index the search reached (%s); the noop and the"
                + " proposal can both be committed", result.summary()).isEqualTo(2);
    }

    /** After node 1 wins term 1: every schedule of up to 8 steps with two proposals and a new election. */
    @Test
    void searchLeaderChange2AB() {
        ScheduleSpec spec = replication(Seeds.current(), Raft::new);
        ScheduleScenarios.searchPasses(spec, ScheduleScenarios.firstLeader(spec), ScheduleScenarios.LEADER_CHANGE);
    }

    // ==== Responses at other terms ====

    /**
     * An append response from an earlier term says what the follower held then, not now: a leader of term
     * 3 that led term 1 too ignores it, so neither the follower's match index nor the commit index moves.
     */
    @Test
    void staleAppendResponse2AB() {
        Raft node = newTestRaft(1, ids(1, 2, 3), 10, 1, new MemoryStorage());
        node.becomeCandidate();
        node.becomeLeader();
        node.step(propose(1, 1, "term 1"));
        node.becomeFollower(2, Raft.NONE);
        node.becomeCandidate();
        node.becomeLeader();
        readMessages(node);
        long match = node.prs.get(2L).match;
        long committed = node.raftLog.committed;
        long last = node.raftLog.lastIndex();

        node.step(message(MessageType.MsgAppendResponse, 2, 1).setTerm(1).setIndex(last).build());

        assertThat(node.prs.get(2L).match).as("node 2's match index at leader 1 (term 3) after an append"
                + " response of term 1 for index %d", last).isEqualTo(match);
        assertThat(node.raftLog.committed).as("leader 1's commit index after that stale response")
                .isEqualTo(committed);
    }
}
