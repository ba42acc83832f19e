package tinykv.kv.raftstore;

import java.time.Duration;

/**
 * The raftstore's settings: TinyKV's {@code config.Config}. {@link #forTests()} gives the values TinyKV's
 * tests use (a 50 ms tick, elections after 10 ticks).
 *
 * @param raftBaseTickInterval how often every peer's raft ticks
 * @param raftHeartbeatTicks ticks between leader heartbeats
 * @param raftElectionTimeoutTicks ticks without a leader before a follower campaigns (randomized up to 2x)
 * @param raftLogGcTickInterval how often a leader checks whether to compact its raft log (lab 2C)
 * @param raftLogGcCountLimit compact when more applied entries than this remain in the log (lab 2C)
 * @param splitRegionCheckTickInterval how often a leader checks its region's size (lab 3B)
 * @param schedulerHeartbeatTickInterval how often a leader reports its region to the scheduler
 * @param schedulerStoreHeartbeatTickInterval how often a store reports itself to the scheduler
 * @param regionMaxSize split a region above this many bytes (lab 3B)
 * @param regionSplitSize the size of the first half of a split (lab 3B)
 * @param snapshot how snapshots travel between stores and how long unused ones are kept (lab 2C)
 */
public record StoreConfig(
        Duration raftBaseTickInterval,
        int raftHeartbeatTicks,
        int raftElectionTimeoutTicks,
        Duration raftLogGcTickInterval,
        long raftLogGcCountLimit,
        Duration splitRegionCheckTickInterval,
        Duration schedulerHeartbeatTickInterval,
        Duration schedulerStoreHeartbeatTickInterval,
        long regionMaxSize,
        long regionSplitSize,
        SnapshotConfig snapshot) {

    private static final long MB = 1024 * 1024;

    public StoreConfig {
        requirePositive("raftBaseTickInterval", raftBaseTickInterval);
        requirePositive("raftLogGcTickInterval", raftLogGcTickInterval);
        requirePositive("splitRegionCheckTickInterval", splitRegionCheckTickInterval);
        requirePositive("schedulerHeartbeatTickInterval", schedulerHeartbeatTickInterval);
        requirePositive("schedulerStoreHeartbeatTickInterval", schedulerStoreHeartbeatTickInterval);
        if (raftHeartbeatTicks <= 0) {
            throw new IllegalArgumentException("raftHeartbeatTicks must be positive, was " + raftHeartbeatTicks);
        }
        if (raftElectionTimeoutTicks <= raftHeartbeatTicks) {
            throw new IllegalArgumentException("raftElectionTimeoutTicks (" + raftElectionTimeoutTicks
                    + ") must be greater than raftHeartbeatTicks (" + raftHeartbeatTicks + ")");
        }
        if (raftLogGcCountLimit <= 0) {
            throw new IllegalArgumentException("raftLogGcCountLimit must be positive, was " + raftLogGcCountLimit);
        }
        if (regionSplitSize <= 0 || regionMaxSize < regionSplitSize) {
            throw new IllegalArgumentException("need 0 < regionSplitSize <= regionMaxSize, was "
                    + regionSplitSize + " and " + regionMaxSize);
        }
        if (snapshot == null) {
            throw new IllegalArgumentException("snapshot settings must be given");
        }
    }

    /** TinyKV's test configuration. */
    public static StoreConfig forTests() {
        return new StoreConfig(Duration.ofMillis(50), 2, 10, Duration.ofMillis(50), 128_000,
                Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMillis(500), 144 * MB, 96 * MB,
                SnapshotConfig.forTests());
    }

    /** The same settings with another raft-log GC limit (lab 2C). */
    public StoreConfig withRaftLogGcCountLimit(long limit) {
        return new StoreConfig(raftBaseTickInterval, raftHeartbeatTicks, raftElectionTimeoutTicks,
                raftLogGcTickInterval, limit, splitRegionCheckTickInterval, schedulerHeartbeatTickInterval,
                schedulerStoreHeartbeatTickInterval, regionMaxSize, regionSplitSize, snapshot);
    }

    /** The same settings with other split sizes (lab 3B). */
    public StoreConfig withRegionSizes(long maxSize, long splitSize) {
        return new StoreConfig(raftBaseTickInterval, raftHeartbeatTicks, raftElectionTimeoutTicks,
                raftLogGcTickInterval, raftLogGcCountLimit, splitRegionCheckTickInterval,
                schedulerHeartbeatTickInterval, schedulerStoreHeartbeatTickInterval, maxSize, splitSize, snapshot);
    }

    /** The same settings with other snapshot settings (lab 2C). */
    public StoreConfig withSnapshotConfig(SnapshotConfig snapshot) {
        return new StoreConfig(raftBaseTickInterval, raftHeartbeatTicks, raftElectionTimeoutTicks,
                raftLogGcTickInterval, raftLogGcCountLimit, splitRegionCheckTickInterval,
                schedulerHeartbeatTickInterval, schedulerStoreHeartbeatTickInterval, regionMaxSize, regionSplitSize,
                snapshot);
    }

    /** How long a follower waits at least before campaigning. */
    public Duration electionTimeout() {
        return raftBaseTickInterval.multipliedBy(raftElectionTimeoutTicks);
    }

    static void requirePositive(String name, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + value);
        }
    }
}
