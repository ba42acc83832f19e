package tinykv.scheduler.filter;

import tinykv.scheduler.core.StoreInfo;
import tinykv.scheduler.schedule.Cluster;

/**
 * Rules out stores by their state (TinyKV's {@code StoreStateFilter}): a tombstoned store, or one down
 * longer than {@code maxStoreDownTime}, neither gives nor takes; an offline store only gives. For a leader
 * move, a disconnected store neither gives nor takes, and a busy one does not take; for a peer move, a busy
 * store does neither.
 *
 * @param transferLeader the move is of a leader
 * @param moveRegion     the move is of a peer
 */
public record StoreStateFilter(boolean transferLeader, boolean moveRegion) implements Filter {

    @Override
    public boolean source(Cluster cluster, StoreInfo store) {
        if (store.isTombstone() || isDown(cluster, store)) {
            return true;
        }
        return (transferLeader && store.isDisconnected(cluster.now())) || (moveRegion && store.isBusy());
    }

    @Override
    public boolean target(Cluster cluster, StoreInfo store) {
        if (store.isTombstone() || store.isOffline() || isDown(cluster, store)) {
            return true;
        }
        return (transferLeader && (store.isDisconnected(cluster.now()) || store.isBusy()))
                || (moveRegion && store.isBusy());
    }

    private static boolean isDown(Cluster cluster, StoreInfo store) {
        return store.downTime(cluster.now()).compareTo(cluster.getMaxStoreDownTime()) > 0;
    }
}
