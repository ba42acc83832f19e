package tinykv.scheduler.schedulers;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import tinykv.scheduler.core.RegionInfo;
import tinykv.scheduler.core.StoreInfo;
import tinykv.scheduler.filter.Filter;
import tinykv.scheduler.filter.StoreStateFilter;
import tinykv.scheduler.operator.OpKind;
import tinykv.scheduler.operator.Operator;
import tinykv.scheduler.schedule.Cluster;
import tinykv.scheduler.schedule.OperatorController;
import tinykv.scheduler.schedule.Scheduler;

/**
 * Keeps the number of leaders per store even (TinyKV's {@code balanceLeaderScheduler}), provided complete.
 * It takes turns: a leader out of the store that leads most, then a leader into the store that leads
 * least, and moves one only if the two stores' leader counts differ by at least
 * {@code 2 * LEADER_TOLERANT_SIZE_RATIO}, so that the move does not just swap which store leads more.
 */
public final class BalanceLeaderScheduler implements Scheduler {
    /** How many times to draw a region from one store before trying the next. */
    static final int BALANCE_LEADER_RETRY_LIMIT = 10;
    /** TinyKV's {@code leaderTolerantSizeRatio}. */
    static final int LEADER_TOLERANT_SIZE_RATIO = 5;

    private final OperatorController opController;
    private final List<Filter> filters = List.of(new StoreStateFilter(true, false));

    public BalanceLeaderScheduler(OperatorController opController) {
        this.opController = requireNonNull(opController, "opController");
    }

    @Override
    public String name() {
        return "balance-leader-scheduler";
    }

    @Override
    public boolean isScheduleAllowed(Cluster cluster) {
        return opController.operatorCount(OpKind.LEADER) < cluster.config().leaderScheduleLimit();
    }

    @Override
    public Optional<Operator> schedule(Cluster cluster) {
        List<StoreInfo> stores = cluster.getStores();
        List<StoreInfo> sources = sorted(Filter.selectSourceStores(stores, filters, cluster), true);
        List<StoreInfo> targets = sorted(Filter.selectTargetStores(stores, filters, cluster), false);
        for (int i = 0; i < sources.size() || i < targets.size(); i++) {
            if (i < sources.size()) {
                StoreInfo source = sources.get(i);
                Optional<Operator> op = retry(() -> transferLeaderOut(cluster, source));
                if (op.isPresent()) {
                    return op;
                }
            }
            if (i < targets.size()) {
                StoreInfo target = targets.get(i);
                Optional<Operator> op = retry(() -> transferLeaderIn(cluster, target));
                if (op.isPresent()) {
                    return op;
                }
            }
        }
        return Optional.empty();
    }

    /** A leader of {@code source} moved to the follower store that leads least, if worth it. */
    private Optional<Operator> transferLeaderOut(Cluster cluster, StoreInfo source) {
        Optional<RegionInfo> region = cluster.randLeaderRegion(source.id(), RegionInfo.healthRegion());
        if (region.isEmpty()) {
            return Optional.empty();
        }
        List<StoreInfo> targets = sorted(Filter.selectTargetStores(cluster.getFollowerStores(region.get()), filters,
                cluster), false);
        for (StoreInfo target : targets) {
            Optional<Operator> op = createOperator(region.get(), source, target);
            if (op.isPresent()) {
                return op;
            }
        }
        return Optional.empty();
    }

    /** A region {@code target} follows in, its leader moved to {@code target}, if worth it. */
    private Optional<Operator> transferLeaderIn(Cluster cluster, StoreInfo target) {
        Optional<RegionInfo> region = cluster.randFollowerRegion(target.id(), RegionInfo.healthRegion());
        Optional<StoreInfo> source = region.flatMap(RegionInfo::leaderStoreId).flatMap(cluster::getStore);
        return source.flatMap(s -> createOperator(region.get(), s, target));
    }

    private static Optional<Operator> createOperator(RegionInfo region, StoreInfo source, StoreInfo target) {
        if (source.leaderCount() - target.leaderCount() < 2 * LEADER_TOLERANT_SIZE_RATIO) {
            return Optional.empty();
        }
        return Optional.of(Operator.createTransferLeaderOperator("balance-leader", region, source.id(), target.id(),
                OpKind.BALANCE));
    }

    /** Stores by leader count, most first or least first; ties stay in id order. */
    private static List<StoreInfo> sorted(List<StoreInfo> stores, boolean mostFirst) {
        Comparator<StoreInfo> byLeaders = Comparator.comparingInt(StoreInfo::leaderCount);
        return stores.stream().sorted(mostFirst ? byLeaders.reversed() : byLeaders).toList();
    }

    private static Optional<Operator> retry(Supplier<Optional<Operator>> attempt) {
        for (int i = 0; i < BALANCE_LEADER_RETRY_LIMIT; i++) {
            Optional<Operator> op = attempt.get();
            if (op.isPresent()) {
                return op;
            }
        }
        return Optional.empty();
    }
}
