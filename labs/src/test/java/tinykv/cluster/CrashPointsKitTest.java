package tinykv.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tinykv.kv.engine.ColumnFamilies;
import tinykv.kv.engine.EngineLocation;
import tinykv.kv.engine.Engines;
import tinykv.sim.SimulationFailure;
import tinykv.sim.Simulator;

/**
 * Crash points: a store armed with a {@link CrashPlan} stops right after the write or send the plan names, the
 * writes after it never happen, a snapshot's handling holds its crash to its end, and a run with crashes, even a
 * failing one, replays byte for byte from its seed.
 */
@Tag("kit")
@DisplayName("Kit: crash points cut a store's work where the plan says, and replay exactly")
class CrashPointsKitTest {

    /** One store's engines with crash points, and the crashes they reported. */
    private static final class OneStore implements AutoCloseable {
        final Simulator sim = new Simulator(1);
        final List<String> crashes = new ArrayList<>();
        final CrashPoints points = new CrashPoints(1, sim, crashes::add);
        final EngineLocation location = EngineLocation.inMemory("store 1");
        final Engines engines;

        OneStore() {
            location.observeWrites(points);
            engines = Engines.open(location);
        }

        /** Runs {@code work} as an event of store 1, as its handlings run. */
        void runAsStore(Runnable work) {
            sim.store(1).schedule(0, "work", work);
            sim.runFor(Duration.ofMillis(1));
        }

        void put(String key) {
            engines.kv().putCF(ColumnFamilies.DEFAULT, key.getBytes(UTF_8), key.getBytes(UTF_8));
        }

        boolean holds(String key) {
            return engines.kv().get(ColumnFamilies.DEFAULT, key.getBytes(UTF_8)).isPresent();
        }

        @Override
        public void close() {
            location.close();
        }
    }

    @Test
    @DisplayName("a store armed for crash point 2 keeps its first two writes and never makes the third")
    void crashPointCutsTheHandling() {
        try (OneStore store = new OneStore()) {
            store.points.arm(CrashPlan.atPoint(2));
            List<String> reached = new ArrayList<>();
            store.runAsStore(() -> {
                store.put("a");
                reached.add("a");
                store.put("b");
                reached.add("b"); // never: the crash unwinds the handling right after the write of b
                store.put("c");
            });
            assertThat(reached).containsExactly("a");
            assertThat(store.holds("a")).isTrue();
            assertThat(store.holds("b")).isTrue();
            assertThat(store.holds("c")).isFalse();
            assertThat(store.crashes).singleElement().asString().contains("crash point 2", "kv of store 1");
        }
    }

    @Test
    @DisplayName("once down, a store's writes are refused, even from a finally block")
    void writesAfterTheCrashAreRefused() {
        try (OneStore store = new OneStore()) {
            store.points.arm(CrashPlan.atPoint(1));
            store.runAsStore(() -> {
                try {
                    store.put("a");
                } finally {
                    store.put("cleanup"); // the process is dead: this never reaches the engine
                }
            });
            assertThat(store.holds("a")).isTrue();
            assertThat(store.holds("cleanup")).isFalse();
        }
    }

    @Test
    @DisplayName("a handling that applies a snapshot holds its crash until it ends")
    void snapshotHandlingHoldsTheCrash() {
        try (OneStore store = new OneStore()) {
            store.points.arm(CrashPlan.atPoint(1));
            store.runAsStore(() -> {
                store.engines.holdCrashesForThisHandling("a snapshot is applied");
                store.put("data");
                store.put("apply state");
                assertThat(store.crashes).isEmpty();
            });
            assertThat(store.holds("apply state")).isTrue();
            assertThat(store.crashes).singleElement().asString().contains("taken when its snapshot handling ended");
        }
    }

    @Test
    @DisplayName("writes outside the store's own events are no crash points")
    void onlyTheStoresOwnEventsCount() {
        try (OneStore store = new OneStore()) {
            store.points.arm(CrashPlan.atPoint(1));
            store.put("from the test");
            assertThat(store.crashes).isEmpty();
            assertThat(store.points.isArmed()).isTrue();
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "tinykv.impl", matches = "reference")
    @DisplayName("a run whose stores crash at crash points replays byte for byte, failure report included")
    void crashRunsReplayByteForByte() {
        String first = failingCrashRun(11);
        String second = failingCrashRun(11);
        assertThat(first).contains("crash after", "fixture: store");
        assertThat(second).isEqualTo(first);
        assertThat(failingCrashRun(12)).isNotEqualTo(first);
    }

    /**
     * Three clients on five stores, one store at a time crashing at crash points; a fixture fails the run at the
     * second restart. Returns the failure report, which lists the crash points among the last events.
     */
    private static String failingCrashRun(long seed) {
        Simulator sim = new Simulator(seed);
        try (Cluster cluster = new Cluster(5, tinykv.kv.raftstore.StoreConfig.forTests(), sim)) {
            cluster.start();
            int[] restarts = {0};
            cluster.processes().checkOnRestart((storeId, engines) -> {
                if (++restarts[0] == 2) {
                    throw new AssertionError("fixture: store " + storeId + " restarts at " + sim.now() + " ms");
                }
            });
            sim.runFor(Duration.ofSeconds(1));
            for (int i = 0; i < 3; i++) {
                new AppendClient(i, cluster.newClient("client " + i), sim.random("client " + i)).start();
            }
            CrashSchedule.minority(cluster, 1).start(Duration.ofSeconds(30));
            SimulationFailure failure = catchThrowableOfType(() -> sim.runFor(Duration.ofSeconds(30)),
                    SimulationFailure.class);
            assertThat(failure).as("the fixture fails the run at the second restart").isNotNull();
            return failure.getMessage() + "\nfingerprint " + sim.fingerprintHex();
        }
    }
}
