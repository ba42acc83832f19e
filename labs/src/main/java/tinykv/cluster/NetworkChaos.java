package tinykv.cluster;

import java.time.Duration;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import tinykv.proto.raft_serverpb.RaftMessage;
import tinykv.sim.DropFilter;
import tinykv.sim.PartitionFilter;
import tinykv.sim.Simulator;

/**
 * TinyKV's {@code networkchaos}: every election timeout plus up to 200 ms, split the stores in two at random
 * (each store picks a side by a coin flip) and/or make the network drop about 10% of raft messages.
 *
 * <p>Fixes a defect of TinyKV's harness: there, without partitions, each iteration adds one more drop filter
 * without clearing the old ones, so within a round the filters pile up and the drop rate compounds (after
 * ten iterations, 1 - 0.9^10 = 65% of messages are lost). Here every iteration clears the filters and installs
 * at most one drop filter, so the rate stays at TinyKV's intended 10%.
 */
final class NetworkChaos {
    static final long MAX_EXTRA_MS = 200;

    private final Cluster cluster;
    private final Simulator sim;
    private final boolean unreliable;
    private final boolean partitions;
    private final Duration electionTimeout;
    private final SplittableRandom random;
    private boolean stopRequested;
    private boolean finished;

    NetworkChaos(Cluster cluster, boolean unreliable, boolean partitions, Duration electionTimeout) {
        this.cluster = cluster;
        this.sim = cluster.simulator();
        this.unreliable = unreliable;
        this.partitions = partitions;
        this.electionTimeout = electionTimeout;
        this.random = sim.random("network chaos");
    }

    void start() {
        iterate();
    }

    /** Ends the chaos at its next wake-up, as TinyKV's goroutine ends after its current sleep. */
    void stop() {
        stopRequested = true;
    }

    boolean isFinished() {
        return finished;
    }

    private void iterate() {
        if (stopRequested) {
            finished = true;
            return;
        }
        cluster.clearFilters();
        if (partitions) {
            Set<Long> side0 = new TreeSet<>();
            Set<Long> side1 = new TreeSet<>();
            for (long storeId : cluster.storeIds()) {
                (random.nextInt(2) == 0 ? side0 : side1).add(storeId);
            }
            cluster.addFilter(new PartitionFilter<RaftMessage>(side0, side1));
        }
        if (unreliable) {
            cluster.addFilter(new DropFilter<RaftMessage>(DropFilter.TINYKV_RATE));
        }
        long sleep = electionTimeout.toMillis() + random.nextLong(MAX_EXTRA_MS);
        sim.schedule(sleep, "network chaos", "redraw " + cluster.filters(), this::iterate);
    }
}
