package tinykv.raft;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tinykv.labs.Hidden;
import tinykv.labs.Points;

/**
 * Instructor-only tests of lab 2AA: they run in grading, are left out of the student kit, and their
 * scores show after the due date. Keep hidden tests in this source tree ({@code labs/src/hidden/java}).
 */
@Hidden
@Points(1)
@Tag("lab2aa")
@DisplayName("Lab 2AA (hidden): leader election")
class RaftHidden2AATest extends RaftTestSupport {

    /** In a five-node group every node in turn can win an election, each in a newer term (Raft §5.2). */
    @Test
    void leaderCycleFiveNodesHidden2AA() {
        RaftNetwork network = newNetwork(fresh(), fresh(), fresh(), fresh(), fresh());
        for (long campaigner = 1; campaigner <= 5; campaigner++) {
            network.send(hup(campaigner));

            assertThat(network.raft(campaigner).state)
                    .as("role of node %d after it campaigned", campaigner)
                    .isEqualTo(StateType.LEADER);
            assertThat(network.raft(campaigner).term)
                    .as("term of node %d after the %d-th election", campaigner, campaigner)
                    .isEqualTo(campaigner);
        }
    }
}
