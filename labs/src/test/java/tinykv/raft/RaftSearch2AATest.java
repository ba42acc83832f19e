package tinykv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static tinykv.raft.ScheduleScenarios.chaos;
import static tinykv.raft.ScheduleScenarios.elections;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tinykv.labs.Points;
import tinykv.labs.Seeds;
import tinykv.proto.eraftpb.MessageType;

/**
 * Lab 2AA under a hostile network: messages delayed, reordered, duplicated and lost. Random schedules
 * and an exhaustive search over small ones check Raft's safety after every step, and directed tests pin
 * down the term rules for responses that such schedules produce. Our own tests, not TinyKV's.
 */
@Points(1)
@Tag("lab2aa")
@DisplayName("Lab 2AA: elections under any schedule")
class RaftSearch2AATest extends RaftTestSupport {

    // ==== Random schedules ====

    /**
     * Thousands of random steps (any message in flight may go next, duplicates and drops, ticks), then
     * a healed network must elect a leader that every node follows.
     */
    @ParameterizedTest(name = "{0} nodes")
    @ValueSource(ints = {3, 5})
    void randomScheduleElection2AA(int nodes) {
        ScheduleScenarios.randomSchedulesPass(
                seed -> ScheduleSpec.of(nodes, seed).withTicks(2, 1).losing(MessageType.MsgAppend),
                chaos(3_000, List.of()));
    }

    // ==== Exhaustive search ====

    /** Every schedule in which each node may campaign once (term 1), with one duplicate and one heartbeat. */
    @Test
    void searchOneElection2AA() {
        ScheduleScenarios.searchPasses(elections(Seeds.current(), Raft::new), List.of(), ScheduleScenarios.ONE_ELECTION);
    }

    /** Every schedule of up to 8 steps in which nodes campaign up to term 2, messages in any order. */
    @Test
    void searchTwoElections2AA() {
        ScheduleScenarios.searchPasses(elections(Seeds.current(), Raft::new), List.of(), ScheduleScenarios.TWO_ELECTIONS);
    }

    // ==== Responses at other terms ====

    /**
     * Any response of a higher term, even a granted vote, turns a candidate or a leader into a follower
     * of that term that knows no leader: the term rule comes before the message (Raft §5.1).
     */
    @ParameterizedTest(name = "{0} gets a {1} of a higher term")
    @CsvSource({
        "CANDIDATE, MsgRequestVoteResponse", "CANDIDATE, MsgAppendResponse", "CANDIDATE, MsgHeartbeatResponse",
        "LEADER, MsgRequestVoteResponse", "LEADER, MsgAppendResponse", "LEADER, MsgHeartbeatResponse"
    })
    void higherTermResponse2AA(StateType role, MessageType response) {
        Raft node = newTestRaft(1, ids(1, 2, 3), 10, 1, new MemoryStorage());
        node.becomeCandidate();
        if (role == StateType.LEADER) {
            node.becomeLeader();
        }
        readMessages(node);
        long newer = node.term + 1;

        node.step(message(response, 2, 1).setTerm(newer).build());

        assertThat(node.state).as("role of a %s of term %d after a %s of term %d", role, newer - 1, response, newer)
                .isEqualTo(StateType.FOLLOWER);
        assertThat(node.term).as("term after a %s of term %d", response, newer).isEqualTo(newer);
        assertThat(node.lead).as("leader known after a %s of term %d (a response does not come from a leader)",
                response, newer).isEqualTo(Raft.NONE);
    }

    /**
     * A vote answered in an earlier election counts for nothing in this one: a candidate of term 2 that
     * gets two answers of term 1 is still a candidate, with only its own vote (Raft §5.1, §5.2).
     */
    @ParameterizedTest(name = "two stale votes, granted: {0}")
    @ValueSource(booleans = {true, false})
    void staleVoteResponse2AA(boolean granted) {
        Raft node = newTestRaft(1, ids(1, 2, 3), 10, 1, new MemoryStorage());
        node.becomeCandidate();
        node.becomeCandidate();
        readMessages(node);

        for (long voter : ids(2, 3)) {
            node.step(message(MessageType.MsgRequestVoteResponse, voter, 1).setTerm(1).setReject(!granted).build());
        }

        assertThat(node.state).as("role of a candidate of term 2 after two %s votes of term 1",
                granted ? "granted" : "rejected").isEqualTo(StateType.CANDIDATE);
        assertThat(node.term).as("term after the stale votes").isEqualTo(2);
        assertThat(node.votes).as("the votes counted in the election of term 2").isEqualTo(Map.of(1L, true));
    }
}
