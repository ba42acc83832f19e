package tinykv.sim;

import java.util.random.RandomGenerator;

/**
 * Drops each message with a fixed probability, drawn from the network's stream of the seed. TinyKV's
 * {@code DropFilter} drops about 10% ({@code rand.Int() % 1000 <= 100}); use {@link #TINYKV_RATE}.
 */
public final class DropFilter<M> implements Filter<M> {
    /** The share TinyKV's unreliable tests drop. */
    public static final double TINYKV_RATE = 0.1;

    private final double probability;

    public DropFilter(double probability) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("a drop probability is between 0 and 1, was " + probability);
        }
        this.probability = probability;
    }

    @Override
    public boolean before(Envelope<M> envelope, RandomGenerator networkRandom) {
        return networkRandom.nextDouble() >= probability;
    }

    @Override
    public String toString() {
        return "drop " + probability;
    }
}
