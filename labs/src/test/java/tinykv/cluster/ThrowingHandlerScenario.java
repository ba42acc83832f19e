package tinykv.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tinykv.proto.eraftpb.MessageType;
import tinykv.proto.raft_serverpb.RaftMessage;
import tinykv.sim.Simulator;

/**
 * A deliberately failing lab test, run only by {@link ClusterKitTest} (skipped everywhere else): a raft
 * worker's handler throws in the middle of a put, as a student's bug would. Tagged like a 2B test so that the
 * failure gets the same report and replay command a student sees.
 */
@Tag("lab2b")
@EnabledIfSystemProperty(named = ThrowingHandlerScenario.SWITCH, matches = "true")
@DisplayName("Kit scenario, skipped outside the kit's own tests: a handler that throws")
class ThrowingHandlerScenario {
    static final String SWITCH = "tinykv.kit.throwingScenario";
    static final String MESSAGE = "injected failure: the raftstore sent ";

    @Test
    void handlerThrows2B() {
        Simulator sim = Simulator.forCurrentSeed();
        try (Cluster cluster = Cluster.create(3, sim)) {
            cluster.start();
            cluster.mustPut("k1".getBytes(UTF_8), "v1".getBytes(UTF_8));
            // The next append a leader sends throws inside its raft worker's handler (the transport is called there).
            cluster.addFilter((envelope, random) -> {
                RaftMessage message = envelope.message();
                if (message.getMessage().getMsgType() == MessageType.MsgAppend) {
                    throw new IllegalStateException(MESSAGE + "MsgAppend region " + message.getRegionId() + " peer "
                            + message.getFromPeer().getId() + " -> " + message.getToPeer().getId());
                }
                return true;
            });
            cluster.mustPut("k2".getBytes(UTF_8), "v2".getBytes(UTF_8));
        }
    }
}
