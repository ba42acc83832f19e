package tinykv.kv.raftstore;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * A peer's clock, counted in base ticks (TinyKV's {@code ticker.go}): the tick driver advances it every
 * base interval, and each periodic duty of the peer fires when its own interval has passed.
 */
final class PeerTicker {

    /** The periodic duties of a peer. */
    enum PeerTick { RAFT, RAFT_LOG_GC, SPLIT_REGION_CHECK, SCHEDULER_HEARTBEAT }

    private final Map<PeerTick, Long> intervals = new EnumMap<>(PeerTick.class);
    private final Map<PeerTick, Long> dueAt = new EnumMap<>(PeerTick.class);
    private long clock;

    PeerTicker(StoreConfig config) {
        Duration base = config.raftBaseTickInterval();
        intervals.put(PeerTick.RAFT, 1L);
        intervals.put(PeerTick.RAFT_LOG_GC, inTicks(config.raftLogGcTickInterval(), base));
        intervals.put(PeerTick.SPLIT_REGION_CHECK, inTicks(config.splitRegionCheckTickInterval(), base));
        intervals.put(PeerTick.SCHEDULER_HEARTBEAT, inTicks(config.schedulerHeartbeatTickInterval(), base));
    }

    void tickClock() {
        clock++;
    }

    /** Arms {@code tick} to fire one interval from now. */
    void schedule(PeerTick tick) {
        dueAt.put(tick, clock + intervals.get(tick));
    }

    /** Whether {@code tick} is armed and due; it must be armed again to fire again. */
    boolean isOnTick(PeerTick tick) {
        Long due = dueAt.get(tick);
        if (due == null || due > clock) {
            return false;
        }
        dueAt.remove(tick);
        return true;
    }

    private static long inTicks(Duration interval, Duration base) {
        return Math.max(1, interval.toMillis() / base.toMillis());
    }
}
