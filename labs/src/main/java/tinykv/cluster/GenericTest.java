package tinykv.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import tinykv.kv.raftstore.StoreConfig;
import tinykv.proto.metapb.Region;
import tinykv.sim.Simulator;

/**
 * TinyKV's {@code GenericTest} in virtual time: clients append to their own keys while the network
 * misbehaves and stores crash, then every client's appends are checked (all there, each once, in order).
 * A test describes its run in words, for example
 * {@code GenericTest.clients(5).with(UNRELIABLE, CRASH).maxRaftLog(100)}.
 *
 * <p>Three rounds. In each: the clients run for 5 virtual seconds (each alternates at random between putting
 * its next value and scanning all its values back, which must match what it put), under the {@link Option}s
 * the test chose. Then each client's values are scanned and checked, and deleted; with {@code maxRaftLog}, a
 * second later no store may keep more than twice that many applied entries in its raft log.
 *
 * @param clients how many clients run concurrently
 * @param options what the run does besides the plain workload, in their enum order
 * @param maxRaftLog if positive, the raft-log GC limit, and no store may keep more than twice this many
 *     applied entries (lab 2C); 0 for no limit
 */
public record GenericTest(int clients, Set<Option> options, int maxRaftLog) {
    public static final int STORES = 5;
    public static final int ROUNDS = 3;
    public static final Duration ROUND_LENGTH = Duration.ofSeconds(5);
    /** How long the clients run alone before the network chaos starts (TinyKV: 300 ms). */
    private static final Duration QUIET_START = Duration.ofMillis(300);
    /** How long the clients run before the conf changer starts, after any chaos (TinyKV: 100 ms). */
    private static final Duration CONF_CHANGE_START = Duration.ofMillis(100);
    /** TinyKV's split sizes for the split option. */
    private static final long SPLIT_MAX_SIZE = 300;
    private static final long SPLIT_SIZE = 200;
    /** How long the stores get to compact their logs before the lab 2C check (TinyKV: 1 s). */
    private static final Duration LOG_TRIM_GRACE = Duration.ofSeconds(1);
    /** A generous bound on waiting for the clients to finish their last operation; each gives up earlier. */
    private static final Duration CLIENTS_FINISH_BUDGET = Duration.ofSeconds(300);

    /**
     * What a run does besides the plain workload: the faults it injects, and (from lab 3B) how the workload
     * runs. A new option is one constant here, and its effect where {@link #run} reads it with {@code has}.
     */
    public enum Option {
        /** About 10% of raft messages are dropped while the clients run (TinyKV's {@code unreliable}). */
        UNRELIABLE,
        /** Every store stops after each round and restarts an election timeout later (TinyKV's {@code crash}). */
        CRASH,
        /**
         * Every store crashes once while the clients run, each at a crash point of its own inside its work (its
         * k-th engine write or send from a random moment, or right after it votes or acknowledges appends), and
         * all restart together at the round's end: TinyKV's persist scenario, cut inside the handlings.
         */
        CRASH_POINTS,
        /**
         * One store at a time crashes at a crash point while the clients run and restarts one to two election
         * timeouts later, while the others go on serving.
         */
        CRASH_ONE,
        /** Like {@link #CRASH_ONE}, with up to two of the five stores down at once (a minority). */
        CRASH_MINORITY,
        /**
         * The stores are split in two at random every election timeout plus up to 200 ms while the clients
         * run (TinyKV's {@code partitions}).
         */
        PARTITIONS,
        /**
         * A region at random gains or loses a peer on a store at random, every 0 to 200 ms while the clients
         * run (TinyKV's {@code confchange}, lab 3B).
         */
        CONF_CHANGE,
        /**
         * Regions split once they hold 300 bytes, at 200 (TinyKV's {@code split}, lab 3B); after each round the
         * region holding the empty key must have an end.
         */
        SPLIT,
    }

    /**
     * What one run did, for summaries and benchmarks; snapshots count transfers completed (lab 2C), regions those
     * the scheduler knows at the end (lab 3B).
     */
    public record Outcome(long operations, long virtualMillis, long events, long snapshotsSent, int regions) {}

    public GenericTest {
        if (clients < 1) {
            throw new IllegalArgumentException("at least one client, was " + clients);
        }
        if (maxRaftLog < 0) {
            throw new IllegalArgumentException("maxRaftLog must be positive, or 0 for no limit, was " + maxRaftLog);
        }
        EnumSet<Option> copy = EnumSet.noneOf(Option.class);
        copy.addAll(Objects.requireNonNull(options, "options"));
        options = Collections.unmodifiableSet(copy);
    }

    /** {@code clients} clients on a reliable network, no option, no raft-log GC limit. */
    public static GenericTest clients(int clients) {
        return new GenericTest(clients, EnumSet.noneOf(Option.class), 0);
    }

    /** This run, with {@code more} options too. */
    public GenericTest with(Option... more) {
        EnumSet<Option> all = EnumSet.noneOf(Option.class);
        all.addAll(options);
        all.addAll(Arrays.asList(more));
        return new GenericTest(clients, all, maxRaftLog);
    }

    /** This run, with raft-log GC after {@code entries} applied entries, and the lab 2C log check. */
    public GenericTest maxRaftLog(int entries) {
        if (entries < 1) {
            throw new IllegalArgumentException("maxRaftLog needs at least one entry, was " + entries);
        }
        return new GenericTest(clients, options, entries);
    }

    public boolean has(Option option) {
        return options.contains(option);
    }

    /** Runs the test on a fresh cluster; prints the simulator's summary line, even when the test fails. */
    public Outcome run(String testName, Simulator sim) {
        return run(testName, sim, ROUNDS, true);
    }

    /**
     * Runs {@code rounds} rounds; {@code check} false skips the final scan, check and delete of each round
     * (for benchmarks, which only count operations).
     */
    public Outcome run(String testName, Simulator sim, int rounds, boolean check) {
        StoreConfig config = storeConfig();
        long operations = 0;
        try (Cluster cluster = new Cluster(STORES, config, sim)) {
            cluster.start();
            if (options.isEmpty()) {
                cluster.checkNoTermChurn(); // nothing injected: a leader, once elected, keeps its term
            }
            Duration electionTimeout = config.electionTimeout();
            sim.runFor(electionTimeout.multipliedBy(2)); // let a leader be elected
            for (int round = 0; round < rounds; round++) {
                operations += runRound(cluster, round, electionTimeout, check);
            }
            if (check) {
                cluster.checkQuiet();
            }
            long snapshotsSent = cluster.storeIds().stream()
                    .mapToLong(store -> cluster.snapshotStats(store).transfersCompleted()).sum();
            return new Outcome(operations, sim.now(), sim.eventsProcessed(), snapshotsSent,
                    cluster.scheduler().regions().size());
        } finally {
            System.out.println(sim.summaryLine(testName));
        }
    }

    /** TinyKV's test configuration, with what the options and limits change in it. */
    private StoreConfig storeConfig() {
        StoreConfig config = StoreConfig.forTests();
        if (maxRaftLog > 0) {
            config = config.withRaftLogGcCountLimit(maxRaftLog);
        }
        if (has(Option.SPLIT)) {
            config = config.withRegionSizes(SPLIT_MAX_SIZE, SPLIT_SIZE);
        }
        return config;
    }

    private long runRound(Cluster cluster, int round, Duration electionTimeout, boolean check) {
        Simulator sim = cluster.simulator();
        List<AppendClient> appenders = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            AppendClient appender = new AppendClient(i, cluster.newClient("client " + i), sim.random("client " + i));
            appenders.add(appender);
            appender.start();
        }
        NetworkChaos chaos = null;
        if (has(Option.UNRELIABLE) || has(Option.PARTITIONS)) {
            sim.runFor(QUIET_START);
            chaos = new NetworkChaos(cluster, has(Option.UNRELIABLE), has(Option.PARTITIONS), electionTimeout);
            chaos.start();
        }
        CrashSchedule crashes = crashSchedule(cluster);
        if (crashes != null) {
            crashes.start(ROUND_LENGTH);
        }
        ConfChanger confChanger = null;
        if (has(Option.CONF_CHANGE)) {
            sim.runFor(CONF_CHANGE_START);
            confChanger = new ConfChanger(cluster, !has(Option.PARTITIONS));
            confChanger.start();
        }
        sim.runFor(ROUND_LENGTH);
        appenders.forEach(AppendClient::stop);
        if (crashes != null) {
            crashes.stop(); // every store back up, so that the clients can finish
        }
        if (confChanger != null) {
            confChanger.stop(); // an order under way still has to finish in time
        }
        if (chaos != null) {
            chaos.stop();
            NetworkChaos running = chaos;
            sim.mustRunUntil("the network chaos of round " + round + " ends", running::isFinished,
                    electionTimeout.plusMillis(NetworkChaos.MAX_EXTRA_MS));
            // Heal the network and give a leader cut off in a minority time to learn of the new term, so
            // a client waiting on it gets its answer.
            cluster.clearFilters();
            sim.runFor(electionTimeout);
        }
        sim.mustRunUntil("every client finishes its last operation of round " + round,
                () -> appenders.stream().allMatch(AppendClient::isIdle), CLIENTS_FINISH_BUDGET);

        if (has(Option.CRASH)) {
            for (long storeId : cluster.storeIds()) {
                cluster.stopServer(storeId);
            }
            sim.runFor(electionTimeout);
            for (long storeId : cluster.storeIds()) {
                cluster.startServer(storeId);
            }
        }

        long operations = 0;
        for (AppendClient appender : appenders) {
            operations += appender.operations();
            if (check) {
                checkAndDelete(cluster, appender);
            }
        }
        if (check && maxRaftLog > 0) {
            // After the servers have handled every request and had time to compact (TinyKV: 1 s).
            sim.runFor(LOG_TRIM_GRACE);
            cluster.checkRaftLogsTrimmed(maxRaftLog);
        }
        if (check && has(Option.SPLIT)) {
            Region first = cluster.getRegion(new byte[0]);
            if (first.getEndKey().isEmpty()) {
                throw new AssertionError("region is not split: after round " + round + " region " + first.getId()
                        + " still holds the whole key space (virtual time " + sim.now() / 1000.0 + "s, seed "
                        + sim.seed() + ")");
            }
        }
        return operations;
    }

    /** The schedule of crashes inside handlings the options ask for, or null for none. */
    private CrashSchedule crashSchedule(Cluster cluster) {
        if (has(Option.CRASH_POINTS)) {
            return CrashSchedule.everyStore(cluster);
        }
        if (has(Option.CRASH_MINORITY)) {
            return CrashSchedule.minority(cluster, (STORES - 1) / 2);
        }
        return has(Option.CRASH_ONE) ? CrashSchedule.minority(cluster, 1) : null;
    }

    private static void checkAndDelete(Cluster cluster, AppendClient appender) {
        int count = appender.puts();
        List<byte[]> values = cluster.scan(AppendClient.key(appender.id(), 0), AppendClient.key(appender.id(), count));
        checkClientAppends(appender.id(), join(values), count);
        for (int k = 0; k < count; k++) {
            cluster.mustDelete(AppendClient.key(appender.id(), k));
        }
    }

    /** Every append {@code x <client> <j> y} for j below {@code count} is in {@code value}, once, in order. */
    static void checkClientAppends(int client, String value, int count) {
        int lastOffset = -1;
        for (int j = 0; j < count; j++) {
            String wanted = AppendClient.value(client, j);
            int offset = value.indexOf(wanted);
            if (offset < 0) {
                throw new AssertionError(String.format(Locale.ROOT, "client %d: missing element \"%s\" in the "
                        + "scanned values (%d appends expected): %s", client, wanted, count, abbreviate(value)));
            }
            if (value.lastIndexOf(wanted) != offset) {
                throw new AssertionError("client " + client + ": duplicate element \"" + wanted + "\" in the "
                        + "scanned values: " + abbreviate(value));
            }
            if (offset <= lastOffset) {
                throw new AssertionError("client " + client + ": element \"" + wanted + "\" out of order in the "
                        + "scanned values: " + abbreviate(value));
            }
            lastOffset = offset;
        }
    }

    static String join(List<byte[]> values) {
        StringBuilder joined = new StringBuilder();
        for (byte[] value : values) {
            joined.append(new String(value, StandardCharsets.UTF_8));
        }
        return joined.toString();
    }

    static String abbreviate(String text) {
        return text.length() <= 400 ? text : text.substring(0, 200) + " ... (" + (text.length() - 400)
                + " characters) ... " + text.substring(text.length() - 200);
    }
}
