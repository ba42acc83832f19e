package tinykv.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tinykv.history.Histories.check;
import static tinykv.history.Histories.history;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The linearizability checker (Wing & Gong's search with Lowe's cache) and its key-value model: small
 * histories known to be linearizable or not, bad input, the step budget, and a cross-check against brute
 * force on thousands of random small histories.
 */
@Tag("kit")
@DisplayName("Kit: the linearizability checker")
class LinearizabilityCheckerKitTest {

    /** A named history and whether it is linearizable. Times are abstract ticks; equal ticks overlap. */
    record Case(String name, Histories history, boolean linearizable) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("a read after a write sees it", history().put("x", "1", 0, 10).get("x", "1", 20, 30), true),
                new Case("a read concurrent with a write may see the old value",
                        history().put("x", "1", 0, 10).get("x", "", 5, 15), true),
                new Case("... or the new one", history().put("x", "1", 0, 10).get("x", "1", 5, 15), true),
                new Case("lost write: an acknowledged put is not there for a later read",
                        history().put("x", "1", 0, 10).get("x", "", 20, 30), false),
                new Case("stale read: a later read sees the value an acknowledged put replaced",
                        history().put("x", "1", 0, 10).put("x", "2", 20, 30).get("x", "1", 40, 50), false),
                new Case("a read of a value never written", history().put("x", "1", 0, 10).get("x", "7", 20, 30),
                        false),
                new Case("a value seen, then unseen, during one long write",
                        history().put("x", "1", 0, 100).get("x", "1", 10, 20).get("x", "", 30, 40), false),
                new Case("a value unseen, then seen, during one long write",
                        history().put("x", "1", 0, 100).get("x", "", 10, 20).get("x", "1", 30, 40), true),
                // A register's textbook pair, after Herlihy and Wing: two overlapping writes, then two reads.
                new Case("textbook: write 0 and write 1 overlap; read 1, then read 0 after both: no order fits",
                        history().put("x", "0", 0, 2).put("x", "1", 1, 5).get("x", "1", 3, 4).get("x", "0", 6, 7),
                        false),
                new Case("textbook: the same, but the last read sees 1",
                        history().put("x", "0", 0, 2).put("x", "1", 1, 5).get("x", "1", 3, 4).get("x", "1", 6, 7),
                        true),
                new Case("textbook: two readers of a write in flight disagree in a possible order",
                        history().put("x", "1", 0, 10).get("x", "", 1, 3).get("x", "1", 2, 4), true),
                new Case("a write whose answer never came may have taken effect",
                        history().pendingPut("x", "1", 0).get("x", "1", 20, 30), true),
                new Case("... or not", history().pendingPut("x", "1", 0).get("x", "", 20, 30), true),
                new Case("... but not both, in that order",
                        history().pendingPut("x", "1", 0).get("x", "1", 20, 30).get("x", "", 40, 50), false),
                new Case("a read whose answer never came constrains nothing",
                        history().put("x", "1", 0, 10).pendingGet("x", 20), true),
                new Case("a delete removes the value", history().put("x", "1", 0, 10).delete("x", 20, 30)
                        .get("x", "", 40, 50), true),
                new Case("a read after a delete sees no value",
                        history().put("x", "1", 0, 10).delete("x", 20, 30).get("x", "1", 40, 50), false),
                new Case("a scan sees every acknowledged put of its range, and nothing outside it",
                        history().put("a", "1", 0, 10).put("b", "2", 0, 10).put("c", "3", 0, 10)
                                .scan("a", "c", 20, 30, "a", "1", "b", "2"), true),
                new Case("a scan that misses an acknowledged put",
                        history().put("a", "1", 0, 10).put("b", "2", 0, 10).scan("a", "c", 20, 30, "b", "2"), false),
                new Case("a scan is one snapshot: it cannot see a later write and miss an earlier one",
                        history().put("a", "1", 0, 10).put("b", "1", 20, 30).scan("a", "", 5, 40, "b", "1"), false),
                new Case("a scan concurrent with both writes may see the first alone",
                        history().put("a", "1", 0, 10).put("b", "1", 20, 30).scan("a", "", 5, 40, "a", "1"), true),
                new Case("a scan that returns a key never written",
                        history().scan("a", "z", 0, 10, "q", "1"), false),
                new Case("keys are independent: a stale read of one key fails however the other goes",
                        history().put("x", "1", 0, 10).put("y", "1", 0, 10).get("y", "1", 20, 30)
                                .get("x", "", 20, 30), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("small histories, linearizable or not")
    void smallHistories(Case c) {
        CheckResult<KvInput, KvOutput> result = check(c.history().ops());
        assertThat(result.verdict()).as(c.history().toString()).isEqualTo(c.linearizable()
                ? CheckResult.Verdict.LINEARIZABLE : CheckResult.Verdict.NOT_LINEARIZABLE);
        assertThat(BruteForceChecker.isLinearizable(c.history().ops())).as("brute force agrees")
                .isEqualTo(c.linearizable());
    }

    @Test
    @DisplayName("a history is split by key, and a scan joins the keys it covers")
    void partitionsByKey() {
        CheckResult<KvInput, KvOutput> split = check(history().put("x", "1", 0, 10).put("y", "1", 0, 10)
                .get("x", "1", 20, 30).get("y", "1", 20, 30).ops());
        assertThat(split.parts()).isEqualTo(2);
        assertThat(split.largestPart()).isEqualTo(2);
        CheckResult<KvInput, KvOutput> joined = check(history().put("a", "1", 0, 10).put("b", "1", 0, 10)
                .put("z", "1", 0, 10).scan("a", "c", 20, 30, "a", "1", "b", "1").ops());
        assertThat(joined.parts()).isEqualTo(2);
        assertThat(joined.largestPart()).isEqualTo(3);
    }

    @Test
    @DisplayName("a failure names the smallest failing part, the longest linearizable order and where it got stuck")
    void failureReport() {
        List<Operation<KvInput, KvOutput>> ops = history().put("x", "1", 0, 10).put("x", "2", 20, 30)
                .get("x", "1", 40, 50).put("y", "1", 0, 10).get("y", "1", 20, 30).get("y", "1", 40, 50).ops();
        CheckResult.Failure<KvInput, KvOutput> failure = check(ops).failure();
        assertThat(failure.part()).extracting(Operation::id).containsExactly(0, 1, 2);
        assertThat(failure.longest()).extracting(Operation::id).containsExactly(0, 1);
        assertThat(failure.stuckAt().id()).isEqualTo(2);
    }

    @Test
    @DisplayName("bad input is an error that names the operation")
    void badInput() {
        assertThatThrownBy(() -> Operation.answered(3, "client 1", new KvInput.Get("default", "k"),
                new KvOutput.Value("v"), 20, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("operation 3").hasMessageContaining("before its call");
        List<Operation<KvInput, KvOutput>> wrongAnswer = List.of(Operation.answered(4, "client 2",
                new KvInput.Scan("a", "b"), new KvOutput.Value("v"), 0, 1));
        assertThatThrownBy(() -> check(wrongAnswer)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("operation 4").hasMessageContaining("not rows");
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<Operation<KvInput, KvOutput>> unknown = List.of(new Operation(5, "client 3", "increment(k)",
                new KvOutput.Ack(), 0, 1));
        assertThatThrownBy(() -> check(unknown)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("operation 5 (increment(k) by client 3)")
                .hasMessageContaining("not an operation of the key-value model");
        List<Operation<KvInput, KvOutput>> twice = history().put("x", "1", 0, 1).ops();
        List<Operation<KvInput, KvOutput>> duplicated = List.of(twice.get(0), twice.get(0));
        assertThatThrownBy(() -> check(duplicated)).hasMessageContaining("two operations of the history have id 0");
    }

    @Test
    @DisplayName("out of its step budget the checker says undecided, which is not a pass")
    void budget() {
        Histories concurrent = history();
        for (int i = 0; i < 12; i++) {
            concurrent.put("x", "v" + i, 0, 100);
        }
        concurrent.get("x", "none of them", 200, 300);
        CheckResult<KvInput, KvOutput> result = LinearizabilityChecker.check(concurrent.ops(), KvModel.INSTANCE, 50);
        assertThat(result.verdict()).isEqualTo(CheckResult.Verdict.UNDECIDED);
        assertThat(result.isLinearizable()).isFalse();
        assertThat(result.steps()).isEqualTo(50);
        assertThat(check(concurrent.ops()).verdict()).isEqualTo(CheckResult.Verdict.NOT_LINEARIZABLE);
    }

    /**
     * Thousands of small random histories from one seed: up to 7 operations on three keys (puts, gets, deletes,
     * scans of random ranges, some without an answer), with answers taken from a real sequential run and then sometimes changed.
     * The checker and the brute force must agree on each; both verdicts must come up often.
     */
    @Test
    @DisplayName("agrees with brute force on 5000 random small histories (seed 2026)")
    void crossCheckWithBruteForce() {
        SplittableRandom random = new SplittableRandom(2026);
        int linearizable = 0;
        int not = 0;
        for (int i = 0; i < 5000; i++) {
            List<Operation<KvInput, KvOutput>> ops = randomHistory(random);
            boolean expected = BruteForceChecker.isLinearizable(ops);
            CheckResult<KvInput, KvOutput> result = check(ops);
            assertThat(result.verdict()).as("history %d: %s", i, ops).isEqualTo(expected
                    ? CheckResult.Verdict.LINEARIZABLE : CheckResult.Verdict.NOT_LINEARIZABLE);
            if (expected) {
                linearizable++;
            } else {
                not++;
            }
        }
        assertThat(linearizable).isGreaterThan(1000);
        assertThat(not).isGreaterThan(1000);
    }

    private static List<Operation<KvInput, KvOutput>> randomHistory(SplittableRandom random) {
        int n = 1 + random.nextInt(7);
        String[] keys = {"a", "b", "c"};
        // Each operation takes effect at a random instant inside [call, ret]; the answers are those of the
        // operations run in the order of those instants, so the history starts out linearizable.
        record Planned(int index, long call, long ret, double at, KvInput input) {}
        List<Planned> planned = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long call = random.nextInt(20);
            long ret = call + random.nextInt(10);
            String key = keys[random.nextInt(keys.length)];
            KvInput input = switch (random.nextInt(4)) {
                case 0 -> new KvInput.Put(KvInput.DEFAULT_CF, key, "v" + random.nextInt(3));
                case 1 -> new KvInput.Get(KvInput.DEFAULT_CF, key);
                case 2 -> new KvInput.Delete(KvInput.DEFAULT_CF, key);
                default -> randomScan(random);
            };
            planned.add(new Planned(i, call, ret, call + random.nextDouble() * (ret - call), input));
        }
        KvState state = KvState.EMPTY;
        KvOutput[] outputs = new KvOutput[n];
        for (Planned p : planned.stream().sorted(java.util.Comparator.comparingDouble(Planned::at)).toList()) {
            outputs[p.index()] = answer(state, p.input());
            Operation<KvInput, KvOutput> op = Operation.answered(p.index(), "c", p.input(), outputs[p.index()], 0, 0);
            state = KvModel.INSTANCE.step(state, op).orElseThrow();
        }
        List<Operation<KvInput, KvOutput>> ops = new ArrayList<>();
        for (Planned p : planned) {
            KvOutput output = outputs[p.index()];
            if (output instanceof KvOutput.Value && random.nextInt(2) == 0) {
                output = new KvOutput.Value(random.nextBoolean() ? "" : "v" + random.nextInt(3));
            } else if (output instanceof KvOutput.Rows rows && random.nextInt(2) == 0 && !rows.rows().isEmpty()) {
                output = new KvOutput.Rows(rows.rows().subList(1, rows.rows().size()), rows.end());
            }
            if (random.nextInt(8) == 0) {
                ops.add(Operation.pending(p.index(), "c" + p.index(), p.input(), p.call()));
            } else {
                ops.add(Operation.answered(p.index(), "c" + p.index(), p.input(), output, p.call(), p.ret()));
            }
        }
        return ops;
    }

    /** A scan of a random range of the keys a to c: one key, several, or to the end. */
    private static KvInput.Scan randomScan(SplittableRandom random) {
        String start = String.valueOf((char) ('a' + random.nextInt(3)));
        String end = random.nextInt(3) == 0 ? "" : String.valueOf((char) (start.charAt(0) + 1 + random.nextInt(2)));
        return new KvInput.Scan(start, end);
    }

    /** What the store answers to {@code input} in {@code state}. */
    private static KvOutput answer(KvState state, KvInput input) {
        if (input instanceof KvInput.Get get) {
            String value = state.get(get.cf(), get.key());
            return new KvOutput.Value(value == null ? "" : value);
        }
        if (input instanceof KvInput.Scan scan) {
            List<KvOutput.Row> rows = new ArrayList<>();
            state.forEachInRange(scan.start(), scan.end(), (key, value) -> rows.add(new KvOutput.Row(key, value)));
            return new KvOutput.Rows(rows, scan.end());
        }
        return new KvOutput.Ack();
    }
}
