package tinykv.scheduler.schedulers;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import tinykv.Todo;
import tinykv.scheduler.operator.OpKind;
import tinykv.scheduler.operator.Operator;
import tinykv.scheduler.schedule.Cluster;
import tinykv.scheduler.schedule.OperatorController;
import tinykv.scheduler.schedule.Scheduler;

/**
 * Keeps the region sizes of the stores even (TinyKV's {@code balanceRegionScheduler}, lab 3C): it moves
 * one peer at a time from a store with much data to a store with little. You write {@link #schedule}.
 */
public final class BalanceRegionScheduler implements Scheduler {

    private final OperatorController opController;

    public BalanceRegionScheduler(OperatorController opController) {
        this.opController = requireNonNull(opController, "opController");
    }

    @Override
    public String name() {
        return "balance-region-scheduler";
    }

    @Override
    public boolean isScheduleAllowed(Cluster cluster) {
        return opController.operatorCount(OpKind.REGION) < cluster.config().regionScheduleLimit();
    }

    // ---- Yours to write ----

    /**
     * A move-peer operator that evens out the stores' region sizes, or empty if no move is worth it.
     *
     * <ol>
     *   <li>The suitable stores are up and have not been down longer than {@code cluster.getMaxStoreDownTime()}
     *       (measure down time at {@code cluster.now()}). Try them as the source from the largest region size
     *       down.
     *   <li>On a source, pick a region: one with a pending peer there ({@code randPendingRegion}), else one it
     *       follows in ({@code randFollowerRegion}), else one it leads ({@code randLeaderRegion}). A region
     *       with fewer peers than {@code cluster.getMaxReplicas()} is not moved. If the store has nothing to
     *       move, try the next one.
     *   <li>The target is the suitable store with the smallest region size that holds no peer of the region.
     *   <li>Move only if the source's region size exceeds the target's by more than twice the region's
     *       approximate size; else try the next source.
     *   <li>Allocate the new peer on the target ({@code cluster.allocPeer}) and return
     *       {@link Operator#createMovePeerOperator} of kind {@link OpKind#BALANCE}.
     * </ol>
     */
    @Override
    public Optional<Operator> schedule(Cluster cluster) {
        throw new Todo("lab3c", "BalanceRegionScheduler.schedule(Cluster)");
    }
}
