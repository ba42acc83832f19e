package tinykv.scheduler.schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static tinykv.scheduler.OperatorChecks.checkTransferPeer;
import static tinykv.scheduler.OperatorChecks.checkTransferPeerWithLeaderTransfer;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tinykv.labs.Points;
import tinykv.labs.Seeds;
import tinykv.scheduler.MockCluster;
import tinykv.scheduler.core.RegionInfo;
import tinykv.scheduler.operator.OpKind;
import tinykv.scheduler.operator.Operator;
import tinykv.scheduler.schedule.OperatorController;

/**
 * Lab 3C: {@link BalanceRegionScheduler#schedule} on a mock cluster whose store sizes the test sets by hand
 * (TinyKV's {@code balance_test.go}, {@code testBalanceRegionSchedulerSuite}). A store with region count n
 * has region size 10 n; every region has size 10, so a move needs a size difference of more than 20.
 */
@Points(1)
@Tag("lab3c")
@DisplayName("3C balance-region scheduler")
class BalanceRegion3CTest {

    private final MockCluster cluster = new MockCluster(Seeds.rootRandom());
    private final BalanceRegionScheduler scheduler = new BalanceRegionScheduler(new OperatorController(cluster));

    /** One replica: the only peer is the leader, so the move transfers the leadership to the new peer too. */
    @Test
    void replicas13C() {
        cluster.setMaxReplicas(1);
        cluster.addRegionStore(1, 6);
        cluster.addRegionStore(2, 8);
        cluster.addRegionStore(3, 8);
        cluster.addRegionStore(4, 16);
        cluster.addLeaderRegion(1, 4);
        checkTransferPeerWithLeaderTransfer(scheduler.schedule(cluster), OpKind.BALANCE, 4, 1);

        // An offline store takes no peers: store 2 is now the smallest that may.
        cluster.setStoreOffline(1);
        cluster.updateRegionCount(2, 6);
        checkTransferPeerWithLeaderTransfer(scheduler.schedule(cluster), OpKind.BALANCE, 4, 2);

        // A region with fewer peers than max-replicas is not moved (adding its missing replicas comes first).
        cluster.setMaxReplicas(3);
        assertThat(scheduler.schedule(cluster)).as("operator for region 1 with 1 peer while max-replicas is 3")
                .isEmpty();

        cluster.setMaxReplicas(1);
        assertThat(scheduler.schedule(cluster)).as("operator for region 1 once max-replicas is 1 again").isPresent();
    }

    /** Three replicas: the peer leaves the largest store for the smallest one that may take it. */
    @Test
    void replicas33C() {
        cluster.addRegionStore(1, 16);
        cluster.addRegionStore(2, 15);
        cluster.addRegionStore(3, 14);
        cluster.addLeaderRegion(1, 1, 2, 3);
        assertThat(scheduler.schedule(cluster)).as("operator when every store already holds region 1").isEmpty();

        cluster.addRegionStore(4, 2);
        checkTransferPeer(scheduler.schedule(cluster), OpKind.BALANCE, 1, 4);

        cluster.addRegionStore(5, 1);
        checkTransferPeer(scheduler.schedule(cluster), OpKind.BALANCE, 1, 5);

        cluster.addRegionStore(6, 0);
        checkTransferPeer(scheduler.schedule(cluster), OpKind.BALANCE, 1, 6);

        // A store down longer than max-store-down-time takes nothing: the next smallest does.
        cluster.setStoreDown(6);
        checkTransferPeer(scheduler.schedule(cluster), OpKind.BALANCE, 1, 5);

        cluster.setStoreDown(4);
        cluster.setStoreDown(5);
        cluster.setStoreDown(6);
        // Store 7 is larger than every holder of region 1: no move is worth it.
        cluster.addRegionStore(7, 20);
        assertThat(scheduler.schedule(cluster)).as("operator when the only store free of region 1 is the largest")
                .isEmpty();
    }

    /** Five replicas: the source is the largest store that holds something to move; the target the smallest. */
    @Test
    void replicas53C() {
        cluster.setMaxReplicas(5);
        cluster.addRegionStore(1, 4);
        cluster.addRegionStore(2, 5);
        cluster.addRegionStore(3, 6);
        cluster.addRegionStore(4, 7);
        cluster.addRegionStore(5, 28);
        cluster.addLeaderRegion(1, 1, 2, 3, 4, 5);

        cluster.addRegionStore(6, 1);
        checkTransferPeer(scheduler.schedule(cluster), OpKind.BALANCE, 5, 6);

        cluster.addRegionStore(7, 5);
        checkTransferPeer(scheduler.schedule(cluster), OpKind.BALANCE, 5, 6);

        // Region 1 now holds a peer on store 6: store 1 is the smallest without one.
        cluster.addLeaderRegion(1, 2, 3, 4, 5, 6);
        checkTransferPeer(scheduler.schedule(cluster), OpKind.BALANCE, 5, 1);

        // Store 11 is the largest now and holds region 1; store 6 is the smallest without a peer of it.
        cluster.addRegionStore(11, 29);
        cluster.addRegionStore(12, 8);
        cluster.addRegionStore(13, 7);
        cluster.addLeaderRegion(1, 2, 3, 11, 12, 13);
        checkTransferPeer(scheduler.schedule(cluster), OpKind.BALANCE, 11, 6);
    }

    /** A region with a pending peer on the source is moved first: its peer there may be on an overloaded disk. */
    @Test
    void replacePendingRegion3C() {
        cluster.addRegionStore(1, 16);
        cluster.addRegionStore(2, 7);
        cluster.addRegionStore(3, 15);
        cluster.addRegionStore(4, 10);
        cluster.addLeaderRegion(1, 1, 2, 3);
        cluster.addLeaderRegion(2, 1, 2, 3);
        cluster.addLeaderRegion(3, 2, 1, 3);
        RegionInfo region3 = cluster.getRegion(3).orElseThrow();
        cluster.putRegion(region3.withPendingPeers(List.of(region3.storePeer(1).orElseThrow())));

        assertThat(scheduler.schedule(cluster)).as("operator of the scheduler when region 3 has a pending peer "
                + "on store 1, the largest").map(Operator::regionId).contains(3L);
        // Region 3's peers are on stores 2, 1 and 3: store 4 is the only target.
        checkTransferPeer(scheduler.schedule(cluster), OpKind.BALANCE, 1, 4);
    }
}
