package tinykv.cluster;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import tinykv.sim.Simulator;

/**
 * Stores crashing inside their handlings while the clients run, every choice drawn from the seed's "crashes"
 * stream: which store, when it is armed, at which crash point it stops ({@link CrashPlan}: its k-th write or
 * send, or right after it next votes or acknowledges appends), and how long it stays down.
 *
 * <ul>
 *   <li>{@link #minority}: at most {@code maxDown} stores down at once (1: one store); each comes back after
 *       one to two election timeouts, while the others go on serving.
 *   <li>{@link #everyStore}: each store is armed once, at a random time in the round, and stays down; the round's
 *       end ({@link #stop}) restarts them all together, as TinyKV's persist tests do, but each one stopped at a
 *       point inside its work rather than between two events.
 * </ul>
 */
final class CrashSchedule {
    /** The crash point an armed store stops at is drawn from [1, this]: a few handlings after the arming. */
    static final int MAX_POINTS = 12;
    /** How far a store armed to stop after its next vote or append response may go without sending one. */
    private static final int ACK_FALLBACK_POINTS = 200;
    /** The pause between two armings in the minority modes is drawn from [0, this) election timeouts. */
    private static final int MAX_PAUSE_TIMEOUTS = 2;

    private final Cluster cluster;
    private final StoreProcesses stores;
    private final Simulator sim;
    private final SplittableRandom random;
    private final Duration electionTimeout;
    /** At most this many stores down at once; {@code stores} for every store. */
    private final int maxDown;
    private final boolean restartsDuringRound;
    private boolean stopped;

    private CrashSchedule(Cluster cluster, int maxDown, boolean restartsDuringRound) {
        this.cluster = cluster;
        this.stores = cluster.processes();
        this.sim = cluster.simulator();
        this.random = sim.random("crashes");
        this.electionTimeout = cluster.config().electionTimeout();
        this.maxDown = maxDown;
        this.restartsDuringRound = restartsDuringRound;
        stores.onCrash(this::crashed);
    }

    /** Up to {@code maxDown} stores (fewer than half) down at a time, each restarted while the others serve. */
    static CrashSchedule minority(Cluster cluster, int maxDown) {
        if (maxDown < 1 || 2 * maxDown >= cluster.count()) {
            throw new IllegalArgumentException("a minority of " + cluster.count() + " stores is 1 to "
                    + (cluster.count() - 1) / 2 + ", was " + maxDown);
        }
        return new CrashSchedule(cluster, maxDown, true);
    }

    /** Every store crashes once in the round, each at its own point; they restart together at {@link #stop}. */
    static CrashSchedule everyStore(Cluster cluster) {
        return new CrashSchedule(cluster, cluster.count(), false);
    }

    /** Starts arming stores; {@code roundLength} bounds when an every-store schedule arms each one. */
    void start(Duration roundLength) {
        if (restartsDuringRound) {
            scheduleNextArming();
            return;
        }
        for (long storeId : cluster.storeIds()) {
            long at = random.nextLong(roundLength.toMillis());
            sim.schedule(at, "crashes", "arm store " + storeId, () -> arm(storeId));
        }
    }

    /** Calls off what is armed and restarts every store that is down; the round's checks then run on all. */
    void stop() {
        stopped = true;
        stores.disarmCrashes();
        for (long storeId : cluster.storeIds()) {
            if (!stores.runningStoreIds().contains(storeId)) {
                cluster.startServer(storeId);
            }
        }
    }

    private void scheduleNextArming() {
        long pause = random.nextLong(MAX_PAUSE_TIMEOUTS * electionTimeout.toMillis());
        sim.schedule(pause, "crashes", "pick a store to crash", () -> {
            if (stopped) {
                return;
            }
            List<Long> candidates = stores.runningStoreIds().stream().filter(id -> !stores.isCrashArmed(id)).toList();
            int down = cluster.count() - stores.runningStoreIds().size();
            int armed = (int) stores.runningStoreIds().stream().filter(stores::isCrashArmed).count();
            if (down + armed < maxDown && !candidates.isEmpty()) {
                arm(candidates.get(random.nextInt(candidates.size())));
            }
            scheduleNextArming();
        });
    }

    private void arm(long storeId) {
        if (stopped || !stores.runningStoreIds().contains(storeId)) {
            return;
        }
        CrashPlan plan = random.nextBoolean()
                ? CrashPlan.atPoint(1 + random.nextInt(MAX_POINTS))
                : CrashPlan.afterNextAck(ACK_FALLBACK_POINTS);
        stores.armCrash(storeId, plan);
    }

    /** A store stopped at its crash point: bring it back after one to two election timeouts. */
    private void crashed(long storeId) {
        if (stopped || !restartsDuringRound) {
            return;
        }
        long downFor = electionTimeout.toMillis() + random.nextLong(electionTimeout.toMillis());
        sim.schedule(downFor, "crashes", "restart store " + storeId, () -> {
            if (!stopped && !stores.runningStoreIds().contains(storeId)) {
                cluster.startServer(storeId);
            }
        });
    }
}
