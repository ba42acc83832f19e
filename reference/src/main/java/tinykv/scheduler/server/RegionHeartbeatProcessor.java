package tinykv.scheduler.server;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import tinykv.kv.raftstore.RegionChecks;
import tinykv.scheduler.core.BasicCluster;
import tinykv.scheduler.core.RegionInfo;
import tinykv.scheduler.core.StaleRegionError;

/**
 * What {@link RaftCluster#processRegionHeartbeat} does with a region heartbeat (lab 3C): decide whether to
 * trust it, and if so bring the scheduler's view up to date. The caller holds the cluster's lock, so
 * nothing changes between your checks and your update.
 */
public final class RegionHeartbeatProcessor {

    /** The stores and regions the scheduler knows; see {@link BasicCluster}. */
    private final BasicCluster core;

    public RegionHeartbeatProcessor(BasicCluster core) {
        this.core = requireNonNull(core, "core");
    }

    // ---- Yours to write ----

    /**
     * Takes in a heartbeat reporting {@code region} (TinyKV's {@code processRegionHeartbeat}).
     *
     * <ul>
     *   <li>Refuse a stale heartbeat by throwing {@link StaleRegionError}, before changing anything: its
     *       epoch is stale if the region of the same id has a larger version or a larger conf_ver, or if a
     *       region its range overlaps ({@link BasicCluster#getOverlaps}) has a larger version.
     *   <li>If nothing changed since the region's last heartbeat (epoch, leader, peers, pending peers,
     *       approximate size), you may stop here.
     *   <li>Otherwise put the region in ({@link BasicCluster#putRegion}, which also takes out the regions
     *       it overlaps), then recount ({@link BasicCluster#updateStoreStatus}) every store that held a
     *       peer of the old region, of the regions taken out, or of the new one.
     * </ul>
     */
    public void processRegionHeartbeat(RegionInfo region) {
        Optional<RegionInfo> origin = core.getRegion(region.id());
        if (origin.isPresent() && RegionChecks.isEpochStale(region.epoch(), origin.get().epoch())) {
            throw new StaleRegionError(region, origin.get());
        }
        for (RegionInfo overlap : core.getOverlaps(region)) {
            if (overlap.id() != region.id() && region.epoch().getVersion() < overlap.epoch().getVersion()) {
                throw new StaleRegionError(region, overlap);
            }
        }
        if (origin.isPresent() && origin.get().equals(region)) {
            return; // the same heartbeat again: nothing to update
        }
        Set<Long> touchedStores = new TreeSet<>(region.storeIds());
        origin.ifPresent(old -> touchedStores.addAll(old.storeIds()));
        for (RegionInfo removed : core.putRegion(region)) {
            touchedStores.addAll(removed.storeIds());
        }
        touchedStores.forEach(core::updateStoreStatus);
    }
}
