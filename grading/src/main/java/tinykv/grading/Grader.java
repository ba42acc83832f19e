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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The grader ({@code make grade}): discovers the staged tests of every lab part present (by tag, with their
 * {@code @Points}, {@code @Seeded} and {@code @Hidden}), runs each part in its own capped JVM, and writes the
 * console table, {@code results.json} (Gradescope's format) and JUnit XML from that one run.
 *
 * <p>The whole grade has a wall-clock budget: a part it does not reach is "not run", and the results file is
 * written in any case, so a hanging submission still gets feedback before the platform's own timeout.
 *
 * <p>Exit status: 0 when grading completed, whatever the score; 1 below full marks with
 * {@code --require-full}; 2 for a usage error.
 */
public final class Grader {
    private final GradeOptions options;
    private final String classpath;
    private final String notes;
    /** The student packages each part's tests run, where the determinism rules are checked ({@link RuleVerdicts}). */
    private final Function<String, List<String>> studentPackages;

    public Grader(GradeOptions options, String classpath) {
        this(options, classpath, "");
    }

    /** A grader whose report also carries the notes (batch grading names ignored changes there). */
    public Grader(GradeOptions options, String classpath, String notes) {
        this(options, classpath, notes, RuleVerdicts.LAB_PARTS);
    }

    /** A grader that checks the determinism rules on other packages (the grader's own fixtures). */
    Grader(GradeOptions options, String classpath, String notes, Function<String, List<String>> studentPackages) {
        this.options = options;
        this.classpath = classpath;
        this.notes = notes;
        this.studentPackages = studentPackages;
    }

    public static void main(String[] args) throws IOException {
        GradeOptions options;
        String notes;
        try {
            List<String> flags = new ArrayList<>(List.of(args));
            notes = notesFlag(flags);
            options = GradeOptions.parse(flags.toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            System.err.println("grade: " + e.getMessage());
            System.exit(2);
            return;
        }
        Report report = new Grader(options, System.getProperty("java.class.path"), notes).grade();
        System.exit(options.requireFull() && report.score() < report.maxScore() ? 1 : 0);
    }

    /** {@code --notes FILE}: a text to put at the top of the report (the Classroom workflow's ignored files). */
    private static String notesFlag(List<String> flags) {
        int i = flags.indexOf("--notes");
        if (i < 0) {
            return "";
        }
        if (i + 1 >= flags.size()) {
            throw new IllegalArgumentException("--notes needs a file");
        }
        String file = flags.remove(i + 1);
        flags.remove(i);
        try {
            return file.isBlank() || !Files.exists(Path.of(file)) ? "" : Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("--notes: cannot read " + file + ": " + e.getMessage());
        }
    }

    /** The outcome of one grading run; every output file has been written when it returns. */
    public record Report(List<TestScore> tests, int score, int maxScore, long seconds, String problem) {}

    public Report grade() throws IOException {
        long start = System.nanoTime();
        long deadline = start + options.budget().toNanos();
        Path work = options.out().toAbsolutePath().resolve("work");
        Files.createDirectories(work);
        List<PlannedTest> planned;
        try {
            planned = discover(work);
        } catch (IOException | RuntimeException e) {
            String problem = notes + "The grader could not list the tests: " + e.getMessage();
            Report report = new Report(List.of(), 0, 0, seconds(start), problem);
            Reports.write(options, report, List.of());
            return report;
        }
        Map<String, List<PlannedTest>> byPart = byPart(planned);
        if (options.compileError().isPresent()) {
            return gradeWithout(byPart, Verdict.DOES_NOT_COMPILE, "The submission does not compile:\n"
                    + Lines.cap(Files.readString(options.compileError().get(), StandardCharsets.UTF_8), 6_000), start);
        }
        PartRunner runner = new PartRunner(options, classpath, work);
        RuleVerdicts rules = RuleVerdicts.check(classpath, byPart.keySet(), studentPackages);
        return report(gradeParts(runner, rules, byPart, deadline), notes + rules.summary(), start);
    }

    /**
     * Grades the parts, up to {@code JOBS} at once (each part in forks of its own, so the verdicts are those of a
     * run one part at a time); the lines come in part order, each as soon as its part and those before it are done.
     */
    private List<Reports.PartLine> gradeParts(PartRunner runner, RuleVerdicts rules,
            Map<String, List<PlannedTest>> byPart, long deadline) throws IOException {
        int jobs = Math.max(1, Math.min(options.jobs(), byPart.size()));
        ExecutorService pool = Executors.newFixedThreadPool(jobs);
        try {
            List<Future<Reports.PartLine>> graded = new ArrayList<>();
            for (Map.Entry<String, List<PlannedTest>> part : byPart.entrySet()) {
                Optional<String> broken = rules.brokenIn(part.getKey());
                graded.add(pool.submit(() -> broken.isPresent()
                        ? RuleVerdicts.zeroed(part.getKey(), part.getValue(), broken.get())
                        : gradePart(runner, part.getKey(), part.getValue(), deadline)));
            }
            List<Reports.PartLine> parts = new ArrayList<>();
            for (Future<Reports.PartLine> part : graded) {
                Reports.PartLine line = part.get();
                System.out.printf("graded %s: %d tests in %d s%n", line.part(), line.tests().size(),
                        line.time().toSeconds());
                parts.add(line);
            }
            return parts;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while grading", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("grading a part failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Grades a submission no test can run on (it does not compile, or holds no student file): every test
     * gets the verdict, and {@code why} is said once, at the top of the report.
     */
    public Report gradeWithout(Verdict verdict, String why) throws IOException {
        long start = System.nanoTime();
        return gradeWithout(byPart(discoverTests()), verdict, why, start);
    }

    private Report gradeWithout(Map<String, List<PlannedTest>> byPart, Verdict verdict, String why, long start)
            throws IOException {
        List<Reports.PartLine> parts = new ArrayList<>();
        byPart.forEach((part, tests) -> parts.add(new Reports.PartLine(part, tests.stream()
                .map(test -> new TestScore(test, List.of(), verdict, 0, verdict.label()
                        + ": no test could run (the reason is at the top of the report).", 0)).toList(),
                Duration.ZERO, Optional.empty())));
        return report(parts, notes + why, start);
    }

    private Report report(List<Reports.PartLine> parts, String problem, long start) throws IOException {
        List<TestScore> scores = parts.stream().flatMap(part -> part.tests().stream()).toList();
        int score = scores.stream().mapToInt(TestScore::score).sum();
        int max = scores.stream().mapToInt(s -> s.test().points()).sum();
        Report report = new Report(scores, score, max, seconds(start), problem);
        Reports.write(options, report, parts);
        return report;
    }

    /** The tests of each part to grade, in the order of the tags (LAB= keeps its parts). */
    private Map<String, List<PlannedTest>> byPart(List<PlannedTest> planned) {
        Map<String, List<PlannedTest>> byPart = new LinkedHashMap<>();
        for (String tag : options.tags()) {
            if (!options.labs().isEmpty() && options.labs().stream().noneMatch(lab -> lab.tag().equals(tag))) {
                continue;
            }
            List<PlannedTest> ofPart = planned.stream().filter(test -> test.part().equals(tag)).toList();
            if (!ofPart.isEmpty()) {
                byPart.put(tag, ofPart);
            }
        }
        options.labs().stream().filter(lab -> !byPart.containsKey(lab.tag())).forEach(lab -> System.out.println(
                "No lab part " + lab.tag() + " in this kit (LAB=" + lab.lab() + ")."));
        return byPart;
    }

    /**
     * Grades one lab part: runs its tests (over the seeds for a seeded test, the first seed twice: {@link
     * SameSeedTwice}) in forks until the part's cap or the grade's deadline ({@link System#nanoTime()}),
     * whichever comes first, and scores each test.
     */
    Reports.PartLine gradePart(PartRunner runner, String part, List<PlannedTest> tests, long deadline)
            throws IOException {
        long partStart = System.nanoTime();
        List<PartRunner.Run> runs = new ArrayList<>();
        long firstSeed = options.seedList().get(0);
        for (PlannedTest test : tests) {
            if (test.seeded()) {
                options.seedList().forEach(seed -> runs.add(new PartRunner.Run(test, OptionalLong.of(seed))));
                runs.add(runs.size() - options.seedList().size() + 1,
                        new PartRunner.Run(test, OptionalLong.of(firstSeed), true));
            } else {
                runs.add(new PartRunner.Run(test, OptionalLong.empty()));
            }
        }
        List<String> jvm = new ArrayList<>(Coverage.jvmOptions(options, part));
        Path traces = options.out().toAbsolutePath().resolve("work").resolve("traces").resolve(part);
        if (tests.stream().anyMatch(PlannedTest::seeded)) {
            jvm.addAll(SameSeedTwice.jvmOptions(traces, firstSeed));
        }
        List<RunResult> results = runner.run(part, runs, jvm, deadline);
        List<TestScore> scores = new ArrayList<>();
        for (PlannedTest test : tests) {
            List<RunResult> ofTest = new ArrayList<>();
            RunResult again = null;
            for (int i = 0; i < runs.size(); i++) {
                if (runs.get(i).test() == test && runs.get(i).again()) {
                    again = results.get(i);
                } else if (runs.get(i).test() == test) {
                    ofTest.add(results.get(i));
                }
            }
            TestScore score = TestScore.of(test, ofTest, options.impl(), GradeMain.OUTPUT_CAP);
            scores.add(again == null ? score : SameSeedTwice.judge(score, ofTest.get(0), again, traces, options.impl()));
        }
        return new Reports.PartLine(part, scores, Duration.ofNanos(System.nanoTime() - partStart),
                Coverage.report(options, part));
    }

    /** Every test of the tags, with its points and markers, without running any. */
    public List<PlannedTest> discoverTests() throws IOException {
        Path work = options.out().toAbsolutePath().resolve("work");
        Files.createDirectories(work);
        return discover(work);
    }

    private List<PlannedTest> discover(Path work) throws IOException {
        Path out = work.resolve("discovered.txt");
        Path log = work.resolve("logs").resolve("discover.log");
        Files.deleteIfExists(log);
        List<String> arguments = new ArrayList<>(List.of("discover", out.toString()));
        arguments.addAll(options.tags());
        Forks.Ended ended = Forks.run(List.of("-Xmx" + options.heap(), "-XX:+UseSerialGC"), classpath, arguments,
                log, Duration.ofMinutes(3));
        if (ended.timedOut() || ended.status() != 0) {
            throw new IOException("the discovery JVM " + (ended.timedOut() ? "timed out" : "failed") + ":\n"
                    + Forks.tail(log, 3000));
        }
        List<PlannedTest> planned = new ArrayList<>();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            List<String> f = Lines.split(line);
            planned.add(new PlannedTest(f.get(1), f.get(2), f.get(3), f.get(4), f.get(5), Integer.parseInt(f.get(6)),
                    Boolean.parseBoolean(f.get(7)), Boolean.parseBoolean(f.get(8))));
        }
        planned.sort(java.util.Comparator.comparing(PlannedTest::className).thenComparing(PlannedTest::methodName));
        return planned;
    }

    private static long seconds(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e9);
    }
}
