package tinykv.sim;

import java.util.Set;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * Cuts the network between two groups of stores: a message from one group to the other, either way, is
 * dropped; messages inside a group and to stores in neither group pass. TinyKV's {@code PartitionFilter}
 * (it drops a message that touches both groups, the same thing for two disjoint groups).
 */
public final class PartitionFilter<M> implements Filter<M> {
    private final Set<Long> side1;
    private final Set<Long> side2;

    public PartitionFilter(Set<Long> side1, Set<Long> side2) {
        Set<Long> overlap = new TreeSet<>(side1);
        overlap.retainAll(side2);
        if (!overlap.isEmpty()) {
            throw new IllegalArgumentException("a store cannot be on both sides of a partition: " + overlap);
        }
        this.side1 = Set.copyOf(side1);
        this.side2 = Set.copyOf(side2);
    }

    @Override
    public boolean before(Envelope<M> envelope, RandomGenerator networkRandom) {
        long from = envelope.fromStore();
        long to = envelope.toStore();
        boolean crosses = (side1.contains(from) && side2.contains(to)) || (side2.contains(from) && side1.contains(to));
        return !crosses;
    }

    @Override
    public String toString() {
        return "partition " + new TreeSet<>(side1) + " | " + new TreeSet<>(side2);
    }
}
