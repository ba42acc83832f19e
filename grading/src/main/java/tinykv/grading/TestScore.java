package tinykv.grading;

import java.util.List;
import java.util.stream.Collectors;
import tinykv.labs.Replay;

/**
 * The grade of one test: its runs (one per seed for a seeded test), its verdict (the first failing run's,
 * else passed), its score (all its points if every run passed, else none) and the output a student reads.
 */
public record TestScore(PlannedTest test, List<RunResult> runs, Verdict verdict, int score, String output,
        long millis) {

    static TestScore of(PlannedTest test, List<RunResult> runs, String impl, int outputCap) {
        List<RunResult> failed = runs.stream().filter(run -> !run.passed()).toList();
        long millis = runs.stream().mapToLong(RunResult::millis).sum();
        if (failed.isEmpty()) {
            String seeds = test.seeded() ? "passed on every seed: " + seedList(runs) : "passed";
            return new TestScore(test, runs, Verdict.PASSED, test.points(), seeds, millis);
        }
        StringBuilder output = new StringBuilder();
        RunResult first = failed.get(0);
        output.append(first.verdict().label());
        if (test.hidden()) {
            // A hidden test is not in the student kit: a replay command could not run there.
            output.append(test.seeded() ? " on " + failed.size() + " of " + runs.size() + " seeds (" + seedList(failed)
                    + ")" : "").append(".\nThis is a hidden test; it is not in the student kit.\n");
        } else if (test.seeded()) {
            output.append(" on ").append(failed.size()).append(" of ").append(runs.size()).append(" seeds (")
                    .append(seedList(failed)).append("); a seeded test scores only if every seed passes.\n")
                    .append("Replay each failing seed with:\n");
            for (RunResult run : failed) {
                output.append("  ").append(replay(test, impl, run)).append("   # ").append(run.verdict().label())
                        .append('\n');
            }
        } else {
            output.append(".\nReplay it with: ").append(replay(test, impl, first)).append('\n');
        }
        output.append('\n').append(first.detail());
        return new TestScore(test, runs, first.verdict(), 0, Lines.cap(output.toString(), outputCap), millis);
    }

    static String replay(PlannedTest test, String impl, RunResult run) {
        return Replay.command(test.part(), impl, test.methodName(), run.seed());
    }

    private static String seedList(List<RunResult> runs) {
        return runs.stream().map(run -> run.seed().isPresent() ? Long.toString(run.seed().getAsLong()) : "-")
                .collect(Collectors.joining(", "));
    }
}
