package tinykv.kv.raftstore;

import java.util.List;
import java.util.Optional;
import tinykv.proto.metapb.Region;

/**
 * Creating and destroying the peers of a store, so that the router, the store meta and the engines always
 * agree on which peers exist (TinyKV's {@code createPeer} and {@code destroyPeer}). Lab 3B calls both from
 * the apply path: a split creates the new region's peer, a conf change that removes a peer destroys it.
 */
public final class PeerLifecycle {
    private PeerLifecycle() {}

    /**
     * Lab 3B. Creates, registers and starts this store's peer of {@code newRegion}, a region just split off
     * {@code parent}: call it once the batch holding both regions' states is written, and after recording the
     * parent's new range in the store meta. The new peer's raft log starts empty at the initial index, like
     * a bootstrapped region's; its data is already in the engine, in the range the parent gave up. The
     * scheduler hears of the new region at once if the parent leads, so that clients find it.
     *
     * <p>If a peer of the new region already exists here with data (it got a snapshot first), it is kept.
     */
    public static void createSplitPeer(StoreContext ctx, Peer parent, Region newRegion) {
        Optional<Peer> existing = ctx.router().peer(newRegion.getId());
        if (existing.isPresent()) {
            if (existing.get().isInitialized()) {
                parent.log().info("region %d already has an initialized peer here; keeping it", newRegion.getId());
                return;
            }
            // A peer created by a message before this split was applied: it has no data, the split's peer replaces it.
            destroy(ctx, existing.get());
        }
        tinykv.proto.metapb.Peer self = RegionChecks.findPeer(newRegion, ctx.storeId()).orElseThrow(
                () -> new IllegalStateException("region " + newRegion.getId() + " split off region "
                        + parent.regionId() + " has no peer on store " + ctx.storeId()));
        Peer peer = new Peer(ctx, newRegion, self);
        ctx.storeMeta().put(newRegion);
        ctx.router().register(peer);
        ctx.router().send(newRegion.getId(), new PeerMsg.Start());
        parent.log().info("split off region %d %s as peer %d", newRegion.getId(),
                tinykv.kv.storage.KeyRange.of(newRegion), peer.peerId());
        if (parent.isLeader()) {
            ctx.schedulerTasks().send(new SchedulerTask.RegionHeartbeat(newRegion, self, List.of(), 0));
        }
    }

    /**
     * Lab 3B. Destroys {@code peer} for good: its raft log and states are deleted, its region state becomes
     * a tombstone (with the region as the peer last knew it, so later messages of older epochs are known
     * stale), its data is cleared, every command it still holds fails, and the router and store meta forget
     * it. Call it after the batch that applied the conf change removing it is written.
     */
    public static void destroy(StoreContext ctx, Peer peer) {
        if (peer.isStopped()) {
            return;
        }
        peer.destroy(ctx.engines(), false);
        ctx.router().close(peer.regionId());
        ctx.storeMeta().remove(peer.regionId());
    }
}
