package tinykv.scheduler.filter;

import java.util.List;
import tinykv.scheduler.core.StoreInfo;
import tinykv.scheduler.schedule.Cluster;

/**
 * Rules out stores as the source or the target of a move (TinyKV's {@code filter.Filter}). Each method
 * answers "filter this store out?": {@code true} means the store may not take that part.
 */
public interface Filter {

    /** Whether {@code store} may not give up a peer or a leader. */
    boolean source(Cluster cluster, StoreInfo store);

    /** Whether {@code store} may not take a peer or a leader. */
    boolean target(Cluster cluster, StoreInfo store);

    /** The stores no filter rules out as a source, in their order. */
    static List<StoreInfo> selectSourceStores(List<StoreInfo> stores, List<Filter> filters, Cluster cluster) {
        return stores.stream().filter(s -> filters.stream().noneMatch(f -> f.source(cluster, s))).toList();
    }

    /** The stores no filter rules out as a target, in their order. */
    static List<StoreInfo> selectTargetStores(List<StoreInfo> stores, List<Filter> filters, Cluster cluster) {
        return stores.stream().filter(s -> filters.stream().noneMatch(f -> f.target(cluster, s))).toList();
    }
}
