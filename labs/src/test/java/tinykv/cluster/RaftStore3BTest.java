package tinykv.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static tinykv.cluster.GenericTest.Option.CONF_CHANGE;
import static tinykv.cluster.GenericTest.Option.CRASH;
import static tinykv.cluster.GenericTest.Option.PARTITIONS;
import static tinykv.cluster.GenericTest.Option.SPLIT;
import static tinykv.cluster.GenericTest.Option.UNRELIABLE;
import static tinykv.cluster.GenericTest.clients;
import static tinykv.cluster.Requests.newPeer;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import tinykv.kv.engine.ColumnFamilies;
import tinykv.kv.raftstore.RegionChecks;
import tinykv.kv.raftstore.StoreConfig;
import tinykv.kv.raftstore.meta.MetaStates;
import tinykv.labs.Points;
import tinykv.labs.Seeded;
import tinykv.proto.errorpb.Error;
import tinykv.proto.metapb.Region;
import tinykv.proto.raft_serverpb.PeerState;
import tinykv.proto.raft_serverpb.RegionLocalState;
import tinykv.proto.raft_serverpb.RaftMessage;
import tinykv.sim.PartitionFilter;
import tinykv.sim.Simulator;

/**
 * Lab 3B: leader transfer, membership change and split in the raftstore (TinyKV's
 * {@code test_raftstore/test_test.go}, the 3B tests), on five simulated stores with TinyKV's timings in
 * virtual time. Every test also checks, after every event, that no two regions of a store overlap, that no
 * region's epoch goes back on a store, and that a region has at most one leader per term. Each prints one
 * summary line (seed, virtual and wall time, events, fingerprint); {@code make lab3b TEST=<name> SEED=<n>}
 * replays it exactly.
 */
@Tag("lab3b")
@Points(1)
@Seeded
@DisplayName("Lab 3B: conf change and split in the raftstore")
class RaftStore3BTest {
    /** TinyKV's raft-log GC limit in the snapshot variants. */
    private static final int GC_LIMIT = 100;

    /** Runs {@code scenario} on a started cluster of five stores and prints the run's summary line. */
    private static void onCluster(TestInfo info, StoreConfig config, Consumer<Cluster> scenario) {
        Simulator sim = Simulator.forCurrentSeed();
        try (Cluster cluster = new Cluster(5, config, sim)) {
            cluster.start();
            scenario.accept(cluster);
        } finally {
            System.out.println(sim.summaryLine(info.getTestMethod().orElseThrow().getName()));
        }
    }

    @Test
    @DisplayName("the leader moves to each store in turn (TestTransferLeader3B)")
    void transferLeader3B(TestInfo info) {
        onCluster(info, StoreConfig.forTests(), cluster -> {
            long regionId = cluster.getRegion(bytes("")).getId();
            for (long store = 1; store <= 5; store++) {
                cluster.mustTransferLeader(regionId, newPeer(store, store));
            }
        });
    }

    /**
     * Peers removed down to one and added back, a store removed and re-added under a new peer id: a removed
     * store keeps no data, an added one catches up, and {@code confVer} grows (TinyKV's TestBasicConfChange3B).
     */
    @Test
    @DisplayName("peers removed and added one at a time; removed ones keep nothing (TestBasicConfChange3B)")
    void basicConfChange3B(TestInfo info) {
        onCluster(info, StoreConfig.forTests(), cluster -> {
            cluster.mustTransferLeader(1, newPeer(1, 1));
            for (long store = 2; store <= 5; store++) {
                cluster.mustRemovePeer(1, newPeer(store, store));
            }
            // Region 1 has a single peer now: (1, 1).
            cluster.mustPut(bytes("k1"), bytes("v1"));
            cluster.mustGetNone(2, bytes("k1"));

            cluster.mustAddPeer(1, newPeer(2, 2));
            cluster.mustPut(bytes("k2"), bytes("v2"));
            cluster.mustGet(bytes("k2"), bytes("v2"));
            cluster.mustGetEqual(2, bytes("k1"), bytes("v1"));
            cluster.mustGetEqual(2, bytes("k2"), bytes("v2"));
            assertThat(cluster.getRegion(bytes("k1")).getRegionEpoch().getConfVer())
                    .as("confVer of region 1 after five membership changes").isGreaterThan(1);
            cluster.mustGetNone(5, bytes("k1")); // store 5 has no peer

            cluster.mustAddPeer(1, newPeer(3, 3));
            cluster.mustRemovePeer(1, newPeer(2, 2));
            cluster.mustPut(bytes("k3"), bytes("v3"));
            cluster.mustGet(bytes("k3"), bytes("v3"));
            cluster.mustGetEqual(3, bytes("k1"), bytes("v1"));
            cluster.mustGetEqual(3, bytes("k2"), bytes("v2"));
            cluster.mustGetEqual(3, bytes("k3"), bytes("v3"));
            // The removed peer on store 2 destroyed its data.
            cluster.mustGetNone(2, bytes("k1"));
            cluster.mustGetNone(2, bytes("k2"));

            cluster.mustAddPeer(1, newPeer(2, 2));
            cluster.mustGetEqual(2, bytes("k1"), bytes("v1"));
            cluster.mustGetEqual(2, bytes("k2"), bytes("v2"));
            cluster.mustGetEqual(2, bytes("k3"), bytes("v3"));

            // Store 2 again, under a new peer id.
            cluster.mustRemovePeer(1, newPeer(2, 2));
            cluster.mustAddPeer(1, newPeer(2, 4));
            cluster.mustRemovePeer(1, newPeer(3, 3));
            cluster.mustPut(bytes("k4"), bytes("v4"));
            cluster.mustGetEqual(2, bytes("k1"), bytes("v1"));
            cluster.mustGetEqual(2, bytes("k4"), bytes("v4"));
            cluster.mustGetNone(3, bytes("k1"));
            cluster.mustGetNone(3, bytes("k4"));
        });
    }

    /**
     * The leader itself is removed: of five peers, then of the last two (TinyKV's TestConfChangeRemoveLeader3B).
     * In a group of two, a leader that applied its own removal and vanished could leave the other peer unaware
     * that the change committed, waiting forever for a vote from a peer that is gone.
     */
    @Test
    @DisplayName("the leader is removed, of five peers and of two (TestConfChangeRemoveLeader3B)")
    void confChangeRemoveLeader3B(TestInfo info) {
        onCluster(info, StoreConfig.forTests(), cluster -> {
            cluster.mustTransferLeader(1, newPeer(1, 1));
            cluster.mustRemovePeer(1, newPeer(1, 1));
            cluster.mustPut(bytes("k0"), bytes("v0"));
            cluster.mustGetNone(1, bytes("k0"));

            // Back on store 1 and leading again: it catches up.
            cluster.mustAddPeer(1, newPeer(1, 1));
            cluster.mustTransferLeader(1, newPeer(1, 1));
            cluster.mustPut(bytes("k1"), bytes("v1"));
            cluster.mustGetEqual(1, bytes("k0"), bytes("v0"));
            cluster.mustGetEqual(1, bytes("k1"), bytes("v1"));

            // Down to two peers, (1, 1) leading and (2, 2); then the leader goes.
            for (long store = 3; store <= 5; store++) {
                cluster.mustRemovePeer(1, newPeer(store, store));
            }
            cluster.mustTransferLeader(1, newPeer(1, 1));
            cluster.mustRemovePeer(1, newPeer(1, 1));
            cluster.mustPut(bytes("k2"), bytes("v2"));
            cluster.mustGetEqual(2, bytes("k2"), bytes("v2"));
            cluster.mustGetNone(1, bytes("k2"));
            cluster.mustGetNone(1, bytes("k0"));
            assertThat(cluster.getRegion(bytes("k2")).getPeersList()).as("the peers of region 1")
                    .containsExactly(newPeer(2, 2));
        });
    }

    /**
     * A region grows past {@code regionMaxSize} while store 5 is cut off: it splits in two adjacent regions that
     * cover the old range, a command for the old range's right half is refused by the left region, and store 5
     * catches up on both once the partition heals (TinyKV's TestOneSplit3B).
     */
    /** TinyKV's GenericTest with its 3B options: clients append while regions change under them. */
    private static void generic(TestInfo info, GenericTest test) {
        test.run(info.getTestMethod().orElseThrow().getName(), Simulator.forCurrentSeed());
    }

    @Test
    @DisplayName("one client, random conf changes, restarts (TestConfChangeRecover3B)")
    void confChangeRecover3B(TestInfo info) {
        generic(info, clients(1).with(CRASH, CONF_CHANGE));
    }

    @Test
    @DisplayName("20 clients, random conf changes, restarts (TestConfChangeRecoverManyClients3B)")
    void confChangeRecoverManyClients3B(TestInfo info) {
        generic(info, clients(20).with(CRASH, CONF_CHANGE));
    }

    @Test
    @DisplayName("five clients, random conf changes, 10% drops (TestConfChangeUnreliable3B)")
    void confChangeUnreliable3B(TestInfo info) {
        generic(info, clients(5).with(UNRELIABLE, CONF_CHANGE));
    }

    @Test
    @DisplayName("five clients, random conf changes, 10% drops, restarts (TestConfChangeUnreliableRecover3B)")
    void confChangeUnreliableRecover3B(TestInfo info) {
        generic(info, clients(5).with(UNRELIABLE, CRASH, CONF_CHANGE));
    }

    @Test
    @DisplayName("as above, with log GC and snapshots (TestConfChangeSnapshotUnreliableRecover3B)")
    void confChangeSnapshotUnreliableRecover3B(TestInfo info) {
        generic(info, clients(5).with(UNRELIABLE, CRASH, CONF_CHANGE).maxRaftLog(GC_LIMIT));
    }

    @Test
    @DisplayName("as above, with random partitions (TestConfChangeSnapshotUnreliableRecoverConcurrentPartition3B)")
    void confChangeSnapshotUnreliableRecoverConcurrentPartition3B(TestInfo info) {
        generic(info, clients(5).with(UNRELIABLE, CRASH, PARTITIONS, CONF_CHANGE).maxRaftLog(GC_LIMIT));
    }

    @Test
    @DisplayName("one client, regions split, restarts (TestSplitRecover3B)")
    void splitRecover3B(TestInfo info) {
        generic(info, clients(1).with(CRASH, SPLIT));
    }

    @Test
    @DisplayName("20 clients, regions split, restarts (TestSplitRecoverManyClients3B)")
    void splitRecoverManyClients3B(TestInfo info) {
        generic(info, clients(20).with(CRASH, SPLIT));
    }

    @Test
    @DisplayName("five clients, regions split, 10% drops (TestSplitUnreliable3B)")
    void splitUnreliable3B(TestInfo info) {
        generic(info, clients(5).with(UNRELIABLE, SPLIT));
    }

    @Test
    @DisplayName("five clients, regions split, 10% drops, restarts (TestSplitUnreliableRecover3B)")
    void splitUnreliableRecover3B(TestInfo info) {
        generic(info, clients(5).with(UNRELIABLE, CRASH, SPLIT));
    }

    @Test
    @DisplayName("splits and conf changes, log GC, 10% drops, restarts (TestSplitConfChangeSnapshotUnreliableRecover3B)")
    void splitConfChangeSnapshotUnreliableRecover3B(TestInfo info) {
        generic(info, clients(5).with(UNRELIABLE, CRASH, CONF_CHANGE, SPLIT).maxRaftLog(GC_LIMIT));
    }

    @Test
    @DisplayName("as above, with random partitions (TestSplitConfChangeSnapshotUnreliableRecoverConcurrentPartition3B)")
    void splitConfChangeSnapshotUnreliableRecoverConcurrentPartition3B(TestInfo info) {
        generic(info, clients(5).with(UNRELIABLE, CRASH, PARTITIONS, CONF_CHANGE, SPLIT).maxRaftLog(GC_LIMIT));
    }

    @Test
    @DisplayName("a region splits in two while a store is cut off (TestOneSplit3B)")
    void oneSplit3B(TestInfo info) {
        onCluster(info, StoreConfig.forTests().withRegionSizes(800, 500), cluster -> {
            cluster.mustPut(bytes("k1"), bytes("v1"));
            cluster.mustPut(bytes("k2"), bytes("v2"));
            Region region = cluster.getRegion(bytes("k1"));
            assertThat(cluster.getRegion(bytes("k2")).getId()).as("k1 and k2 before the split").isEqualTo(region.getId());

            cluster.addFilter(new PartitionFilter<RaftMessage>(Set.of(1L, 2L, 3L, 4L), Set.of(5L)));
            for (int i = 100; i < 200; i++) {
                cluster.mustPut(bytes("k" + i), bytes("v" + i));
            }
            cluster.simulator().runFor(Duration.ofMillis(200));
            cluster.clearFilters();

            Region left = cluster.getRegion(bytes("k1"));
            Region right = cluster.getRegion(bytes("k2"));
            assertThat(left.getId()).as("the regions of k1 and k2 after the split").isNotEqualTo(right.getId());
            assertThat(left.getStartKey()).as("start of the left region").isEqualTo(region.getStartKey());
            assertThat(left.getEndKey()).as("end of the left region").isEqualTo(right.getStartKey());
            assertThat(right.getEndKey()).as("end of the right region").isEqualTo(region.getEndKey());

            var get = Requests.newRequest(left.getId(), left.getRegionEpoch(),
                    List.of(Requests.get(ColumnFamilies.DEFAULT, bytes("k2"))));
            CommandResult result = cluster.callCommandOnLeader(get, Duration.ofSeconds(1)).orElseThrow(
                    () -> new AssertionError("no answer from the leader of region " + left.getId() + " within 1 s"));
            Error error = result.response().getHeader().getError();
            result.discard();
            assertThat(error.hasKeyNotInRegion()).as("the left region answers a get of k2 with KeyNotInRegion, got %s",
                    error).isTrue();

            cluster.mustGetEqual(5, bytes("k100"), bytes("v100"));
        });
    }

    /**
     * Our own. Store 5 is cut off while region 1 splits and both halves move on: the right half's peer on store
     * 5 is removed, a key is written there, and the left half's log is compacted past store 5. When the
     * partition heals, store 5 is sent region 1's snapshot of its smaller range: applying it must drop the keys
     * store 5 held for the right half (no region of store 5 covers them any more), and at every event no two
     * regions of store 5 overlap.
     */
    @Test
    @DisplayName("a store that missed a split gets both halves, never two regions over one range")
    void missedSplitIsRepairedBySnapshotsWithoutOverlap(TestInfo info) {
        onCluster(info, StoreConfig.forTests().withRegionSizes(800, 500).withRaftLogGcCountLimit(10), cluster -> {
            cluster.mustPut(bytes("k1"), bytes("v1"));
            cluster.mustPut(bytes("k2"), bytes("v2"));
            cluster.mustGetEqual(5, bytes("k2"), bytes("v2"));

            cluster.addFilter(new PartitionFilter<RaftMessage>(Set.of(1L, 2L, 3L, 4L), Set.of(5L)));
            for (int i = 100; i < 200; i++) {
                cluster.mustPut(bytes("k" + i), bytes("v" + i));
            }
            cluster.simulator().mustRunUntil("region 1 has split (k1 and k2 in two regions)",
                    () -> regionIdOf(cluster, "k1") != regionIdOf(cluster, "k2"),
                    Duration.ofSeconds(5));
            Region right = cluster.getRegion(bytes("k2"));
            cluster.mustRemovePeer(right.getId(), RegionChecks.findPeer(right, 5).orElseThrow());
            cluster.mustPut(bytes("k3"), bytes("v3"));
            for (int i = 0; i < 30; i++) {
                cluster.mustPut(bytes("k1"), bytes("v1-" + i));
            }
            cluster.clearFilters();

            cluster.mustGetEqual(5, bytes("k1"), bytes("v1-29"));
            cluster.mustHoldRegionsOfScheduler(5);
            cluster.mustGetNone(5, bytes("k2")); // held from before the split, in a range store 5 no longer has
            cluster.mustGetNone(5, bytes("k3"));
            assertThat(cluster.snapshotStats(5).applied()).as("snapshots applied on store 5").isPositive();
        });
    }

    /**
     * Our own. Store 5's peer is removed while it is cut off, so it never applies its own removal. Once the
     * partition heals, it campaigns; the region answers a vote request from a removed peer with a tombstone
     * message, and the peer destroys itself: its region state becomes a tombstone and its data is gone.
     */
    @Test
    @DisplayName("a peer removed while cut off is destroyed once it can hear again")
    void peerRemovedWhileCutOffIsDestroyedAfterHealing(TestInfo info) {
        onCluster(info, StoreConfig.forTests(), cluster -> {
            cluster.mustTransferLeader(1, newPeer(1, 1));
            cluster.mustPut(bytes("k1"), bytes("v1"));
            cluster.mustGetEqual(5, bytes("k1"), bytes("v1"));

            cluster.addFilter(new PartitionFilter<RaftMessage>(Set.of(1L, 2L, 3L, 4L), Set.of(5L)));
            cluster.mustRemovePeer(1, newPeer(5, 5));
            cluster.mustPut(bytes("k2"), bytes("v2"));
            cluster.simulator().runFor(Duration.ofSeconds(2));
            assertThat(cluster.peerStatuses(5)).as("store 5 still has its peer while cut off").hasSize(1);
            cluster.clearFilters();

            cluster.simulator().mustRunUntil("store 5 destroys its removed peer of region 1",
                    () -> cluster.peerStatuses(5).isEmpty(), Duration.ofSeconds(10));
            cluster.mustGetNone(5, bytes("k1"));
            assertThat(MetaStates.regionLocalState(cluster.engines(5).kv(), 1).map(RegionLocalState::getState))
                    .as("region 1's state on store 5").contains(PeerState.Tombstone);
        });
    }

    /** The id of the region the scheduler knows to hold {@code key} (0 if none), without waiting. */
    private static long regionIdOf(Cluster cluster, String key) {
        return cluster.scheduler().getRegion(bytes(key)).map(found -> found.region().getId()).orElse(0L);
    }

    static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }
}
