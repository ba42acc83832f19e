package tinykv.sim;

import java.util.random.RandomGenerator;

/**
 * Decides, when a message is sent, whether the {@link SimNetwork} carries it: TinyKV's
 * {@code test_raftstore} {@code Filter.Before}. Filters run in the order they were added; the first that
 * drops a message ends the check (later filters draw nothing for it).
 *
 * <p>A filter that needs chance draws from {@code networkRandom}, the network's stream of the seed, and
 * never from a random source of its own, so drops replay exactly.
 */
@FunctionalInterface
public interface Filter<M> {

    /** True to keep (carry) the message, false to drop it. */
    boolean before(Envelope<M> envelope, RandomGenerator networkRandom);
}
