package tinykv.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Consumer;
import tinykv.proto.raft_serverpb.RaftMessage;
import tinykv.sim.PartitionFilter;
import tinykv.sim.Simulator;

/**
 * A workload in which only the history check can see a stale read: five clients, each reaching the cluster
 * through one store of its own, put their own key and get each other's, while the region's leader is cut
 * off in a minority with one other store. A store that answers a get without going through Raft (a deposed
 * leader reading its own engine), or before the writes ahead of the get in its log are applied, answers with
 * a value that another client's acknowledged put has already replaced. The end-of-round check (each key holds
 * the last value its client put) does not see it; the linearizability check of the history does.
 *
 * <p>Three rounds. In each: the clients run for 1 virtual second; the leader and one other store chosen at
 * random are cut off from the other three for 5 seconds while the clients keep going (the majority elects a
 * leader and goes on writing; the clients of the minority keep asking their own store first); the network
 * heals and the clients run 1 second more; then every key must hold its client's last acknowledged value.
 */
final class PartitionedLeaderReads {
    static final int STORES = 5;
    static final int ROUNDS = 3;
    private static final Duration BEFORE_PARTITION = Duration.ofSeconds(1);
    private static final Duration PARTITION = Duration.ofSeconds(5);
    private static final Duration AFTER_PARTITION = Duration.ofSeconds(1);
    private static final Duration CLIENTS_FINISH_BUDGET = Duration.ofSeconds(60);

    private PartitionedLeaderReads() {}

    /** Runs the workload on a fresh cluster; prints the simulator's summary line, even when it fails. */
    static void run(String testName, Simulator sim) {
        run(testName, sim, cluster -> {});
    }

    /** The same, with {@code setUp} applied to the cluster before it starts (kit tests break a store here). */
    static void run(String testName, Simulator sim, Consumer<Cluster> setUp) {
        try (Cluster cluster = Cluster.create(STORES, sim)) {
            setUp.accept(cluster);
            cluster.start();
            Duration electionTimeout = cluster.config().electionTimeout();
            sim.runFor(electionTimeout.multipliedBy(2));
            List<CrossReadClient> clients = new ArrayList<>();
            for (int i = 0; i < STORES; i++) {
                String name = "client " + i;
                clients.add(new CrossReadClient(i, STORES, i + 1, cluster.newClient(name), sim.random(name)));
            }
            SplittableRandom random = sim.random("partitioned leader");
            for (int round = 0; round < ROUNDS; round++) {
                runRound(cluster, clients, random, round);
            }
        } finally {
            System.out.println(sim.summaryLine(testName));
        }
    }

    /**
     * The store whose peer of region 1 leads in the highest term, as the stores see it now: the scheduler may
     * still name a leader that has since been replaced, and cutting that one off would test nothing.
     */
    private static java.util.Optional<Long> currentLeader(Cluster cluster) {
        return cluster.storeIds().stream()
                .flatMap(store -> cluster.peerStatuses(store).stream())
                .filter(peer -> peer.regionId() == 1 && peer.leader())
                .max(java.util.Comparator.comparingLong(tinykv.kv.raftstore.PeerStatus::term))
                .map(tinykv.kv.raftstore.PeerStatus::storeId);
    }

    private static void runRound(Cluster cluster, List<CrossReadClient> clients, SplittableRandom random, int round) {
        Simulator sim = cluster.simulator();
        clients.forEach(CrossReadClient::start);
        sim.runFor(BEFORE_PARTITION);
        long leader = currentLeader(cluster).orElseThrow(() -> new AssertionError(
                "round " + round + ": region 1 has no leader (virtual time " + sim.now() / 1000.0 + "s, seed "
                        + sim.seed() + ")"));
        Set<Long> minority = new TreeSet<>(List.of(leader));
        List<Long> others = new ArrayList<>(cluster.storeIds());
        others.remove(leader);
        minority.add(others.remove(random.nextInt(others.size())));
        cluster.addFilter(new PartitionFilter<RaftMessage>(minority, new TreeSet<>(others)));
        sim.runFor(PARTITION);
        cluster.clearFilters();
        sim.runFor(AFTER_PARTITION);
        clients.forEach(CrossReadClient::stop);
        sim.mustRunUntil("every client finishes its last operation of round " + round,
                () -> clients.stream().allMatch(CrossReadClient::isIdle), CLIENTS_FINISH_BUDGET);
        for (CrossReadClient client : clients) {
            String held = new String(cluster.get(CrossReadClient.key(client.id())), StandardCharsets.UTF_8);
            if (!held.equals(client.lastPut())) {
                throw new AssertionError("round " + round + ": key " + KeyText.of(CrossReadClient.key(client.id()))
                        + " holds " + KeyText.of(held.getBytes(StandardCharsets.UTF_8)) + ", but client "
                        + client.id() + " last put " + KeyText.of(client.lastPut().getBytes(StandardCharsets.UTF_8))
                        + " (virtual time " + sim.now() / 1000.0 + "s, seed " + sim.seed() + ")");
            }
        }
    }
}
