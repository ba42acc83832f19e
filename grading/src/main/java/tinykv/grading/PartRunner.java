package tinykv.grading;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Runs the tests of one lab part in forked JVMs, each capped in heap and wall-clock time. A fork that dies
 * (System.exit without the guard, out of memory, a crash, the wall-clock cap) costs only the test it was
 * running: that test gets its verdict and the rest of the part runs in a fresh fork, until the part's
 * wall-clock budget is spent.
 */
final class PartRunner {
    private final GradeOptions options;
    private final String classpath;
    private final Path workDir;

    PartRunner(GradeOptions options, String classpath, Path workDir) {
        this.options = options;
        this.classpath = classpath;
        this.workDir = workDir;
    }

    /**
     * One scheduled run: a test, and its seed or none (a test that is not seeded runs once, unseeded). {@code again}
     * marks the second run of a seed ({@link SameSeedTwice}): its seed is written {@code +N}, the same number to
     * the test (a leading plus parses), so that its START and END lines have a key of their own.
     */
    record Run(PlannedTest test, OptionalLong seed, boolean again) {
        Run(PlannedTest test, OptionalLong seed) {
            this(test, seed, false);
        }

        String seedField() {
            return seed.isPresent() ? (again ? "+" : "") + seed.getAsLong() : "-";
        }

        String key() {
            return test.uniqueId() + "@" + seedField();
        }
    }

    /**
     * Runs the part's runs until they are done, the part's own cap is reached, or {@code gradeDeadline}
     * ({@link System#nanoTime()}) passes: the whole grade's time budget.
     */
    List<RunResult> run(String part, List<Run> runs, List<String> extraJvmOptions, long gradeDeadline)
            throws IOException {
        Map<String, RunResult> done = new LinkedHashMap<>();
        List<Run> remaining = new ArrayList<>(runs);
        long partDeadline = System.nanoTime() + options.partTimeout().toNanos();
        boolean budgetFirst = gradeDeadline - partDeadline < 0;
        long deadline = budgetFirst ? gradeDeadline : partDeadline;
        String notReached = budgetFirst
                ? "not run: the time budget of the whole grade (" + options.budget().toSeconds() + " s) was spent"
                : "not run: the lab part's wall-clock cap of " + options.partTimeout().toSeconds()
                        + " s was reached before this test could run";
        Path log = workDir.resolve("logs").resolve(part + ".log");
        Files.deleteIfExists(log);
        int fork = 0;
        while (!remaining.isEmpty()) {
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            if (left.isNegative() || left.isZero()) {
                for (Run run : remaining) {
                    done.put(run.key(), new RunResult(run.test().uniqueId(), run.seed(), Verdict.NOT_RUN, 0,
                            notReached));
                }
                break;
            }
            fork++;
            Path plan = workDir.resolve(part + "-plan-" + fork + ".txt");
            Path out = workDir.resolve(part + "-runs-" + fork + ".txt");
            List<String> planLines = remaining.stream().map(run -> Lines.join(run.test().uniqueId(), run.seedField(),
                    showsOutput(run.test()))).toList();
            Files.write(plan, planLines, StandardCharsets.UTF_8);
            List<String> jvm = new ArrayList<>(List.of("-Xmx" + options.heap(), "-XX:+UseSerialGC",
                    "-Djava.security.manager=allow", "-Dfile.encoding=UTF-8", "-Dtinykv.impl=" + options.impl()));
            jvm.addAll(extraJvmOptions);
            Forks.Ended ended = Forks.run(jvm, classpath,
                    List.of("run", plan.toString(), out.toString(), Long.toString(options.testTimeout().toSeconds())),
                    log, left);
            int before = done.size();
            readRuns(out, remaining, done, ended, log);
            remaining.removeIf(run -> done.containsKey(run.key()));
            if (done.size() == before && ended.timedOut()) {
                // Ended at the deadline before its first test started: the rest was never reached.
                remaining.forEach(run -> done.put(run.key(), new RunResult(run.test().uniqueId(), run.seed(),
                        Verdict.NOT_RUN, 0, notReached)));
                break;
            }
            if (done.size() == before) {
                for (Run run : remaining) {
                    done.put(run.key(), new RunResult(run.test().uniqueId(), run.seed(), Verdict.CRASHED, 0,
                            "the test JVM ended (status " + ended.status() + ") before running any test:\n"
                                    + Forks.tail(log, 3000)));
                }
                break;
            }
        }
        List<RunResult> results = new ArrayList<>();
        for (Run run : runs) {
            results.add(done.get(run.key()));
        }
        return results;
    }

    /** A report for students before the due date shows no test's captured output except a hidden test's. */
    private boolean showsOutput(PlannedTest test) {
        return !options.forStudents() || test.hidden();
    }

    private void readRuns(Path out, List<Run> remaining, Map<String, RunResult> done, Forks.Ended ended, Path log)
            throws IOException {
        Map<String, Run> byKey = new LinkedHashMap<>();
        remaining.forEach(run -> byKey.put(run.key(), run));
        String started = null;
        List<String> lines = Files.exists(out) ? Files.readAllLines(out, StandardCharsets.UTF_8) : List.of();
        for (String line : lines) {
            List<String> f = Lines.split(line);
            switch (f.get(0)) {
                case "START" -> started = f.get(1) + "@" + f.get(2);
                case "END" -> {
                    String key = f.get(1) + "@" + f.get(2);
                    Run run = byKey.get(key);
                    if (run != null) {
                        done.put(key, new RunResult(run.test().uniqueId(), run.seed(), Verdict.valueOf(f.get(3)),
                                Long.parseLong(f.get(4)), f.get(5)));
                    }
                    started = null;
                }
                default -> started = null;
            }
        }
        if (started != null && byKey.containsKey(started)) {
            Run run = byKey.get(started);
            RunResult result;
            if (ended.timedOut()) {
                result = new RunResult(run.test().uniqueId(), run.seed(), Verdict.TIMED_OUT,
                        options.partTimeout().toMillis(), "the lab part's JVM reached its wall-clock cap ("
                        + options.partTimeout().toSeconds() + " s for the part, " + options.budget().toSeconds()
                        + " s for the whole grade) while this test ran, and was ended");
            } else if (ended.status() == 3 || Forks.tail(log, 4000).contains("OutOfMemoryError")) {
                result = new RunResult(run.test().uniqueId(), run.seed(), Verdict.OUT_OF_MEMORY, 0,
                        "the test JVM ran out of memory (heap cap " + options.heap() + ") while this test ran");
            } else {
                result = new RunResult(run.test().uniqueId(), run.seed(), Verdict.EXITED_JVM, 0,
                        "the test JVM exited with status " + ended.status() + " while this test ran (System.exit, "
                                + "Runtime.halt or a crash). Last lines of its output:\n" + Forks.tail(log, 1500));
            }
            done.put(started, result);
        }
    }
}
