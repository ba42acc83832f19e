package tinykv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tinykv.proto.eraftpb.HardState;

/** The restart rules: each broken one is named with its values; a state written in the right order passes. */
@DisplayName("RestartState refuses a persisted state written in the wrong order, naming the values")
class RestartStateTest {

    record Case(String name, long term, long commit, long lastIndex, long lastTerm, long applied, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> broken() {
        return List.of(
                new Case("applied above commit", 6, 7, 9, 6, 8, "the applied index 8 is above the commit index 7"),
                new Case("commit above the last index", 6, 10, 9, 6, 8, "the commit index 10 is above the last index 9"),
                new Case("hard state term below the last entry's", 5, 7, 9, 6, 7,
                        "the hard state's term 5 is below the term 6 of the last entry (index 9)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void brokenStateIsRefused(Case c) {
        HardState hardState = HardState.newBuilder().setTerm(c.term()).setCommit(c.commit()).build();
        assertThat(RestartState.problem(hardState, c.lastIndex(), c.lastTerm(), c.applied())).hasValueSatisfying(
                problem -> assertThat(problem).contains(c.expected()));
        assertThatThrownBy(() -> RestartState.check("region 1 peer 2", hardState, c.lastIndex(), c.lastTerm(),
                c.applied())).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("region 1 peer 2: cannot restart from the persisted state: " + c.expected());
    }

    @Test
    @DisplayName("a consistent state, and a new peer's empty one, pass")
    void consistentStatesPass() {
        HardState hardState = HardState.newBuilder().setTerm(7).setVote(3).setCommit(9).build();
        assertThatCode(() -> RestartState.check("peer", hardState, 12, 7, 9)).doesNotThrowAnyException();
        assertThat(RestartState.problem(HardState.getDefaultInstance(), 0, 0, 0)).isEmpty();
    }
}
