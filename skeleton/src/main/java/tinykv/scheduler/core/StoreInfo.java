package tinykv.scheduler.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import tinykv.proto.metapb.Store;
import tinykv.proto.metapb.StoreState;
import tinykv.proto.schedulerpb.StoreStats;

/**
 * A store as the scheduler knows it (TinyKV's {@code core.StoreInfo}): its meta (id, address, state), the
 * statistics of its last heartbeat and when that was, and what the scheduler counts on it from the
 * regions it knows. Immutable; the {@code with...} methods make the next value.
 *
 * @param meta            id, address and state
 * @param stats           the statistics of the last store heartbeat (empty before the first)
 * @param lastHeartbeatMs virtual time of the last store heartbeat, {@link #NEVER} before the first
 * @param status          the scheduler's counts of the store's regions and leaders
 */
public record StoreInfo(Store meta, StoreStats stats, long lastHeartbeatMs, StoreStatus status) {

    /** {@link #lastHeartbeatMs} of a store that never sent a heartbeat: it counts as down forever. */
    public static final long NEVER = Long.MIN_VALUE;

    /** A store that has not sent a heartbeat for this long is disconnected: no leader moves to it. */
    public static final Duration DISCONNECT_DURATION = Duration.ofSeconds(20);

    /** The down time of a store that never sent a heartbeat: longer than any limit. */
    private static final Duration FOREVER = Duration.ofSeconds(Long.MAX_VALUE);

    public StoreInfo {
        requireNonNull(meta, "meta");
        requireNonNull(stats, "stats");
        requireNonNull(status, "status");
    }

    /** A store that has not sent a heartbeat yet and holds nothing the scheduler knows of. */
    public static StoreInfo of(Store meta) {
        return new StoreInfo(meta, StoreStats.getDefaultInstance(), NEVER, StoreStatus.EMPTY);
    }

    public long id() {
        return meta.getId();
    }

    public String address() {
        return meta.getAddress();
    }

    public StoreState state() {
        return meta.getState();
    }

    public boolean isUp() {
        return state() == StoreState.Up;
    }

    public boolean isOffline() {
        return state() == StoreState.Offline;
    }

    public boolean isTombstone() {
        return state() == StoreState.Tombstone;
    }

    /** Whether the store reported itself overloaded in its last heartbeat. */
    public boolean isBusy() {
        return stats.getIsBusy();
    }

    /** How long since the last heartbeat, at virtual time {@code nowMs}; forever if there was none. */
    public Duration downTime(long nowMs) {
        return lastHeartbeatMs == NEVER ? FOREVER : Duration.ofMillis(nowMs - lastHeartbeatMs);
    }

    public boolean isDisconnected(long nowMs) {
        return downTime(nowMs).compareTo(DISCONNECT_DURATION) > 0;
    }

    public int leaderCount() {
        return status.leaderCount();
    }

    public int regionCount() {
        return status.regionCount();
    }

    public int pendingPeerCount() {
        return status.pendingPeerCount();
    }

    public long leaderSize() {
        return status.leaderSize();
    }

    public long regionSize() {
        return status.regionSize();
    }

    // ---- New values ----

    public StoreInfo withMeta(Store newMeta) {
        return new StoreInfo(newMeta, stats, lastHeartbeatMs, status);
    }

    public StoreInfo withState(StoreState state) {
        return withMeta(meta.toBuilder().setState(state).build());
    }

    /** The store after a heartbeat with {@code newStats} at virtual time {@code nowMs}. */
    public StoreInfo withHeartbeat(StoreStats newStats, long nowMs) {
        return new StoreInfo(meta, newStats, nowMs, status);
    }

    public StoreInfo withLastHeartbeat(long nowMs) {
        return new StoreInfo(meta, stats, nowMs, status);
    }

    public StoreInfo withStatus(StoreStatus newStatus) {
        return new StoreInfo(meta, stats, lastHeartbeatMs, newStatus);
    }

    @Override
    public String toString() {
        return "store " + id() + " (" + state() + ", " + regionCount() + " regions of size " + regionSize() + ", "
                + leaderCount() + " leaders of size " + leaderSize() + ", " + pendingPeerCount() + " pending"
                + (lastHeartbeatMs == NEVER ? ", no heartbeat yet)" : ", last heartbeat at " + lastHeartbeatMs + " ms)");
    }
}
