package tinykv.grading;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tinykv.sim.RunTrace;
import tinykv.sim.TraceDiff;

/**
 * What static rules cannot see: the grader runs each seeded test's first seed a second time, right after the
 * first, in the same JVM (so that a static field or an identity hash code that leaks into behaviour shows),
 * with both runs' events recorded ({@link RunTrace}). Two runs that differ make the test {@link
 * Verdict#NOT_DETERMINISTIC}, worth 0, with {@link TraceDiff}'s report: both fingerprints and the first event
 * where the traces part. The second run costs one more run of the first seed, and recording the two runs a
 * compressed line per event.
 */
final class SameSeedTwice {
    /** Verdicts that say how the code behaved; the others (a timeout, a crash, not reached) say nothing here. */
    private static final Set<Verdict> COMPARABLE = Set.of(Verdict.PASSED, Verdict.FAILED, Verdict.NOT_IMPLEMENTED);

    private SameSeedTwice() {}

    /** The fork's options: record the runs of the first seed into the part's fresh trace folder. */
    static List<String> jvmOptions(Path traces, long firstSeed) throws IOException {
        Trees.deleteTree(traces);
        Files.createDirectories(traces);
        return List.of("-D" + RunTrace.DIR + "=" + traces, "-D" + RunTrace.SEED + "=" + firstSeed);
    }

    /**
     * The test's score once its two runs of the first seed are compared: unchanged when they agree (or either
     * says nothing), else "not deterministic" with how they differ, ahead of what the first run reported.
     */
    static TestScore judge(TestScore score, RunResult first, RunResult again, Path traces, String impl) {
        PlannedTest test = score.test();
        long seed = first.seed().orElseThrow();
        if (!COMPARABLE.contains(first.verdict()) || !COMPARABLE.contains(again.verdict())) {
            TraceDiff.discard(traces, test.className(), test.methodName(), seed);
            return score;
        }
        Optional<String> parted = TraceDiff.compare(traces, test.className(), test.methodName(), seed);
        String why;
        if (parted.isPresent()) {
            why = parted.get();
        } else if (first.passed() != again.passed()) {
            why = TraceDiff.NOT_DETERMINISTIC + " (seed " + seed + "): the first run " + first.verdict().label()
                    + ", the second " + again.verdict().label() + ".\n" + TraceDiff.ADVICE;
        } else {
            return score;
        }
        String replay = test.hidden() ? "This is a hidden test; it is not in the student kit."
                : "Check it with: " + replay(test, impl, first);
        String output = why + "\n" + replay + "\n\nThe first run: " + score.output();
        return new TestScore(test, score.runs(), Verdict.NOT_DETERMINISTIC, 0,
                Lines.cap(output, GradeMain.OUTPUT_CAP), score.millis());
    }

    /** The lab command that runs the seed twice and compares, as the grade did. */
    static String replay(PlannedTest test, String impl, RunResult run) {
        return TestScore.replay(test, impl, run) + " CHECK_DETERMINISM=1";
    }
}
