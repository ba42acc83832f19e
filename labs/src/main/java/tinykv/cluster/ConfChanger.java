package tinykv.cluster;

import com.google.protobuf.TextFormat;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import tinykv.kv.raftstore.RegionChecks;
import tinykv.proto.metapb.Peer;
import tinykv.proto.metapb.Region;
import tinykv.sim.Simulator;

/**
 * TinyKV's {@code confchanger} as simulator events (lab 3B): over and over, a random region and a random store;
 * if the store has a peer of the region and the region has more than one, the peer is removed, otherwise a new
 * peer is added there; each order is carried out by the scheduler and must show within 5 virtual seconds (as
 * TinyKV's MustAddPeer and MustRemovePeer), then the next comes 0 to 199 ms later.
 *
 * <p>{@link #stop} ends the loop; an order under way still has to finish in time, as in TinyKV, where the
 * conf changer's last call runs on while the test goes on.
 *
 * <p>Differs from TinyKV: when the network is also re-partitioned at random, an order that does not show in
 * time is logged and given up, and the loop goes on. A region of four peers split two and two has no quorum,
 * and the chaos can keep it so for longer than 5 seconds; failing then would fail correct code on some seeds.
 * Without partitions, the deadline is TinyKV's and missing it fails the run.
 */
final class ConfChanger {
    /** TinyKV: MustAddPeer and MustRemovePeer ask the scheduler 500 times, 10 ms apart. */
    private static final Duration ORDER_DEADLINE = Duration.ofSeconds(5);
    private static final long POLL_MS = 10;
    private static final int MAX_PAUSE_MS = 200;
    private static final String OWNER = "conf changer";

    private final Cluster cluster;
    private final Simulator sim;
    private final SplittableRandom random;
    /** Whether an order that misses its deadline fails the run (see the class comment). */
    private final boolean strict;
    private boolean stopped;
    private boolean ordering;
    private int orders;

    ConfChanger(Cluster cluster, boolean strict) {
        this.cluster = cluster;
        this.strict = strict;
        this.sim = cluster.simulator();
        this.random = sim.random(OWNER);
    }

    void start() {
        sim.schedule(0, OWNER, "next conf change", this::next);
    }

    void stop() {
        stopped = true;
    }

    /** Whether no order is under way (the last one showed, or none was given). */
    boolean isIdle() {
        return !ordering;
    }

    /** How many orders were given. */
    int orders() {
        return orders;
    }

    private void next() {
        if (stopped) {
            return;
        }
        List<Region> regions = cluster.scheduler().regions();
        if (regions.isEmpty()) {
            pauseThenNext();
            return;
        }
        Region region = regions.get(random.nextInt(regions.size()));
        long storeId = 1 + random.nextInt(cluster.count());
        Optional<Peer> existing = RegionChecks.findPeer(region, storeId);
        if (existing.isPresent()) {
            if (region.getPeersCount() > 1) {
                Peer peer = existing.get();
                order(region.getId(), "remove peer " + peer.getId() + " on store " + storeId + " from region " + region.getId(),
                        () -> cluster.scheduler().removePeer(region.getId(), peer),
                        () -> cluster.hasNoPeer(region.getId(), peer));
                return;
            }
            pauseThenNext();
            return;
        }
        Peer peer = cluster.allocPeer(storeId);
        order(region.getId(), "add peer " + peer.getId() + " on store " + storeId + " to region " + region.getId(),
                () -> cluster.scheduler().addPeer(region.getId(), peer),
                () -> cluster.hasPeer(region.getId(), peer));
    }

    private void order(long regionId, String what, Runnable give, BooleanSupplier done) {
        orders++;
        ordering = true;
        cluster.log().info("%s: %s", OWNER, what);
        give.run();
        awaitThenNext(regionId, what, done, sim.now() + ORDER_DEADLINE.toMillis());
    }

    private void awaitThenNext(long regionId, String what, BooleanSupplier done, long deadline) {
        if (done.getAsBoolean()) {
            ordering = false;
            pauseThenNext();
            return;
        }
        if (sim.now() >= deadline) {
            String missed = "conf change not done within " + ORDER_DEADLINE.toMillis() + " ms of virtual time: "
                    + what + "; the scheduler knows region " + regionId + " as "
                    + cluster.scheduler().getRegionById(regionId)
                            .map(known -> TextFormat.shortDebugString(known.region())).orElse("nothing");
            if (strict) {
                throw new AssertionError(missed + " (virtual time " + sim.now() / 1000.0 + "s, seed " + sim.seed() + ")");
            }
            cluster.log().info("%s: %s; given up under partitions", OWNER, missed);
            ordering = false;
            pauseThenNext();
            return;
        }
        sim.schedule(POLL_MS, OWNER, "poll: " + what, () -> awaitThenNext(regionId, what, done, deadline));
    }

    private void pauseThenNext() {
        sim.schedule(random.nextInt(MAX_PAUSE_MS), OWNER, "next conf change", this::next);
    }
}
