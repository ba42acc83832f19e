package tinykv.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherFactory;
import tinykv.labs.Seeds;
import tinykv.proto.raft_serverpb.RaftMessage;
import tinykv.sim.PartitionFilter;
import tinykv.sim.SimulationFailure;
import tinykv.sim.Simulator;

/**
 * The test cluster keeps the kit's promises: a run is a function of its seed, and a failure, whether a
 * handler throws or a request never completes, tells the student where, when, with which seed, and how to
 * replay it. Needs a working raftstore, so it runs against the reference.
 */
@Tag("kit")
@EnabledIfSystemProperty(named = "tinykv.impl", matches = "reference")
@DisplayName("Kit: the test cluster replays runs and reports failures a student can act on")
class ClusterKitTest {

    @Test
    @DisplayName("the same seed gives the same fingerprint; another seed, another")
    void sameSeedSameFingerprint() {
        String first = shortRun(7);
        String second = shortRun(7);
        String other = shortRun(8);
        assertThat(second).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    /** Three stores, two clients putting and scanning concurrently for one virtual second. */
    private static String shortRun(long seed) {
        Simulator sim = new Simulator(seed);
        try (Cluster cluster = Cluster.create(3, sim)) {
            cluster.start();
            List<byte[]> values = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                ClusterClient client = cluster.newClient("client " + c);
                for (int i = 0; i < 5; i++) {
                    byte[] key = ("c" + c + "k" + i).getBytes(UTF_8);
                    client.putAsync("default", key, key);
                }
                client.scan("c".getBytes(UTF_8), "d".getBytes(UTF_8), values::addAll);
            }
            sim.runFor(Duration.ofSeconds(1));
            assertThat(cluster.scan("c".getBytes(UTF_8), "d".getBytes(UTF_8))).hasSize(10);
            return sim.fingerprintHex() + " after " + sim.eventsProcessed() + " events";
        }
    }

    @Test
    @DisplayName("a request that can never complete fails at its virtual deadline with region, time and seed")
    void requestThatNeverCompletesFailsAtItsDeadline() {
        Simulator sim = new Simulator(11);
        try (Cluster cluster = Cluster.create(3, sim)) {
            cluster.start();
            cluster.mustPut("k".getBytes(UTF_8), "v".getBytes(UTF_8));
            // Every store alone: no leader can commit anything.
            cluster.addFilter(new PartitionFilter<RaftMessage>(Set.of(1L), Set.of(2L, 3L)));
            cluster.addFilter(new PartitionFilter<RaftMessage>(Set.of(2L), Set.of(1L, 3L)));
            assertThatThrownBy(() -> cluster.mustPut("k".getBytes(UTF_8), "w".getBytes(UTF_8)))
                    .isInstanceOf(SimulationFailure.class)
                    .hasMessageContaining("request timeout")
                    .hasMessageContaining("(region 1)")
                    .hasMessageContaining("seed 11")
                    .hasMessageContaining("at virtual time")
                    .hasMessageContaining("last 30 events");
        }
    }

    @Test
    @DisplayName("a handler that throws fails the test with store, time, seed, last events and a replay command that reproduces it")
    void throwingHandlerReportsAndReplays() {
        Throwable first = runThrowingScenario(5);
        Throwable replay = runThrowingScenario(5);

        assertThat(first).isInstanceOf(SimulationFailure.class);
        assertThat(first.getMessage())
                .containsPattern("store \\d failed while running")
                .contains(ThrowingHandlerScenario.MESSAGE + "MsgAppend region 1")
                .contains("at virtual time")
                .contains("seed 5")
                .contains("last 30 events");
        assertThat(first.getMessage()).as("the raftstore names the region and peer").containsPattern("region 1 peer \\d");
        assertThat(first).hasRootCauseInstanceOf(IllegalStateException.class);
        assertThat(Arrays.stream(first.getSuppressed()).map(Throwable::getMessage))
                .contains("Replay this failure exactly with: make lab2b IMPL=reference TEST=handlerThrows2B SEED=5");
        assertThat(replay.getMessage()).isEqualTo(first.getMessage());
    }

    private static Throwable runThrowingScenario(long seed) {
        String savedSeed = System.getProperty(Seeds.PROPERTY);
        List<Throwable> failures = new ArrayList<>();
        try {
            System.setProperty(Seeds.PROPERTY, Long.toString(seed));
            System.setProperty(ThrowingHandlerScenario.SWITCH, "true");
            TestExecutionListener listener = new TestExecutionListener() {
                @Override
                public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                    if (test.isTest()) {
                        failures.add(result.getThrowable().orElse(null));
                    }
                }
            };
            LauncherConfig config = LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build();
            LauncherFactory.create(config).execute(
                    request().selectors(selectClass(ThrowingHandlerScenario.class)).build(), listener);
        } finally {
            System.clearProperty(ThrowingHandlerScenario.SWITCH);
            if (savedSeed == null) {
                System.clearProperty(Seeds.PROPERTY);
            } else {
                System.setProperty(Seeds.PROPERTY, savedSeed);
            }
        }
        assertThat(failures).as("the scenario ran once").hasSize(1);
        assertThat(failures.get(0)).as("the scenario failed").isNotNull();
        return failures.get(0);
    }
}
