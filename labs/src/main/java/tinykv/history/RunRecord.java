package tinykv.history;

import java.util.Objects;

/**
 * What one simulated cluster run leaves for its checks and its timeline: the client history and what the
 * stores and network did. The linearizability check runs once, when the run ends, and its result is kept
 * for the report and the timeline.
 */
public final class RunRecord {
    private final long seed;
    private final HistoryRecorder history;
    private final ClusterTimeline timeline;
    private final long stepBudget;
    private CheckResult<KvInput, KvOutput> result;
    private long checkNanos;
    private long endMillis = -1;

    public RunRecord(long seed, HistoryRecorder history, ClusterTimeline timeline, long stepBudget) {
        this.seed = seed;
        this.history = Objects.requireNonNull(history, "history");
        this.timeline = Objects.requireNonNull(timeline, "timeline");
        this.stepBudget = stepBudget;
    }

    public long seed() {
        return seed;
    }

    public HistoryRecorder history() {
        return history;
    }

    public ClusterTimeline timeline() {
        return timeline;
    }

    /** The virtual time the run ended at, once {@link #check} has run. */
    public long endMillis() {
        return endMillis;
    }

    /** Checks the history recorded so far, the first time it is called; later calls give the same result. */
    public CheckResult<KvInput, KvOutput> check(long nowMillis) {
        if (result == null) {
            endMillis = nowMillis;
            long start = System.nanoTime(); // for the report of the check's cost only; never asserted on
            result = LinearizabilityChecker.check(history.history(), KvModel.INSTANCE, stepBudget);
            checkNanos = System.nanoTime() - start;
        }
        return result;
    }

    /** The result of {@link #check}, if it has run. */
    public CheckResult<KvInput, KvOutput> result() {
        return result;
    }

    /** Wall time the check took, for measurements. */
    public long checkNanos() {
        return checkNanos;
    }
}
