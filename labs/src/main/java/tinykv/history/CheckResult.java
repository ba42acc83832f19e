package tinykv.history;

import java.util.List;
import java.util.Objects;

/**
 * What the linearizability checker found for a history.
 *
 * @param verdict      linearizable, not, or not decided within the step budget (never a pass)
 * @param steps        search steps spent, over all parts
 * @param operations   operations checked (answered ones, and writes whose answer never came)
 * @param parts        how many independent parts the history was split into
 * @param largestPart  operations in the largest part
 * @param failure      for a history that is not linearizable: its smallest failing part; else null
 * @param <I>          the model's operations
 * @param <O>          the model's answers
 */
public record CheckResult<I, O>(Verdict verdict, long steps, int operations, int parts, int largestPart,
        Failure<I, O> failure) {

    public enum Verdict {
        LINEARIZABLE,
        NOT_LINEARIZABLE,
        /** The search ran out of its step budget: nothing is known, and the check does not pass. */
        UNDECIDED,
    }

    /**
     * A part of the history with no linearization, and how far the search got in it.
     *
     * @param part         every operation of the part, in call order
     * @param longest      the longest sequence of the part's operations the search could linearize, in order
     * @param stuckAt      the operation whose answer that sequence could not get past: it, or one called before
     *                     its answer, has no place after the sequence
     */
    public record Failure<I, O>(List<Operation<I, O>> part, List<Operation<I, O>> longest, Operation<I, O> stuckAt) {
        public Failure {
            part = List.copyOf(part);
            longest = List.copyOf(longest);
            Objects.requireNonNull(stuckAt, "stuckAt");
        }
    }

    public CheckResult {
        Objects.requireNonNull(verdict, "verdict");
        if ((verdict == Verdict.NOT_LINEARIZABLE) != (failure != null)) {
            throw new IllegalArgumentException("a failure comes with NOT_LINEARIZABLE only, was " + verdict);
        }
    }

    public boolean isLinearizable() {
        return verdict == Verdict.LINEARIZABLE;
    }
}
