package tinykv.sim;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tinykv.runtime.Mailbox;

/**
 * A fixed little cluster whose fingerprint the determinism tests compare: three stores that tick and
 * gossip over a lossy network, a partition that comes and goes, and one store restarted midway. It
 * exercises every source of order: timers, mailboxes, latency, drops, halts and each store's own random
 * stream. Run as a program it prints the fingerprint, so a test can compare it across JVMs.
 */
public final class FingerprintScenario {
    private final Simulator sim;
    private final SimNetwork<Long> network;
    /** Each store's current inbox; a restart replaces it. */
    private final Map<Long, Mailbox<Long>> inboxes = new TreeMap<>();

    private FingerprintScenario(long seed) {
        sim = new Simulator(seed);
        network = new SimNetwork<>(sim, number -> "gossip " + number);
    }

    /** Runs the scenario on a fresh simulator of {@code seed} and returns the simulator. */
    public static Simulator run(long seed) {
        FingerprintScenario scenario = new FingerprintScenario(seed);
        scenario.play();
        return scenario.sim;
    }

    private void play() {
        network.addFilter(new DropFilter<>(DropFilter.TINYKV_RATE));
        for (long id = 1; id <= 3; id++) {
            startStore(id);
        }
        sim.runFor(Duration.ofSeconds(2));
        network.addFilter(new PartitionFilter<>(Set.of(1L), Set.of(2L, 3L)));
        sim.runFor(Duration.ofSeconds(1));
        sim.restartStore(2);
        startStore(2);
        network.clearFilters();
        sim.runFor(Duration.ofSeconds(2));
    }

    /** Store {@code id} ticks every 50 ms; each tick gossips a random number to a random other store. */
    private void startStore(long id) {
        StoreLoop loop = sim.store(id);
        inboxes.put(id, loop.mailbox("inbox", batch -> {
            long sum = batch.stream().mapToLong(Long::longValue).sum();
            loop.schedule(Duration.ofMillis(sum % 7), "digest " + sum, () -> {});
        }));
        Runnable tick = new Runnable() {
            @Override
            public void run() {
                long to = 1 + (id - 1 + loop.random().nextInt(1, 3)) % 3;
                long number = loop.random().nextLong(1000);
                network.send(id, to, number, delivered -> inboxes.get(to).send(delivered));
                loop.schedule(Duration.ofMillis(50), "tick", this);
            }
        };
        loop.schedule(Duration.ofMillis(loop.random().nextInt(50)), "tick", tick);
    }

    /** Prints the fingerprint of the scenario for the seed given as the only argument. */
    public static void main(String[] args) {
        System.out.println(run(Long.parseLong(args[0])).fingerprintHex());
    }
}
