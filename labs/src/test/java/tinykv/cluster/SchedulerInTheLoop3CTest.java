package tinykv.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import tinykv.kv.raftstore.StoreConfig;
import tinykv.labs.Points;
import tinykv.labs.Seeded;
import tinykv.proto.metapb.Peer;
import tinykv.scheduler.core.RegionInfo;
import tinykv.scheduler.core.StoreInfo;
import tinykv.scheduler.operator.OpKind;
import tinykv.scheduler.schedule.ScheduleConfig;
import tinykv.scheduler.server.RaftCluster;
import tinykv.sim.Simulator;

/**
 * Lab 3C with the raftstore: the real scheduler (your heartbeat processing and balance-region scheduler,
 * with the provided balance-leader scheduler) on a node of the simulated network, in place of the mock, and
 * its operators carried out by your lab 3B raftstore. TinyKV tests its scheduler only against a mock
 * cluster; these tests are our own.
 *
 * <p>Each run: five stores, three replicas, the first region on stores 1 to 3 (stores 4 and 5 start empty),
 * regions of at most 300 bytes (split at 200, as TinyKV's split tests), and clients appending to their own
 * keys until the scheduler knows at least {@value #MIN_REGIONS} regions. Every region is far below a MiB, so
 * the scheduler counts each as size 1 and balancing sizes means balancing counts: the balance rule moves a
 * peer only while two stores differ by more than twice a region's size, so a balanced cluster has no two
 * stores more than {@value #BALANCE_SLACK} regions apart (and so each within that of the mean).
 *
 * <p>Throughout, no region may have fewer healthy peers than its replicas (peers on running stores that the
 * leader does not report lagging) for longer than {@link #UNDER_REPLICATED_BOUND}. Each test prints the
 * regions per store, second by second, and the simulator's summary line.
 */
@Tag("lab3c")
@Points(1)
@Seeded
@DisplayName("Lab 3C: the scheduler in the loop of a simulated cluster")
class SchedulerInTheLoop3CTest {
    private static final int STORES = 5;
    private static final int REPLICAS = 3;
    private static final int CLIENTS = 5;
    private static final int MIN_REGIONS = 20;
    /** Two stores may differ by twice a region's size (1) in a balanced cluster. */
    private static final int BALANCE_SLACK = 2;
    /**
     * The leader margin: balance-leader moves a leader only while two stores' leader counts differ by at least
     * twice its tolerance ratio (5), so a store may lead up to that many more than its share.
     */
    private static final int LEADER_MARGIN = 10;
    /**
     * How long a region may have fewer healthy peers than its replicas: a peer on a stopped store counts as
     * lost at once, but is replaced only after {@code maxStoreDownTime}, then needs a snapshot to arrive.
     */
    private static final Duration UNDER_REPLICATED_BOUND = Duration.ofSeconds(10);
    /** How long the clients may take to bring the cluster to {@value #MIN_REGIONS} regions. */
    private static final Duration LOAD_BUDGET = Duration.ofSeconds(60);
    /** How long the scheduler may take to balance the regions once the load stops. */
    private static final Duration BALANCE_BUDGET = Duration.ofSeconds(60);
    private static final Duration LEADER_BALANCE_BUDGET = Duration.ofSeconds(60);
    /** A store silent for longer is down: its peers are replaced (TinyKV's default is 30 minutes). */
    private static final Duration MAX_STORE_DOWN_TIME = Duration.ofSeconds(5);
    /**
     * At most two peer moves at once. The kit's scheduler, like TinyKV's, does not count the moves under way in
     * a store's size (PD's "operator influence"), so with many at once every move of a round goes from the same
     * largest store to the same smallest one, overshoots, and the stores swing for a long time.
     */
    private static final int REGION_SCHEDULE_LIMIT = 2;
    private static final ScheduleConfig SCHEDULE = ScheduleConfig.DEFAULT.withMaxReplicas(REPLICAS)
            .withMaxStoreDownTime(MAX_STORE_DOWN_TIME).withRegionScheduleLimit(REGION_SCHEDULE_LIMIT);
    private static final StoreConfig STORE_CONFIG = StoreConfig.forTests().withRegionSizes(300, 200);

    @Test
    @DisplayName("regions split under load spread evenly over all five stores; every append is intact")
    void regionsBalanceInTheLoop3C(TestInfo info) {
        inTheLoop(info, (cluster, watch) -> {
            List<AppendClient> clients = loadUntilSplit(cluster);
            mustBalance(cluster, cluster.storeIds());
            for (long storeId : cluster.storeIds()) {
                cluster.mustHoldRegionsOfScheduler(storeId);
            }
            checkAppends(cluster, clients);
        });
    }

    /**
     * With the scheduling paused after the region balance, every region's leadership moves to its peer on the
     * lowest store id, so that store 1 leads far more than its share; scheduling resumes, and balance-leader
     * must bring every store down to its share plus the margin. Twice the regions of the other tests, so
     * that share plus margin is well below what store 1 leads.
     */
    @Test
    @DisplayName("leaders piled on one store spread out: none leads more than its share plus " + LEADER_MARGIN)
    void leadersBalanceInTheLoop3C(TestInfo info) {
        inTheLoop(info, (cluster, watch) -> {
            SchedulerNode node = cluster.schedulerNode();
            RaftCluster scheduler = node.cluster();
            List<AppendClient> clients = loadUntilSplit(cluster, 2 * MIN_REGIONS);
            mustBalance(cluster, cluster.storeIds());
            node.stopScheduling();
            for (RegionInfo region : scheduler.getRegions()) {
                Peer lowest = region.peers().stream().min(Comparator.comparingLong(Peer::getStoreId)).orElseThrow();
                cluster.mustTransferLeader(region.id(), lowest);
            }
            String piled = watch.leaderCounts();
            assertThat(maxLeaders(scheduler)).as("leaders per store %s once piled up", piled)
                    .isGreaterThan(leaderBound(scheduler));
            node.startScheduling();
            cluster.simulator().mustRunUntil("no store leads more than its share plus " + LEADER_MARGIN,
                    () -> maxLeaders(scheduler) <= leaderBound(scheduler), LEADER_BALANCE_BUDGET);
            System.out.println("[3c] " + name(info) + " leaders per store " + piled + " piled up, " + watch.leaderCounts()
                    + " balanced, of " + scheduler.getRegionCount() + " regions");
            checkAppends(cluster, clients);
        });
    }

    /**
     * Store 3, which holds a peer of the first (and only) region, stops a second after the scheduler has heard
     * of that region. Once it has been down
     * longer than {@code maxStoreDownTime}, the scheduler replaces that peer with one on another store; then the
     * load splits the region, and the regions spread over the four other stores, none ever added to store 3.
     * (Until the load starts there is one region, so no balance move is due while store 3 is down but not for
     * long enough.)
     */
    @Test
    @DisplayName("a store down longer than maxStoreDownTime gets no new peer; its peer moves, the rest balance")
    void downStoreGetsNoPeerInTheLoop3C(TestInfo info) {
        inTheLoop(info, (cluster, watch) -> {
            Simulator sim = cluster.simulator();
            RaftCluster scheduler = cluster.schedulerNode().cluster();
            long down = 3;
            sim.mustRunUntil("the scheduler knows the first region, with its peer on store " + down,
                    () -> scheduler.getStoreRegionCount(down) == 1, Duration.ofSeconds(5));
            sim.runFor(Duration.ofSeconds(1)); // every store has reported
            cluster.stopServer(down);
            long stoppedAt = sim.now();
            watch.forbidNewPeersOn(store -> store == down && sim.now() - stoppedAt > MAX_STORE_DOWN_TIME.toMillis());
            sim.mustRunUntil("the peer on store " + down + " is replaced on another store",
                    () -> scheduler.getStoreRegionCount(down) == 0
                            && scheduler.getRegions().stream().allMatch(region -> region.peers().size() == REPLICAS),
                    MAX_STORE_DOWN_TIME.plus(UNDER_REPLICATED_BOUND));
            List<AppendClient> clients = loadUntilSplit(cluster);
            mustBalance(cluster, cluster.storeIds().stream().filter(store -> store != down).toList());
            assertThat(scheduler.getStoreRegionCount(down)).as("regions with a peer on store %d", down).isZero();
            checkAppends(cluster, clients);
        });
    }

    // ---- the scenario ------------------------------------------------------------------------------------

    /** Runs {@code scenario} on a started cluster with the real scheduler, and prints the figures. */
    private static void inTheLoop(TestInfo info, BiConsumer<Cluster, BalanceWatch> scenario) {
        Simulator sim = Simulator.forCurrentSeed();
        BalanceWatch watch = null;
        try (Cluster cluster = Cluster.withScheduler(STORES, STORE_CONFIG, SCHEDULE, sim)) {
            cluster.start(REPLICAS);
            watch = new BalanceWatch(cluster, REPLICAS, UNDER_REPLICATED_BOUND);
            watch.start();
            scenario.accept(cluster, watch);
        } finally {
            if (watch != null) {
                System.out.println("[3c] " + name(info) + " regions per store over virtual time: " + watch.figures()
                        + "; longest under-replicated " + watch.longestUnderReplicatedMs() + " ms");
            }
            System.out.println(sim.summaryLine(name(info)));
        }
    }

    /** Clients append until the scheduler knows {@value #MIN_REGIONS} regions; then they stop. */
    private static List<AppendClient> loadUntilSplit(Cluster cluster) {
        return loadUntilSplit(cluster, MIN_REGIONS);
    }

    private static List<AppendClient> loadUntilSplit(Cluster cluster, int regions) {
        Simulator sim = cluster.simulator();
        RaftCluster scheduler = cluster.schedulerNode().cluster();
        List<AppendClient> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            AppendClient client = new AppendClient(i, cluster.newClient("client " + i), sim.random("client " + i));
            clients.add(client);
            client.start();
        }
        sim.mustRunUntil("the scheduler knows at least " + regions + " regions",
                () -> scheduler.getRegionCount() >= regions, LOAD_BUDGET);
        clients.forEach(AppendClient::stop);
        sim.mustRunUntil("every client finishes its last operation",
                () -> clients.stream().allMatch(AppendClient::isIdle), LOAD_BUDGET);
        return clients;
    }

    /**
     * Runs until no region operator is left, every region has its replicas, and no two of {@code storeIds} are
     * more than the slack apart.
     */
    private static void mustBalance(Cluster cluster, List<Long> storeIds) {
        RaftCluster scheduler = cluster.schedulerNode().cluster();
        cluster.simulator().mustRunUntil("the regions are balanced over stores " + storeIds + " (no two more than "
                + BALANCE_SLACK + " apart, no peer move under way)",
                () -> scheduler.opController().operatorCount(OpKind.REGION) == 0
                        && scheduler.getRegions().stream().allMatch(region -> region.peers().size() == REPLICAS)
                        && spread(scheduler, storeIds) <= BALANCE_SLACK, BALANCE_BUDGET);
    }

    private static int spread(RaftCluster scheduler, List<Long> storeIds) {
        List<Integer> counts = storeIds.stream().map(scheduler::getStoreRegionCount).toList();
        return counts.stream().max(Integer::compare).orElse(0) - counts.stream().min(Integer::compare).orElse(0);
    }

    /** A store's share of the leaders (rounded up) plus the margin. */
    private static int leaderBound(RaftCluster scheduler) {
        return (scheduler.getRegionCount() + STORES - 1) / STORES + LEADER_MARGIN;
    }

    private static int maxLeaders(RaftCluster scheduler) {
        return scheduler.getStores().stream().mapToInt(StoreInfo::leaderCount).max().orElse(0);
    }

    /** Each client's values are all there, once each, in order (read back through the raftstore). */
    private static void checkAppends(Cluster cluster, List<AppendClient> clients) {
        for (AppendClient client : clients) {
            List<byte[]> values = cluster.scan(AppendClient.key(client.id(), 0),
                    AppendClient.key(client.id(), client.puts()));
            GenericTest.checkClientAppends(client.id(), GenericTest.join(values), client.puts());
        }
    }

    private static String name(TestInfo info) {
        return info.getTestMethod().orElseThrow().getName();
    }
}
