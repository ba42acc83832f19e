package tinykv.scheduler.schedulers;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import tinykv.scheduler.core.RegionInfo;
import tinykv.scheduler.core.StoreInfo;
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
        long now = cluster.now();
        List<StoreInfo> suitable = cluster.getStores().stream()
                .filter(store -> store.isUp() && store.downTime(now).compareTo(cluster.getMaxStoreDownTime()) < 0)
                .sorted(Comparator.comparingLong(StoreInfo::regionSize).reversed())
                .toList();
        for (StoreInfo source : suitable) {
            Optional<Operator> op = pickRegion(cluster, source.id())
                    .filter(region -> region.peers().size() >= cluster.getMaxReplicas())
                    .flatMap(region -> moveFrom(cluster, source, region, suitable));
            if (op.isPresent()) {
                return op;
            }
        }
        return Optional.empty();
    }

    /** A pending region of the store, else a region it follows in, else one it leads. */
    private static Optional<RegionInfo> pickRegion(Cluster cluster, long storeId) {
        List<Function<Long, Optional<RegionInfo>>> pickers = List.of(
                id -> cluster.randPendingRegion(id, RegionInfo.healthRegionAllowPending()),
                id -> cluster.randFollowerRegion(id, RegionInfo.healthRegion()),
                id -> cluster.randLeaderRegion(id, RegionInfo.healthRegion()));
        return pickers.stream().map(picker -> picker.apply(storeId)).flatMap(Optional::stream).findFirst();
    }

    /** The move of {@code region}'s peer off {@code source} to the smallest store without one, if worth it. */
    private static Optional<Operator> moveFrom(Cluster cluster, StoreInfo source, RegionInfo region,
            List<StoreInfo> suitable) {
        Set<Long> holders = region.storeIds();
        Optional<StoreInfo> target = suitable.stream().filter(store -> !holders.contains(store.id()))
                .min(Comparator.comparingLong(StoreInfo::regionSize));
        if (target.isEmpty() || source.regionSize() - target.get().regionSize() <= 2 * region.approximateSize()) {
            return Optional.empty();
        }
        long peerId = cluster.allocPeer(target.get().id()).getId();
        return Operator.createMovePeerOperator("balance-region", cluster, region, OpKind.BALANCE, source.id(),
                target.get().id(), peerId);
    }
}
