package tinykv.scheduler.filter;

import java.util.Set;
import tinykv.scheduler.core.StoreInfo;
import tinykv.scheduler.schedule.Cluster;

/**
 * Rules out given stores (TinyKV's {@code ExcludedFilter}): for instance, as targets, the stores that
 * already hold a peer of the region being moved.
 *
 * @param sources stores that may not give
 * @param targets stores that may not take
 */
public record ExcludedFilter(Set<Long> sources, Set<Long> targets) implements Filter {
    public ExcludedFilter {
        sources = Set.copyOf(sources);
        targets = Set.copyOf(targets);
    }

    @Override
    public boolean source(Cluster cluster, StoreInfo store) {
        return sources.contains(store.id());
    }

    @Override
    public boolean target(Cluster cluster, StoreInfo store) {
        return targets.contains(store.id());
    }
}
