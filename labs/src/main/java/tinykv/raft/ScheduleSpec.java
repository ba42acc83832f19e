package tinykv.raft;

import static java.util.Objects.requireNonNull;

import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import tinykv.proto.eraftpb.MessageType;

/**
 * What a {@link ScheduledNetwork} starts from: {@code nodes} fresh nodes with ids 1..n, their timer
 * settings, the seed their election timeouts are drawn from, the message types the network loses on
 * sending, and how a node is built from its config (a test may build a deliberately broken node).
 *
 * <p>Each node draws from its own stream, derived from the seed and its id alone, so replaying a
 * schedule on a new network of the same spec repeats every draw.
 */
public record ScheduleSpec(
        int nodes, int electionTick, int heartbeatTick, long seed, Set<MessageType> lost, Function<Config, Raft> factory) {

    public ScheduleSpec {
        if (nodes < 1) {
            throw new IllegalArgumentException("a schedule needs at least one node, was " + nodes);
        }
        requireNonNull(factory, "factory");
        lost = Set.copyOf(lost);
    }

    /** {@code nodes} reference-built nodes ({@code new Raft(config)}), election 10, heartbeat 1, nothing lost. */
    public static ScheduleSpec of(int nodes, long seed) {
        return new ScheduleSpec(nodes, 10, 1, seed, Set.of(), Raft::new);
    }

    public ScheduleSpec withTicks(int election, int heartbeat) {
        return new ScheduleSpec(nodes, election, heartbeat, seed, lost, factory);
    }

    /** The network loses every message of these types as it is sent. */
    public ScheduleSpec losing(MessageType first, MessageType... more) {
        return new ScheduleSpec(nodes, electionTick, heartbeatTick, seed, EnumSet.of(first, more), factory);
    }

    /** Builds each node with {@code factory} instead of {@code new Raft(config)}. */
    public ScheduleSpec withNodes(Function<Config, Raft> factory) {
        return new ScheduleSpec(nodes, electionTick, heartbeatTick, seed, lost, factory);
    }

    /** The config of node {@code id}: a new storage, every node a peer, its own random stream. */
    Config config(long id) {
        return Config.builder()
                .id(id)
                .peers(RaftNetwork.idsBySize(nodes))
                .electionTick(electionTick)
                .heartbeatTick(heartbeatTick)
                .storage(new MemoryStorage())
                .random(new SplittableRandom(seed * 1_000_003L + id))
                .build();
    }

    /** A network in this spec's initial state, with an empty schedule. */
    public ScheduledNetwork start() {
        return new ScheduledNetwork(this);
    }
}
