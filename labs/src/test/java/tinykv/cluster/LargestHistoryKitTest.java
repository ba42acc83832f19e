package tinykv.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static tinykv.cluster.GenericTest.Option.CRASH;

import java.util.Locale;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tinykv.history.CheckResult;
import tinykv.history.KvInput;
import tinykv.history.KvOutput;
import tinykv.history.LinearizabilityChecker;
import tinykv.history.Recordings;
import tinykv.history.RunRecord;
import tinykv.sim.Simulator;

/**
 * The largest history of the kit's cluster tests, 20 clients for three rounds with restarts (2C's
 * {@code snapshotRecoverManyClients2C}, seed 1), is decided well within the checker's step budget. Prints its
 * size and the check's wall time, for the record; nothing is asserted on time. Runs against the reference.
 */
@Tag("kit")
@EnabledIfSystemProperty(named = "tinykv.impl", matches = "reference")
@DisplayName("Kit: the largest cluster history is checked within budget")
class LargestHistoryKitTest {

    @Test
    @DisplayName("20 clients, three rounds with restarts: linearizable, in under a hundredth of the step budget")
    void largestHistoryWithinBudget() {
        Recordings.takeAll();
        GenericTest.clients(20).with(CRASH).maxRaftLog(100).run("largestHistoryWithinBudget", new Simulator(1));
        RunRecord run = Recordings.takeAll().get(0);
        CheckResult<KvInput, KvOutput> result = run.result();
        System.out.println(String.format(Locale.ROOT, "[largest history] %d operations, %d parts, largest part %d, "
                + "%d steps of %d, %.1f ms", result.operations(), result.parts(), result.largestPart(), result.steps(),
                LinearizabilityChecker.DEFAULT_STEP_BUDGET, run.checkNanos() / 1e6));
        assertThat(result.isLinearizable()).isTrue();
        assertThat(result.operations()).as("a history of this size").isGreaterThan(10_000);
        assertThat(result.steps()).isLessThan(LinearizabilityChecker.DEFAULT_STEP_BUDGET / 100);
    }
}
