package tinykv.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongPredicate;
import java.util.function.ToIntFunction;
import tinykv.scheduler.core.RegionInfo;
import tinykv.scheduler.core.StoreInfo;
import tinykv.scheduler.operator.OpStep;
import tinykv.scheduler.operator.Operator;
import tinykv.scheduler.server.RaftCluster;
import tinykv.sim.Simulator;

/**
 * Watches the real scheduler of a cluster while it balances (lab 3C), on simulator events of its own every
 * {@link #SAMPLE_INTERVAL}: it fails the run when a region has had fewer healthy peers than its replicas
 * (peers on running stores that the leader does not report as lagging) for longer than the bound, or when
 * an operator adds a peer on a store the test forbids; and every second it notes the regions and leaders per
 * store, for the line of figures a test prints.
 */
final class BalanceWatch {
    static final Duration SAMPLE_INTERVAL = Duration.ofMillis(100);
    private static final long FIGURES_EVERY_MS = 1_000;

    private final Simulator sim;
    private final RaftCluster scheduler;
    private final List<Long> storeIds;
    private final LongPredicate running;
    private final int replicas;
    private final Duration underReplicatedBound;
    private LongPredicate forbiddenStore = store -> false;
    /** Since when each under-replicated region has been so, by region id. */
    private final Map<Long, Long> underReplicatedSince = new TreeMap<>();
    private long longestUnderReplicatedMs;
    private final List<String> figures = new ArrayList<>();
    private boolean stopped;

    /**
     * @param running whether a store runs now: a peer on a stopped store is not a healthy one
     * @param underReplicatedBound how long a region may have fewer healthy peers than {@code replicas}
     */
    BalanceWatch(Cluster cluster, int replicas, Duration underReplicatedBound) {
        this.sim = cluster.simulator();
        this.scheduler = cluster.schedulerNode().cluster();
        this.storeIds = cluster.storeIds();
        this.running = store -> cluster.isRunning(store);
        this.replicas = replicas;
        this.underReplicatedBound = underReplicatedBound;
    }

    /** From now on, no operator may add a peer on a store {@code forbidden} names (when it is asked). */
    void forbidNewPeersOn(LongPredicate forbidden) {
        this.forbiddenStore = forbidden;
    }

    void start() {
        sample();
    }

    void stop() {
        stopped = true;
    }

    /** The longest time any region was under-replicated, so far. */
    long longestUnderReplicatedMs() {
        return longestUnderReplicatedMs;
    }

    /** {@code 0s [1 1 1 0 0] 1s [2 2 1 1 0] ...}: regions per store, by store id, each second. */
    String figures() {
        return String.join(" ", figures);
    }

    private void sample() {
        if (stopped) {
            return;
        }
        long now = sim.now();
        for (RegionInfo region : scheduler.getRegions()) {
            checkReplicas(region, now);
        }
        for (Operator op : scheduler.opController().getOperators()) {
            for (OpStep step : op.steps()) {
                if (step instanceof OpStep.AddPeer add && forbiddenStore.test(add.toStore())) {
                    throw new AssertionError("operator " + op + " adds a peer on store " + add.toStore()
                            + ", which is down for longer than maxStoreDownTime and must receive no new peer");
                }
            }
        }
        underReplicatedSince.keySet().removeIf(id -> scheduler.getRegion(id).isEmpty());
        if (now % FIGURES_EVERY_MS < SAMPLE_INTERVAL.toMillis()) {
            figures.add(String.format(Locale.ROOT, "%ds %s", now / 1000, regionCounts()));
        }
        sim.schedule(SAMPLE_INTERVAL.toMillis(), "test", "watch the balance", this::sample);
    }

    private void checkReplicas(RegionInfo region, long now) {
        long healthy = region.peers().stream().filter(peer -> running.test(peer.getStoreId()))
                .filter(peer -> region.pendingPeer(peer.getId()).isEmpty()).count();
        if (healthy >= replicas) {
            underReplicatedSince.remove(region.id());
            return;
        }
        long since = underReplicatedSince.computeIfAbsent(region.id(), id -> now);
        longestUnderReplicatedMs = Math.max(longestUnderReplicatedMs, now - since);
        if (now - since > underReplicatedBound.toMillis()) {
            throw new AssertionError(String.format(Locale.ROOT, "region %d has had only %d healthy peers of %d "
                    + "since %.3fs, longer than %d ms: %s", region.id(), healthy, replicas, since / 1000.0,
                    underReplicatedBound.toMillis(), region));
        }
    }

    /** {@code [7 8 7 6 6]}: how many regions the scheduler counts on each store, by store id. */
    String regionCounts() {
        return counts(StoreInfo::regionCount);
    }

    /** {@code [5 4 4 5 5]}: how many regions each store leads, as the scheduler counts them. */
    String leaderCounts() {
        return counts(StoreInfo::leaderCount);
    }

    private String counts(ToIntFunction<StoreInfo> count) {
        List<String> counts = new ArrayList<>();
        for (long storeId : storeIds) {
            counts.add(Integer.toString(scheduler.getStore(storeId).map(count::applyAsInt).orElse(0)));
        }
        return "[" + String.join(" ", counts) + "]";
    }
}
