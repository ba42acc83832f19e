package tinykv.scheduler.schedule;

import java.time.Duration;
import java.util.Optional;
import tinykv.scheduler.operator.Operator;

/**
 * A scheduler (TinyKV's {@code schedule.Scheduler}): the coordinator calls {@link #schedule} on a timer;
 * an operator it returns goes to the operator controller. The interval starts at {@link #minInterval()},
 * grows with {@link #nextInterval} while the scheduler finds nothing to do, and falls back to the minimum
 * when it does.
 */
public interface Scheduler {
    /** TinyKV's {@code MinScheduleInterval}. */
    Duration MIN_SCHEDULE_INTERVAL = Duration.ofMillis(10);
    /** TinyKV's {@code MaxScheduleInterval}. */
    Duration MAX_SCHEDULE_INTERVAL = Duration.ofSeconds(5);
    /** How much the interval grows after a round with nothing to do. */
    double SCHEDULE_INTERVAL_FACTOR = 1.3;

    /** {@code balance-region-scheduler}: names it in logs and traces. */
    String name();

    /** Whether the scheduler may make another operator now (its kind's limit is not reached). */
    boolean isScheduleAllowed(Cluster cluster);

    /** An operator that improves the cluster, or empty if there is nothing worth doing. */
    Optional<Operator> schedule(Cluster cluster);

    default Duration minInterval() {
        return MIN_SCHEDULE_INTERVAL;
    }

    /** The interval after a round that found nothing: exponential growth up to the maximum. */
    default Duration nextInterval(Duration interval) {
        long grown = (long) (interval.toMillis() * SCHEDULE_INTERVAL_FACTOR);
        return Duration.ofMillis(Math.min(Math.max(grown, interval.toMillis() + 1), MAX_SCHEDULE_INTERVAL.toMillis()));
    }
}
