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
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The grader ({@code make grade}): discovers the staged tests of every lab part present (by tag, with their
 * {@code @Points}, {@code @Seeded} and {@code @Hidden}), runs each part in its own capped JVM, and writes the
 * console table, {@code results.json} (Gradescope's format) and JUnit XML from that one run.
 *
 * <p>Exit status: 0 when grading completed, whatever the score; 1 below full marks with
 * {@code --require-full}; 2 for a usage error.
 */
public final class Grader {
    private final GradeOptions options;
    private final String classpath;
    private final String notes;

    public Grader(GradeOptions options, String classpath) {
        this(options, classpath, "");
    }

    /** A grader whose report also carries the notes (batch grading names ignored changes there). */
    public Grader(GradeOptions options, String classpath, String notes) {
        this.options = options;
        this.classpath = classpath;
        this.notes = notes;
    }

    public static void main(String[] args) throws IOException {
        GradeOptions options;
        try {
            options = GradeOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("grade: " + e.getMessage());
            System.exit(2);
            return;
        }
        Report report = new Grader(options, System.getProperty("java.class.path")).grade();
        System.exit(options.requireFull() && report.score() < report.maxScore() ? 1 : 0);
    }

    /** The outcome of one grading run; every output file has been written when it returns. */
    public record Report(List<TestScore> tests, int score, int maxScore, long seconds, String problem) {}

    public Report grade() throws IOException {
        long start = System.nanoTime();
        Path work = options.out().resolve("work");
        Files.createDirectories(work);
        List<PlannedTest> planned;
        try {
            planned = discover(work);
        } catch (IOException | RuntimeException e) {
            String problem = "The grader could not list the tests: " + e.getMessage();
            Report report = new Report(List.of(), 0, 0, seconds(start), problem);
            Reports.write(options, report, List.of());
            System.out.println(problem);
            return report;
        }
        if (options.lab().isPresent()) {
            String tag = options.lab().get();
            planned = planned.stream().filter(test -> test.part().equals(tag)).toList();
            if (planned.isEmpty()) {
                System.out.println("No lab part " + tag + " in this kit (LAB=" + tag.substring(3) + ").");
            }
        }
        Map<String, List<PlannedTest>> byPart = new LinkedHashMap<>();
        for (String tag : options.tags()) {
            List<PlannedTest> ofPart = planned.stream().filter(test -> test.part().equals(tag)).toList();
            if (!ofPart.isEmpty()) {
                byPart.put(tag, ofPart);
            }
        }
        List<Long> seeds = options.seedList();
        List<TestScore> scores = new ArrayList<>();
        List<Reports.PartLine> parts = new ArrayList<>();
        String compileError = options.compileError().isPresent()
                ? Lines.cap(Files.readString(options.compileError().get(), StandardCharsets.UTF_8), 6_000) : null;
        PartRunner runner = new PartRunner(options, classpath, work);
        for (Map.Entry<String, List<PlannedTest>> part : byPart.entrySet()) {
            long partStart = System.nanoTime();
            System.out.printf("grading %s (%d tests)...%n", part.getKey(), part.getValue().size());
            List<TestScore> partScores = compileError != null
                    ? notCompiled(part.getValue(), compileError)
                    : runPart(runner, part.getKey(), part.getValue(), seeds);
            scores.addAll(partScores);
            parts.add(new Reports.PartLine(part.getKey(), partScores, Duration.ofNanos(System.nanoTime() - partStart),
                    compileError != null ? Optional.empty() : Coverage.report(options, part.getKey())));
        }
        int score = scores.stream().mapToInt(TestScore::score).sum();
        int max = scores.stream().mapToInt(s -> s.test().points()).sum();
        String problem = notes + (compileError == null ? "" : "The submission does not compile:\n" + compileError);
        Report report = new Report(scores, score, max, seconds(start), problem);
        Reports.write(options, report, parts);
        return report;
    }

    private List<TestScore> runPart(PartRunner runner, String part, List<PlannedTest> tests, List<Long> seeds)
            throws IOException {
        List<PartRunner.Run> runs = new ArrayList<>();
        for (PlannedTest test : tests) {
            if (test.seeded()) {
                seeds.forEach(seed -> runs.add(new PartRunner.Run(test, OptionalLong.of(seed))));
            } else {
                runs.add(new PartRunner.Run(test, OptionalLong.empty()));
            }
        }
        List<RunResult> results = runner.run(part, runs, Coverage.jvmOptions(options, part));
        List<TestScore> scores = new ArrayList<>();
        for (PlannedTest test : tests) {
            List<RunResult> ofTest = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                if (runs.get(i).test() == test) {
                    ofTest.add(results.get(i));
                }
            }
            scores.add(TestScore.of(test, ofTest, options.impl(), GradeMain.OUTPUT_CAP));
        }
        return scores;
    }

    private static List<TestScore> notCompiled(List<PlannedTest> tests, String compileError) {
        return tests.stream().map(test -> new TestScore(test, List.of(), Verdict.DOES_NOT_COMPILE, 0,
                "does not compile: the submission's skeleton has compile errors, so no test could run.\n\n"
                        + compileError, 0)).toList();
    }

    /** Every test of the tags, with its points and markers, without running any. */
    public List<PlannedTest> discoverTests() throws IOException {
        Path work = options.out().resolve("work");
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
