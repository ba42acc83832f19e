package tinykv.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The network between stores, generic over what it carries (the cluster carries
 * {@code tinykv.proto.raft_serverpb.RaftMessage}). A sent message passes the filters, then arrives after a
 * latency drawn uniformly from [{@code minLatencyMs}, {@code maxLatencyMs}] as an event of the receiving
 * store, so messages sent close together can arrive out of order, as on a real network. All draws come
 * from the simulator's "network" stream.
 *
 * <p>Default latency 1..5 ms: never 0, so a reply never arrives in the instant its request was sent (no
 * zero-time ping-pong); far below a 50 ms raft tick, so elections and heartbeats are paced by ticks as in
 * TinyKV; wide enough that two messages sent a few milliseconds apart often swap places.
 *
 * <p>A message to a store that is down (or goes down, or restarts, before it arrives) is lost: its
 * delivery is an event of the receiving store's loop, which a halt drops.
 */
public final class SimNetwork<M> {
    public static final long DEFAULT_MIN_LATENCY_MS = 1;
    public static final long DEFAULT_MAX_LATENCY_MS = 5;

    /** How many messages were sent, delivered, and dropped by filters or because the receiver was down. */
    public record Stats(long sent, long delivered, long filtered, long toDownStore) {}

    private final Simulator simulator;
    private final Function<M, String> describe;
    private final long minLatencyMs;
    private final long maxLatencyMs;
    private final SplittableRandom random;
    private final List<Filter<M>> filters = new ArrayList<>();
    private long sent;
    private long delivered;
    private long filtered;
    private long toDownStore;

    /**
     * @param describe a short deterministic description of a message for the trace, such as
     *     "MsgAppend region 1 2->3 term 5"; never {@code Object.toString()} with identity hash codes
     */
    public SimNetwork(Simulator simulator, Function<M, String> describe, long minLatencyMs, long maxLatencyMs) {
        this(simulator, "network", describe, minLatencyMs, maxLatencyMs);
    }

    /**
     * A network drawing from its own stream of the seed, {@code streamName}: a second channel between the
     * same stores (the snapshot channel) then changes nothing on the first.
     */
    public SimNetwork(Simulator simulator, String streamName, Function<M, String> describe, long minLatencyMs,
            long maxLatencyMs) {
        if (minLatencyMs < 0 || maxLatencyMs < minLatencyMs) {
            throw new IllegalArgumentException("latency range must be 0 <= min <= max, was " + minLatencyMs + ".."
                    + maxLatencyMs);
        }
        this.simulator = Objects.requireNonNull(simulator, "simulator");
        this.describe = Objects.requireNonNull(describe, "describe");
        this.minLatencyMs = minLatencyMs;
        this.maxLatencyMs = maxLatencyMs;
        this.random = simulator.random(streamName);
    }

    public SimNetwork(Simulator simulator, Function<M, String> describe) {
        this(simulator, describe, DEFAULT_MIN_LATENCY_MS, DEFAULT_MAX_LATENCY_MS);
    }

    // ---- Filters ----

    /** Adds a filter after the others; it applies to messages sent from now on. */
    public void addFilter(Filter<M> filter) {
        filters.add(Objects.requireNonNull(filter, "filter"));
    }

    /** Removes every filter (messages already in flight still arrive). */
    public void clearFilters() {
        filters.clear();
    }

    public List<Filter<M>> filters() {
        return List.copyOf(filters);
    }

    // ---- Sending ----

    /**
     * Sends {@code message} from one store to another; unless a filter drops it or the receiver is down,
     * {@code deliver} runs on the receiving store's loop after the latency. A store that is down sends
     * nothing.
     */
    public void send(long fromStore, long toStore, M message, Consumer<M> deliver) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(deliver, "deliver");
        if (!simulator.isStoreUp(fromStore)) {
            return;
        }
        sent++;
        Envelope<M> envelope = new Envelope<>(fromStore, toStore, message);
        for (Filter<M> filter : filters) {
            if (!filter.before(envelope, random)) {
                filtered++;
                return;
            }
        }
        if (!simulator.isStoreUp(toStore)) {
            toDownStore++;
            return;
        }
        long latency = minLatencyMs == maxLatencyMs ? minLatencyMs : random.nextLong(minLatencyMs, maxLatencyMs + 1);
        String what = "deliver " + describe.apply(message) + " from store " + fromStore;
        simulator.store(toStore).schedule(latency, what, () -> {
            delivered++;
            deliver.accept(message);
        });
    }

    public Stats stats() {
        return new Stats(sent, delivered, filtered, toDownStore);
    }
}
