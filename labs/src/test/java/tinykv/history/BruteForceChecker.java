package tinykv.history;

import java.util.List;
import java.util.Optional;

/**
 * Linearizability by exhaustion, for cross-checking the real checker on small histories: tries every order of
 * the operations that respects real time (an operation answered before another's call comes first) and runs
 * each through the model, comparing scans entry by entry. Reads without an answer are left out, as the checker leaves them out.
 */
final class BruteForceChecker {
    private BruteForceChecker() {}

    static boolean isLinearizable(List<Operation<KvInput, KvOutput>> history) {
        List<Operation<KvInput, KvOutput>> ops = history.stream()
                .filter(op -> !(op.isPending() && KvModel.INSTANCE.isReadOnly(op))).toList();
        return search(ops, new boolean[ops.size()], 0, KvModel.INSTANCE.initial());
    }

    private static boolean search(List<Operation<KvInput, KvOutput>> ops, boolean[] done, int count, KvState state) {
        if (count == ops.size()) {
            return true;
        }
        for (int i = 0; i < ops.size(); i++) {
            if (done[i] || !isMinimal(ops, done, i)) {
                continue;
            }
            Optional<KvState> next = KvModel.INSTANCE.stepExactly(state, ops.get(i));
            if (next.isPresent()) {
                done[i] = true;
                boolean found = search(ops, done, count + 1, next.get());
                done[i] = false;
                if (found) {
                    return true;
                }
            }
        }
        return false;
    }

    /** No operation still to place was answered before operation {@code i} was called. */
    private static boolean isMinimal(List<Operation<KvInput, KvOutput>> ops, boolean[] done, int i) {
        for (int j = 0; j < ops.size(); j++) {
            if (!done[j] && j != i && ops.get(j).ret() < ops.get(i).call()) {
                return false;
            }
        }
        return true;
    }
}
