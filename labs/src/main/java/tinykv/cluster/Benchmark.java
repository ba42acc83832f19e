package tinykv.cluster;

import static tinykv.cluster.GenericTest.Option.PARTITIONS;
import static tinykv.cluster.GenericTest.Option.SPLIT;
import static tinykv.cluster.GenericTest.clients;

import java.util.Locale;
import tinykv.labs.Seeds;
import tinykv.sim.Simulator;

/**
 * {@code make bench [IMPL=reference]}: how fast the simulated cluster runs a raftstore. Five stores, five
 * clients, a reliable network, TinyKV's timings; after one warm-up round (JIT, RocksDB), three rounds of
 * 5 virtual seconds of client load. Reports committed client operations (puts and scans that completed) per
 * wall second, and virtual seconds per wall second: without raft-log GC and with a GC limit of 100 entries
 * (lab 2C), on a reliable network (the cost of compaction) and while the network is re-partitioned at random
 * (followers cut off fall behind the compacted log: the cost of snapshots); and with regions split at 300
 * bytes (lab 3B: many raft groups on each store). Not a test: nothing here passes
 * or fails on speed.
 */
public final class Benchmark {
    private static final int MEASURED_ROUNDS = 3;

    private Benchmark() {}

    public static void main(String[] args) {
        long seed = Seeds.current();
        clients(5).run("benchmark warm-up", new Simulator(seed), 1, false);
        measure("5 stores, 5 clients, reliable network, no log GC", clients(5), seed);
        measure("5 stores, 5 clients, reliable network, log GC at 100 entries", clients(5).maxRaftLog(100), seed);
        measure("5 stores, 5 clients, random partitions, no log GC", clients(5).with(PARTITIONS), seed);
        measure("5 stores, 5 clients, random partitions, log GC at 100 entries (snapshots)",
                clients(5).with(PARTITIONS).maxRaftLog(100), seed);
        measure("5 stores, 5 clients, reliable network, regions split at 300 bytes (multi-raft)",
                clients(5).with(SPLIT), seed);
    }

    private static void measure(String what, GenericTest workload, long seed) {
        Simulator sim = new Simulator(seed);
        long wallStart = System.nanoTime();
        GenericTest.Outcome outcome = workload.run("benchmark", sim, MEASURED_ROUNDS, false);
        double wallSeconds = (System.nanoTime() - wallStart) / 1e9;

        double virtualSeconds = outcome.virtualMillis() / 1000.0;
        System.out.printf(Locale.ROOT, "[bench] %s, %d rounds of %ds, seed %d%n", what, MEASURED_ROUNDS,
                GenericTest.ROUND_LENGTH.toSeconds(), seed);
        System.out.printf(Locale.ROOT, "[bench]   committed operations: %d in %.2f wall s = %.0f ops/wall s "
                + "(%.0f ops/virtual s)%n", outcome.operations(), wallSeconds, outcome.operations() / wallSeconds,
                outcome.operations() / virtualSeconds);
        System.out.printf(Locale.ROOT, "[bench]   virtual time: %.1f s in %.2f wall s = %.1f virtual s/wall s; "
                + "%d events = %.0f events/wall s; %d snapshots sent; %d regions at the end%n", virtualSeconds,
                wallSeconds, virtualSeconds / wallSeconds, outcome.events(), outcome.events() / wallSeconds,
                outcome.snapshotsSent(), outcome.regions());
    }
}
