package tinykv.scheduler.schedule;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The scheduling options (TinyKV's {@code ScheduleConfig} and {@code opt.Options}).
 *
 * @param maxReplicas         how many peers each region should have
 * @param maxStoreDownTime    a store silent for longer is down: it gives and takes no peers
 * @param leaderScheduleLimit at most this many leader operators run at once
 * @param regionScheduleLimit at most this many region (peer-moving) operators run at once
 */
public record ScheduleConfig(int maxReplicas, Duration maxStoreDownTime, int leaderScheduleLimit,
        int regionScheduleLimit) {

    /** TinyKV's defaults: 3 replicas, 30 minutes, 4 leader and 2048 region operators. */
    public static final ScheduleConfig DEFAULT = new ScheduleConfig(3, Duration.ofMinutes(30), 4, 2048);

    public ScheduleConfig {
        requireNonNull(maxStoreDownTime, "maxStoreDownTime");
        if (maxReplicas < 1) {
            throw new IllegalArgumentException("maxReplicas must be at least 1, was " + maxReplicas);
        }
        if (maxStoreDownTime.isNegative() || maxStoreDownTime.isZero()) {
            throw new IllegalArgumentException("maxStoreDownTime must be positive, was " + maxStoreDownTime);
        }
        if (leaderScheduleLimit < 0 || regionScheduleLimit < 0) {
            throw new IllegalArgumentException("schedule limits must not be negative: leader " + leaderScheduleLimit
                    + ", region " + regionScheduleLimit);
        }
    }

    public ScheduleConfig withMaxReplicas(int replicas) {
        return new ScheduleConfig(replicas, maxStoreDownTime, leaderScheduleLimit, regionScheduleLimit);
    }

    public ScheduleConfig withRegionScheduleLimit(int limit) {
        return new ScheduleConfig(maxReplicas, maxStoreDownTime, leaderScheduleLimit, limit);
    }

    public ScheduleConfig withMaxStoreDownTime(Duration downTime) {
        return new ScheduleConfig(maxReplicas, downTime, leaderScheduleLimit, regionScheduleLimit);
    }
}
