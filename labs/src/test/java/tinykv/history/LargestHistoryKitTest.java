package tinykv.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A history the size and shape of the largest the kit's cluster tests record (2C's
 * {@code snapshotRecoverManyClients2C}, seed 1: 79,192 operations, 20 parts of up to 4,000) is decided well
 * within the step budget. Built here from a seed rather than by running that test, which takes a minute:
 * 20 clients, three rounds, each putting its next key or scanning all its keys back, the clients' calls
 * overlapping in time; after each round one client deletes every key. Prints its size and the check's wall
 * time, for the record; nothing is asserted on time.
 */
@Tag("kit")
@DisplayName("Kit: a history as large as the largest cluster test's is checked within budget")
class LargestHistoryKitTest {

    @Test
    @DisplayName("20 clients, three rounds, 80,000 operations: linearizable, in under a hundredth of the budget")
    void largestHistoryWithinBudget() {
        List<Operation<KvInput, KvOutput>> ops = genericHistory(20, 3, 900, new SplittableRandom(2026));
        long start = System.nanoTime(); // reported, never asserted on
        CheckResult<KvInput, KvOutput> result = Histories.check(ops);
        long nanos = System.nanoTime() - start;
        System.out.println(String.format(Locale.ROOT, "[largest history] %d operations, %d parts, largest part %d, "
                + "%d steps of %d, %.1f ms", result.operations(), result.parts(), result.largestPart(), result.steps(),
                LinearizabilityChecker.DEFAULT_STEP_BUDGET, nanos / 1e6));
        assertThat(result.isLinearizable()).isTrue();
        assertThat(result.operations()).isGreaterThan(79_000);
        assertThat(result.parts()).isGreaterThanOrEqualTo(20);
        assertThat(result.steps()).isLessThan(LinearizabilityChecker.DEFAULT_STEP_BUDGET / 100);
    }

    /** GenericTest's shape: each client alternates at random between putting its next key and scanning all. */
    static List<Operation<KvInput, KvOutput>> genericHistory(int clients, int rounds, int opsPerRound,
            SplittableRandom random) {
        List<Operation<KvInput, KvOutput>> ops = new ArrayList<>();
        long roundStart = 0;
        for (int round = 0; round < rounds; round++) {
            long roundEnd = roundStart;
            int[] puts = new int[clients];
            for (int c = 0; c < clients; c++) {
                long t = roundStart + random.nextInt(20);
                List<KvOutput.Row> rows = new ArrayList<>();
                for (int i = 0; i < opsPerRound; i++) {
                    long took = 1 + random.nextInt(30);
                    String first = key(c, 0);
                    if (random.nextBoolean()) {
                        String key = key(c, puts[c]);
                        String value = "x " + c + " " + puts[c] + " y";
                        ops.add(Operation.answered(ops.size(), "client " + c,
                                new KvInput.Put(KvInput.DEFAULT_CF, key, value), new KvOutput.Ack(), t, t + took));
                        rows.add(new KvOutput.Row(key, value));
                        puts[c]++;
                    } else {
                        String end = key(c, puts[c]);
                        ops.add(Operation.answered(ops.size(), "client " + c, new KvInput.Scan(first, end),
                                new KvOutput.Rows(rows, end), t, t + took));
                    }
                    t += took + 1;
                }
                roundEnd = Math.max(roundEnd, t);
            }
            long t = roundEnd + 10;
            for (int c = 0; c < clients; c++) {
                for (int j = 0; j < puts[c]; j++) {
                    ops.add(Operation.answered(ops.size(), "client", new KvInput.Delete(KvInput.DEFAULT_CF, key(c, j)),
                            new KvOutput.Ack(), t, t + 2));
                    t += 3;
                }
            }
            roundStart = t + 10;
        }
        ops.sort(Comparator.comparingLong(Operation::call));
        return ops;
    }

    private static String key(int client, int j) {
        return String.format(Locale.ROOT, "%d %08d", client, j);
    }
}
