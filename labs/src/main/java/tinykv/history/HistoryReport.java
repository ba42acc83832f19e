package tinykv.history;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The words a failed history check prints: what failed, where, and which operations to look at. */
public final class HistoryReport {
    /** The most operations of a failing part a report lists; the timeline shows them all. */
    private static final int MAX_LISTED = 40;

    private HistoryReport() {}

    /**
     * A report of {@code result} for the test's failure message; {@code millis} turns an operation into its
     * virtual call and answer times (for the recorded histories, whose positions are not times).
     */
    public static String describe(CheckResult<KvInput, KvOutput> result, HistoryRecorder recorder) {
        return switch (result.verdict()) {
            case LINEARIZABLE -> "the clients' history is linearizable";
            case UNDECIDED -> String.format(Locale.ROOT, "history check undecided: the search for a linearization "
                    + "of the %d client operations ran out of its budget (%d steps); this counts as a failure, "
                    + "not a pass", result.operations(), result.steps());
            case NOT_LINEARIZABLE -> notLinearizable(result.failure(), recorder);
        };
    }

    private static String notLinearizable(CheckResult.Failure<KvInput, KvOutput> failure, HistoryRecorder recorder) {
        List<HistoryRecorder.Entry> entries = recorder.entries();
        StringBuilder text = new StringBuilder();
        text.append("history check: the clients' history is not linearizable: no order of the operations below, "
                + "each taking effect between its call and its answer, gives every answer they got.\n");
        HistoryRecorder.Entry stuck = entries.get(failure.stuckAt().id());
        text.append(String.format(Locale.ROOT, "  the longest linearizable order found holds %d of the %d "
                + "operations on these keys; it cannot get past the answer of #%d at %s%n", failure.longest().size(),
                failure.part().size(), stuck.id(), seconds(stuck.retMillis())));
        Set<Integer> linearized = new HashSet<>();
        failure.longest().forEach(op -> linearized.add(op.id()));
        text.append("  the operations on these keys (* = in that order, ! = where it got stuck):\n");
        List<Operation<KvInput, KvOutput>> part = failure.part();
        int from = Math.max(0, Math.min(indexOf(part, stuck.id()) - MAX_LISTED / 2, part.size() - MAX_LISTED));
        if (from > 0) {
            text.append("    ... ").append(from).append(" earlier operations\n");
        }
        for (int i = from; i < Math.min(part.size(), from + MAX_LISTED); i++) {
            HistoryRecorder.Entry entry = entries.get(part.get(i).id());
            text.append(String.format(Locale.ROOT, "   %s #%d %-9s %s -> %s  [%s, %s]%s%n",
                    entry.id() == stuck.id() ? "!" : linearized.contains(entry.id()) ? "*" : " ", entry.id(),
                    entry.client(), entry.input(), entry.isPending() ? "(no answer)" : entry.output(),
                    seconds(entry.callMillis()), entry.isPending() ? "..." : seconds(entry.retMillis()),
                    entry.store() == 0 ? "" : " store " + entry.store()));
        }
        if (from + MAX_LISTED < part.size()) {
            text.append("    ... ").append(part.size() - from - MAX_LISTED).append(" later operations\n");
        }
        return text.toString().stripTrailing();
    }

    private static int indexOf(List<Operation<KvInput, KvOutput>> part, int id) {
        for (int i = 0; i < part.size(); i++) {
            if (part.get(i).id() == id) {
                return i;
            }
        }
        return 0;
    }

    static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3fs", millis / 1000.0);
    }
}
