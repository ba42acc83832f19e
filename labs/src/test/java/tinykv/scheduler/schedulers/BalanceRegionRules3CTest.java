package tinykv.scheduler.schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static tinykv.scheduler.OperatorChecks.checkTransferPeerWithLeaderTransfer;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tinykv.labs.Points;
import tinykv.labs.Seeds;
import tinykv.scheduler.MockCluster;
import tinykv.scheduler.operator.OpKind;
import tinykv.scheduler.schedule.OperatorController;

/**
 * Lab 3C: the edge of the balance-region rule, found by mutation testing ({@code make mutation LAB=3c}): a
 * scheduler that also moved at a difference of exactly twice the region's size passed every other 3C test.
 * Our own test, not TinyKV's.
 */
@Points(1)
@Tag("lab3c")
@DisplayName("Lab 3C: the balance-region rule at its edge")
class BalanceRegionRules3CTest {

    private final MockCluster cluster = new MockCluster(Seeds.rootRandom());
    private final BalanceRegionScheduler scheduler = new BalanceRegionScheduler(new OperatorController(cluster));

    /**
     * A move is worth it only if the source's region size exceeds the target's by more than twice the region's
     * size: at exactly twice, the move would only swap the two stores' sizes, and the next round would move the
     * region back.
     */
    @Test
    void moveOnlyAboveTwiceTheSize3C() {
        cluster.setMaxReplicas(1);
        cluster.addRegionStore(1, 4);
        cluster.addRegionStore(2, 2);
        cluster.addLeaderRegion(1, 1);

        assertThat(scheduler.schedule(cluster)).as("operator for region 1 (size %d) from store 1 (size 40) to store "
                + "2 (size 20): a difference of exactly twice the region's size", MockCluster.REGION_SIZE).isEmpty();

        cluster.updateRegionCount(2, 1);
        checkTransferPeerWithLeaderTransfer(scheduler.schedule(cluster), OpKind.BALANCE, 1, 2);
    }
}
