package tinykv.grading;

import java.util.ArrayList;
import java.util.List;

/**
 * One machine's share of a class ({@code SHARD=i/m}, 1-based): of the submissions sorted by name, the one at
 * index k (from 0) goes to shard {@code (k mod m) + 1}. Every machine of a job array lists the same folder, so
 * they agree on the order, and between them the m shards hold every submission exactly once.
 *
 * <p>Why round robin over the sorted names rather than a hash of each name: shard sizes differ by at most one,
 * even for a small class (a hash can put all three submissions of a folder on one machine of three), and
 * neighbouring names (one team's submissions, a late batch) spread over the machines. The price is that the
 * share depends on the whole list: shards must be made from the same folder, which {@link ShardManifest}
 * records (a digest of all the names) and {@code make grade-merge} checks.
 *
 * <p>Also a single-file program, so that {@code make} refuses a bad {@code SHARD} before it builds anything:
 * {@code java Shard.java 2/3} exits 0, or 2 with the reason.
 */
record Shard(int index, int count) {
    /** The whole class: what grading without {@code SHARD} is. */
    static final Shard WHOLE = new Shard(1, 1);

    Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException("SHARD=" + index + "/" + count + " is not a shard: i/m needs m >= 1 "
                    + "and 1 <= i <= m (shards are numbered from 1)");
        }
    }

    /** {@code i/m}; an empty text is the whole class. */
    static Shard parse(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            return WHOLE;
        }
        if (!t.matches("[0-9]{1,9}/[0-9]{1,9}")) {
            throw new IllegalArgumentException("SHARD must be i/m, this machine's share i of m (for example 2/3), "
                    + "was '" + text + "'");
        }
        int slash = t.indexOf('/');
        return new Shard(Integer.parseInt(t.substring(0, slash)), Integer.parseInt(t.substring(slash + 1)));
    }

    /** This shard's submissions, in the order given (which must be the sorted order of every machine). */
    List<String> of(List<String> sortedNames) {
        List<String> held = new ArrayList<>();
        for (int k = index - 1; k < sortedNames.size(); k += count) {
            held.add(sortedNames.get(k));
        }
        return held;
    }

    boolean isWhole() {
        return count == 1;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }

    public static void main(String[] args) {
        try {
            parse(args.length == 0 ? "" : args[0]);
        } catch (IllegalArgumentException e) {
            System.err.println("grade-submissions: " + e.getMessage());
            System.exit(2);
        }
    }
}
