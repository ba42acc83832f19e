package tinykv.scheduler.core;

import tinykv.proto.schedulerpb.ErrorType;

/**
 * A region heartbeat older than what the scheduler already knows (TinyKV's {@code ErrRegionIsStale}): its
 * epoch is behind the region of the same id, or its version is behind a region whose range it overlaps.
 * Throw it from {@code processRegionHeartbeat}, before changing anything.
 */
public final class StaleRegionError extends SchedulerError {

    /**
     * @param heartbeat the region as the heartbeat reports it
     * @param known     the region the scheduler knows that makes the heartbeat stale (same id, or overlapping)
     */
    public StaleRegionError(RegionInfo heartbeat, RegionInfo known) {
        super(ErrorType.UNKNOWN, message(heartbeat, known));
    }

    private static String message(RegionInfo heartbeat, RegionInfo known) {
        String which = known.id() == heartbeat.id() ? "region " + known.id()
                : "overlapping region " + known.id() + " " + known.keyRange();
        return "stale heartbeat of region " + heartbeat.id() + " " + heartbeat.keyRange() + ": it reports epoch "
                + RegionInfo.describe(heartbeat.epoch()) + " but the scheduler knows " + which + " at epoch "
                + RegionInfo.describe(known.epoch());
    }
}
