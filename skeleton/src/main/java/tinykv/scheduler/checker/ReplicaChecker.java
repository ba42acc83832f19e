package tinykv.scheduler.checker;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import tinykv.proto.metapb.Peer;
import tinykv.scheduler.core.RegionInfo;
import tinykv.scheduler.core.StoreInfo;
import tinykv.scheduler.filter.Filter;
import tinykv.scheduler.filter.StoreStateFilter;
import tinykv.scheduler.operator.OpKind;
import tinykv.scheduler.operator.Operator;
import tinykv.scheduler.schedule.Cluster;

/**
 * Keeps each region at its number of replicas (TinyKV's {@code checker.ReplicaChecker}), provided complete.
 * The coordinator hands it every region without an operator, in turn. In order:
 *
 * <ol>
 *   <li>a peer on a store down longer than {@code maxStoreDownTime} is replaced by a peer on the best target
 *       store (or only removed, if the region has a replica too many);
 *   <li>a region with too few peers gets one on the best target store;
 *   <li>a region with too many (a move whose add was done but whose remove was not: its operator was dropped
 *       when the region split) loses its worst peer.
 * </ol>
 *
 * The best target is a store that may take a peer ({@link StoreStateFilter}) and holds none of the region,
 * with the smallest region size, the lowest id first among equals. A store that has never sent a heartbeat
 * is not taken for down: it has not started yet. TinyKV learns down peers from the leader's heartbeat; this
 * kit's heartbeats carry none, so the store's own silence is the sign.
 */
public final class ReplicaChecker {
    private static final List<Filter> TARGET_FILTERS = List.of(new StoreStateFilter(false, true));

    public Optional<Operator> check(Cluster cluster, RegionInfo region) {
        Optional<Peer> down = region.peers().stream().filter(peer -> isDown(cluster, peer.getStoreId())).findFirst();
        int replicas = cluster.getMaxReplicas();
        int peers = region.peers().size();
        if (down.isPresent()) {
            long downStore = down.get().getStoreId();
            if (peers > replicas) {
                return Operator.createRemovePeerOperator("remove-extra-down-replica", cluster, region, OpKind.REPLICA,
                        downStore);
            }
            return bestTarget(cluster, region).flatMap(target -> Operator.createMovePeerOperator(
                    "replace-down-replica", cluster, region, OpKind.REPLICA, downStore, target,
                    cluster.allocPeer(target).getId()));
        }
        if (peers < replicas) {
            return bestTarget(cluster, region).map(target -> Operator.createAddPeerOperator("make-up-replica", region,
                    cluster.allocPeer(target).getId(), target, OpKind.REPLICA));
        }
        if (peers > replicas) {
            return Operator.createRemovePeerOperator("remove-extra-replica", cluster, region, OpKind.REPLICA,
                    worstPeer(cluster, region).getStoreId());
        }
        return Optional.empty();
    }

    /** The store has reported, and then been silent for longer than {@code maxStoreDownTime}. */
    private static boolean isDown(Cluster cluster, long storeId) {
        return cluster.getStore(storeId).filter(store -> store.lastHeartbeatMs() != StoreInfo.NEVER)
                .filter(store -> store.downTime(cluster.now()).compareTo(cluster.getMaxStoreDownTime()) > 0)
                .isPresent();
    }

    private static Optional<Long> bestTarget(Cluster cluster, RegionInfo region) {
        return Filter.selectTargetStores(cluster.getStores(), TARGET_FILTERS, cluster).stream()
                .filter(store -> !region.storeIds().contains(store.id()))
                .min(Comparator.comparingLong(StoreInfo::regionSize).thenComparingLong(StoreInfo::id))
                .map(StoreInfo::id);
    }

    /** A follower before the leader; a lagging peer first; then the one on the store with the most data. */
    private static Peer worstPeer(Cluster cluster, RegionInfo region) {
        Comparator<Peer> worstFirst = Comparator.<Peer, Boolean>comparing(region::isLeader)
                .thenComparing(peer -> region.pendingPeer(peer.getId()).isEmpty())
                .thenComparing(peer -> -storeRegionSize(cluster, peer.getStoreId()))
                .thenComparingLong(Peer::getStoreId);
        return region.peers().stream().min(worstFirst).orElseThrow();
    }

    private static long storeRegionSize(Cluster cluster, long storeId) {
        return cluster.getStore(storeId).map(StoreInfo::regionSize).orElse(0L);
    }
}
