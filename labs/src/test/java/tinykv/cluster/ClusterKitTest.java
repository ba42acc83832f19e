package tinykv.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtensionContext;
import tinykv.labs.ReplayOnFailure;
import tinykv.labs.Seeds;
import tinykv.proto.eraftpb.MessageType;
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
    @DisplayName("a handler that throws fails the run with store, region, time, seed, last events and a replay command; the same seed reproduces it")
    void throwingHandlerReportsAndReplays() throws Throwable {
        SimulationFailure first = runThrowingScenario(5);
        SimulationFailure replay = runThrowingScenario(5);

        assertThat(first.getMessage())
                .containsPattern("store \\d failed while running")
                .containsPattern("region 1 peer \\d") // the raftstore names its region and peer
                .contains(INJECTED + "MsgAppend region 1")
                .contains("at virtual time")
                .contains("seed 5")
                .contains("last 30 events");
        assertThat(first).hasRootCauseInstanceOf(IllegalStateException.class);
        assertThat(replay.getMessage()).as("the same seed fails the same way, at the same virtual time")
                .isEqualTo(first.getMessage());

        // What a lab test does with such a failure: ReplayOnFailure adds the exact command.
        String suppressed = replayCommandFor(first, 5);
        assertThat(suppressed).isEqualTo("Replay this failure exactly with: make lab2b IMPL=reference "
                + "TEST=throwingHandlerReportsAndReplays SEED=5");
    }

    private static final String INJECTED = "injected failure: the raftstore sent ";

    /** Three stores; after one put, the next append a leader sends throws inside its raft worker's handler. */
    private static SimulationFailure runThrowingScenario(long seed) {
        Simulator sim = new Simulator(seed);
        try (Cluster cluster = Cluster.create(3, sim)) {
            cluster.start();
            cluster.mustPut("k1".getBytes(UTF_8), "v1".getBytes(UTF_8));
            cluster.addFilter((envelope, random) -> {
                RaftMessage message = envelope.message();
                if (message.getMessage().getMsgType() == MessageType.MsgAppend) {
                    throw new IllegalStateException(INJECTED + "MsgAppend region " + message.getRegionId() + " peer "
                            + message.getFromPeer().getId() + " -> " + message.getToPeer().getId());
                }
                return true;
            });
            return catchThrowableOfType(() -> cluster.mustPut("k2".getBytes(UTF_8), "v2".getBytes(UTF_8)),
                    SimulationFailure.class);
        }
    }

    /** Hands the failure to ReplayOnFailure as JUnit would for this method under tag lab2b. */
    private static String replayCommandFor(Throwable failure, long seed) throws Throwable {
        Method method = ClusterKitTest.class.getDeclaredMethod("throwingHandlerReportsAndReplays");
        ExtensionContext context = (ExtensionContext) Proxy.newProxyInstance(ClusterKitTest.class.getClassLoader(),
                new Class<?>[] {ExtensionContext.class}, (proxy, called, args) -> switch (called.getName()) {
                    case "getTags" -> Set.of("lab2b");
                    case "getRequiredTestMethod" -> method;
                    case "getConfigurationParameter" -> Seeds.PROPERTY.equals(args[0])
                            ? Optional.of(Long.toString(seed)) : Optional.empty();
                    default -> throw new UnsupportedOperationException(called.getName());
                });
        Throwable rethrown = catchThrowable(() -> new ReplayOnFailure().handleTestExecutionException(context, failure));
        assertThat(rethrown).isSameAs(failure);
        return Arrays.stream(failure.getSuppressed()).map(Throwable::getMessage)
                .filter(text -> text.startsWith("Replay")).findFirst().orElseThrow();
    }
}
