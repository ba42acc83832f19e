package tinykv.raft;

import java.util.Locale;
import java.util.Optional;
import tinykv.proto.eraftpb.HardState;

/**
 * The rules a persisted state keeps if it was written in the right order, checked where a node restarts from
 * it: {@code applied <= commit <= lastIndex}, and a hard state whose term is at least its last entry's (the
 * entries and the hard state of a Ready go to disk together, before anything is applied). etcd refuses to
 * start from a state that breaks them, and so does this kit: the error names the values, so that what was
 * persisted wrongly shows at once rather than as a strange election later.
 */
public final class RestartState {
    private RestartState() {}

    /** What is wrong with the state, in words; empty if it keeps every rule. */
    public static Optional<String> problem(HardState hardState, long lastIndex, long lastTerm, long applied) {
        if (applied > hardState.getCommit()) {
            return Optional.of(String.format(Locale.ROOT, "the applied index %d is above the commit index %d "
                    + "(an entry was applied before the hard state that commits it was persisted)", applied,
                    hardState.getCommit()));
        }
        if (hardState.getCommit() > lastIndex) {
            return Optional.of(String.format(Locale.ROOT, "the commit index %d is above the last index %d "
                    + "(the hard state was persisted without the entries it commits)", hardState.getCommit(),
                    lastIndex));
        }
        if (hardState.getTerm() < lastTerm) {
            return Optional.of(String.format(Locale.ROOT, "the hard state's term %d is below the term %d of the "
                    + "last entry (index %d): the entries were persisted without their hard state",
                    hardState.getTerm(), lastTerm, lastIndex));
        }
        return Optional.empty();
    }

    /** Throws {@link IllegalStateException} naming {@code who} and the values unless the state keeps every rule. */
    public static void check(String who, HardState hardState, long lastIndex, long lastTerm, long applied) {
        problem(hardState, lastIndex, lastTerm, applied).ifPresent(problem -> {
            throw new IllegalStateException(who + ": cannot restart from the persisted state: " + problem);
        });
    }
}
