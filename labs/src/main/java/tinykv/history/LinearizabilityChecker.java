package tinykv.history;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a history of client operations is linearizable against a sequential {@link Model}: whether
 * each operation can be given one instant between its call and its answer so that, in the order of those
 * instants, every answer is the one the model gives.
 *
 * <p>The search is Wing and Gong's (1993), with the memoisation of Lowe (2017) that Porcupine also uses. The
 * calls and answers of the history lie in one list in time order. Walking it from the front, a call is an
 * operation that could take effect now: if the model accepts it, the search takes it out of the list
 * (<em>linearizes</em> it) and starts again from the front. Reaching an answer means the operation answered
 * there was not linearized before its answer: the search backtracks, undoing the last operation it took and
 * trying the next call after it instead. An empty list is a linearization; backtracking past the first
 * choice means there is none. Lowe's cache: a (set of linearized operations, model state) pair seen before
 * leads where it led then, so the search skips it; this is what keeps histories of thousands of operations
 * fast.
 *
 * <p>The search is bounded in steps (each look at a list entry is one), never in wall time, so a verdict is
 * a function of the history alone. A history it cannot decide within the budget is {@code UNDECIDED}.
 */
public final class LinearizabilityChecker {
    /** Enough for every cluster test of the kit many times over (the largest takes about 10^4 steps). */
    public static final long DEFAULT_STEP_BUDGET = 50_000_000;

    private LinearizabilityChecker() {}

    /**
     * Checks {@code history} part by part ({@link Model#partition}); reads whose answer never came are left
     * out ({@link Model#isReadOnly}), since nothing was seen of them. Stops at the first part that runs out of
     * the budget.
     *
     * @throws IllegalArgumentException if two operations share an id, or the model rejects an operation
     *     ({@link Model#validate})
     */
    public static <I, O, S> CheckResult<I, O> check(List<Operation<I, O>> history, Model<I, O, S> model,
            long stepBudget) {
        Objects.requireNonNull(history, "history");
        if (stepBudget < 1) {
            throw new IllegalArgumentException("the step budget must be positive, was " + stepBudget);
        }
        Set<Integer> ids = new HashSet<>();
        List<Operation<I, O>> kept = new ArrayList<>();
        for (Operation<I, O> op : history) {
            if (!ids.add(op.id())) {
                throw new IllegalArgumentException("two operations of the history have id " + op.id() + ": " + op);
            }
            model.validate(op);
            if (!(op.isPending() && model.isReadOnly(op))) {
                kept.add(op);
            }
        }
        List<List<Operation<I, O>>> parts = model.partition(kept);
        long steps = 0;
        int largest = 0;
        CheckResult.Failure<I, O> smallestFailure = null;
        boolean undecided = false;
        for (List<Operation<I, O>> part : parts) {
            largest = Math.max(largest, part.size());
            Search<I, O, S> search = new Search<>(part, model, stepBudget - steps, false);
            PartOutcome outcome = search.run();
            steps += search.steps;
            if (outcome == PartOutcome.FOUND && !search.holdsExactly()) {
                // A digest matched where the values do not: search again comparing values (never seen yet).
                search = new Search<>(part, model, stepBudget - steps, true);
                outcome = search.run();
                steps += search.steps;
            }
            if (outcome == PartOutcome.OUT_OF_BUDGET) {
                undecided = true;
                break;
            }
            if (outcome == PartOutcome.NONE && (smallestFailure == null
                    || part.size() < smallestFailure.part().size())) {
                smallestFailure = search.failure();
            }
        }
        CheckResult.Verdict verdict = smallestFailure != null ? CheckResult.Verdict.NOT_LINEARIZABLE
                : undecided ? CheckResult.Verdict.UNDECIDED : CheckResult.Verdict.LINEARIZABLE;
        return new CheckResult<>(verdict, steps, kept.size(), parts.size(), largest, smallestFailure);
    }

    private enum PartOutcome { FOUND, NONE, OUT_OF_BUDGET }

    /** The search over one part: the entry list, the stack of choices, and Lowe's cache. */
    private static final class Search<I, O, S> {
        private static final int HEAD = 0;

        private final List<Operation<I, O>> ops;
        private final Model<I, O, S> model;
        private final long budget;
        private final boolean exact;
        long steps;
        // The doubly linked entry list: entry 0 is the head sentinel; entry 2k+1 calls ops[k], 2k+2 answers it.
        private final int[] next;
        private final int[] prev;
        private final int[] order;
        private final BitSet linearized;
        private final Set<Explored<S>> cache = new HashSet<>();
        private final int[] stack;
        private final Object[] stackStates;
        private int depth;
        private int[] longest = new int[0];
        private int stuckAt = -1;

        Search(List<Operation<I, O>> part, Model<I, O, S> model, long budget, boolean exact) {
            this.exact = exact;
            this.ops = part.stream().sorted(Comparator.comparingLong(Operation<I, O>::call)).toList();
            this.model = model;
            this.budget = budget;
            int n = ops.size();
            this.linearized = new BitSet(n);
            this.stack = new int[n];
            this.stackStates = new Object[n];
            // Entries in time order; at one instant calls come before answers (the operations overlap).
            Integer[] entries = new Integer[2 * n];
            for (int i = 0; i < 2 * n; i++) {
                entries[i] = i + 1;
            }
            Arrays.sort(entries, Comparator.comparingLong(this::time).thenComparingInt(e -> isCall(e) ? 0 : 1));
            this.order = new int[2 * n + 1];
            this.next = new int[2 * n + 1];
            this.prev = new int[2 * n + 1];
            int last = HEAD;
            for (int entry : entries) {
                next[last] = entry;
                prev[entry] = last;
                last = entry;
            }
            next[last] = -1;
        }

        private long time(int entry) {
            Operation<I, O> op = ops.get(opOf(entry));
            return isCall(entry) ? op.call() : op.ret();
        }

        private static boolean isCall(int entry) {
            return entry % 2 == 1;
        }

        private static int opOf(int entry) {
            return (entry - 1) / 2;
        }

        @SuppressWarnings("unchecked")
        PartOutcome run() {
            S state = model.initial();
            int cursor = next[HEAD];
            while (next[HEAD] != -1) {
                if (steps == budget) {
                    return PartOutcome.OUT_OF_BUDGET;
                }
                steps++;
                if (cursor == -1) {
                    throw new IllegalStateException("the search ran off the end of the entry list");
                }
                if (isCall(cursor)) {
                    int op = opOf(cursor);
                    Optional<S> after = exact ? model.stepExactly(state, ops.get(op)) : model.step(state, ops.get(op));
                    if (after.isPresent()) {
                        linearized.set(op);
                        if (cache.add(new Explored<>((BitSet) linearized.clone(), after.get()))) {
                            stack[depth] = cursor;
                            stackStates[depth] = state;
                            depth++;
                            state = after.get();
                            lift(cursor);
                            cursor = next[HEAD];
                            continue;
                        }
                        linearized.clear(op);
                    }
                    cursor = next[cursor];
                } else {
                    if (depth >= longest.length) {
                        longest = Arrays.copyOf(stack, depth);
                        stuckAt = opOf(cursor);
                    }
                    if (depth == 0) {
                        return PartOutcome.NONE;
                    }
                    depth--;
                    int call = stack[depth];
                    state = (S) stackStates[depth];
                    stackStates[depth] = null;
                    linearized.clear(opOf(call));
                    unlift(call);
                    cursor = next[call];
                }
            }
            return PartOutcome.FOUND;
        }

        /** Takes an operation's call and answer out of the list. */
        private void lift(int call) {
            unlink(call);
            unlink(call + 1);
        }

        /** Puts them back, in the reverse order, where they were. */
        private void unlift(int call) {
            relink(call + 1);
            relink(call);
        }

        private void unlink(int entry) {
            next[prev[entry]] = next[entry];
            if (next[entry] != -1) {
                prev[next[entry]] = prev[entry];
            }
        }

        private void relink(int entry) {
            next[prev[entry]] = entry;
            if (next[entry] != -1) {
                prev[next[entry]] = entry;
            }
        }

        /** Whether the order found (the whole stack, once the search succeeded) holds with exact steps too. */
        boolean holdsExactly() {
            S state = model.initial();
            for (int i = 0; i < depth; i++) {
                Optional<S> after = model.stepExactly(state, ops.get(opOf(stack[i])));
                if (after.isEmpty()) {
                    return false;
                }
                state = after.get();
            }
            return true;
        }

        CheckResult.Failure<I, O> failure() {
            List<Operation<I, O>> sequence = new ArrayList<>();
            for (int call : longest) {
                sequence.add(ops.get(opOf(call)));
            }
            return new CheckResult.Failure<>(ops, sequence, ops.get(stuckAt));
        }
    }

    /** Lowe's cache key: which operations are linearized, and the state they led to. */
    private record Explored<S>(BitSet linearized, S state) {}
}
