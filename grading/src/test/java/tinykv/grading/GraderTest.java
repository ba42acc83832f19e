package tinykv.grading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The grader against hostile submissions (the fixtures): each misbehaving test gets its named verdict, the
 * well-behaved ones still score, and nothing hangs. Caps are small so this stays quick.
 */
@Tag("kit")
@DisplayName("Kit: the grader names every way a submission can misbehave")
class GraderTest {
    @TempDir
    static Path out;
    static Grader.Report report;
    static Map<String, TestScore> byMethod;

    @BeforeAll
    static void gradeTheFixtures() throws IOException {
        GradeOptions options = GradeOptions.parse("--tags", "fixture", "--out", out.toString(), "--heap", "64m",
                "--test-timeout", "3", "--part-timeout", "120", "--seeds", "4", "--salt", "fixtures");
        report = new Grader(options, testClasspath()).grade();
        byMethod = report.tests().stream().collect(Collectors.toMap(s -> s.test().methodName(), Function.identity()));
    }

    static String testClasspath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    private static void assertVerdict(String method, Verdict verdict, String inOutput) {
        TestScore score = byMethod.get(method);
        assertThat(score).as("graded test %s", method).isNotNull();
        assertThat(score.verdict()).as("verdict of %s; its output:%n%s", method, score.output()).isEqualTo(verdict);
        assertThat(score.score()).as("score of %s", method).isZero();
        assertThat(score.output()).as("output of %s", method).contains(inOutput);
    }

    @Test
    @DisplayName("a well-behaved test scores its points beside the hostile ones")
    void passingTestStillScores() {
        assertThat(byMethod.get("passes").verdict()).isEqualTo(Verdict.PASSED);
        assertThat(byMethod.get("runsInAnEmptyWorkingDirectory").verdict()).as("verdict; output:%n%s",
                byMethod.get("runsInAnEmptyWorkingDirectory").output()).isEqualTo(Verdict.PASSED);
        assertThat(report.score()).isEqualTo(2 * 2);
        assertThat(report.maxScore()).isEqualTo(2 * 10 + 5);
    }

    @Test
    void failedAssertion() {
        assertVerdict("failsAnAssertion", Verdict.FAILED, "one plus one");
        assertThat(byMethod.get("failsAnAssertion").test().points()).isEqualTo(5);
    }

    @Test
    void todo() {
        assertVerdict("reachesATodo", Verdict.NOT_IMPLEMENTED, "Fixture.reachesATodo() is not implemented");
    }

    @Test
    void infiniteLoop() {
        assertVerdict("spinsForever", Verdict.TIMED_OUT, "timed out");
    }

    @Test
    void systemExit() {
        assertVerdict("callsSystemExit", Verdict.EXITED_JVM, "System.exit(1)");
    }

    @Test
    void outOfMemory() {
        assertVerdict("runsOutOfMemory", Verdict.OUT_OF_MEMORY, "OutOfMemoryError");
    }

    @Test
    void stackOverflow() {
        assertVerdict("overflowsTheStack", Verdict.STACK_OVERFLOW, "StackOverflowError");
    }

    @Test
    void threadLeftRunning() {
        assertVerdict("leavesAThreadRunning", Verdict.THREAD_LEFT_RUNNING, "fixture-never-stops");
    }

    @Test
    @DisplayName("a chatty test's output is capped")
    void floodIsCapped() {
        assertVerdict("printsAFlood", Verdict.FAILED, "more bytes of output cut");
        assertThat(byMethod.get("printsAFlood").output().length()).isLessThan(20_000);
    }

    @Test
    @DisplayName("a seeded test fails when one seed fails, and lists each failing seed with its replay command")
    void seededTestListsFailingSeeds() {
        GradeOptions options = GradeOptions.parse("--seeds", "4", "--salt", "fixtures");
        TestScore score = byMethod.get("failsOnEvenSeeds");
        assertThat(score.runs()).hasSize(4);
        assertThat(options.seedList()).as("the salt draws odd and even seeds").anyMatch(seed -> seed % 2 == 0)
                .anyMatch(seed -> seed % 2 == 1);
        assertThat(score.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(score.score()).isZero();
        for (long seed : options.seedList()) {
            if (seed % 2 == 0) {
                assertThat(score.output()).contains("make fixture TEST=failsOnEvenSeeds SEED=" + seed);
            }
        }
    }

    @Test
    @DisplayName("results.json and the JUnit XML are written")
    void outputsWritten() throws IOException {
        String json = Files.readString(out.resolve("results.json"));
        assertThat(json).contains("\"score\": 4", "\"execution_time\"", "\"max_score\": 5", "\"visibility\": \"visible\"");
        assertThat(out.resolve("junit").resolve("TEST-fixture.xml")).exists();
    }

    @Test
    @DisplayName("the Classroom result gives each test its own score; the reporter's sum is the grade's points")
    void classroomResultScoresEachTest() throws IOException {
        String json = Files.readString(out.resolve(Reports.CLASSROOM));
        assertThat(json).contains("\"version\": 1", "\"status\": \"fail\"", "\"max_score\": " + report.maxScore(),
                "\"name\": \"fixture: HostileFixtureTest.passes\"", "\"status\": \"pass\"");
        int sum = java.util.regex.Pattern.compile("\"score\": (\\d+)").matcher(json).results()
                .mapToInt(m -> Integer.parseInt(m.group(1))).sum();
        assertThat(sum).as("the tests' scores, added up as the reporter does").isEqualTo(report.score()).isPositive();
    }

    @Test
    @DisplayName("the seed reaches the test through the launcher request: the fork's system property stays unset")
    void seedIsAConfigurationParameter() {
        GradeOptions options = GradeOptions.parse("--seeds", "4", "--salt", "fixtures");
        TestScore score = byMethod.get("failsOnEvenSeeds");
        for (int i = 0; i < score.runs().size(); i++) {
            RunResult run = score.runs().get(i);
            assertThat(run.seed()).hasValue(options.seedList().get(i));
            assertThat(run.verdict()).as("seed %s", run.seed()).isEqualTo(run.seed().getAsLong() % 2 == 1
                    ? Verdict.PASSED : Verdict.FAILED);
        }
    }

    @Test
    @DisplayName("for students before the due date: no captured output in visible tests, hidden tests not counted")
    void studentView(@TempDir Path studentOut) throws IOException {
        GradeOptions options = GradeOptions.parse("--tags", "fixture-students", "--out", studentOut.toString(),
                "--heap", "64m", "--test-timeout", "5", "--for-students");
        Grader.Report graded = new Grader(options, testClasspath(), "").grade();
        Map<String, TestScore> scores = graded.tests().stream()
                .collect(Collectors.toMap(s -> s.test().methodName(), Function.identity()));
        assertThat(scores.get("visiblePrintsAndFails").output()).doesNotContain("PRINTED-BY-STUDENT-CODE")
                .contains("output is not shown").contains("make fixture-students TEST=visiblePrintsAndFails");
        assertThat(scores.get("hiddenPrintsAndFails").output()).contains("PRINTED-IN-A-HIDDEN-TEST")
                .contains("hidden test").doesNotContain("make ");
        String table = Reports.table(options, graded, List.of(new Reports.PartLine("fixture-students",
                graded.tests(), java.time.Duration.ZERO, java.util.Optional.empty())));
        assertThat(table).contains("total    0/1            0/1").doesNotContainIgnoringCase("hidden");
        String json = Files.readString(studentOut.resolve("results.json"));
        assertThat(json).contains("\"visibility\": \"after_due_date\"").doesNotContain("PRINTED-BY-STUDENT-CODE");
        String instructorTable = Reports.table(GradeOptions.parse("--tags", "fixture-students"), graded,
                List.of(new Reports.PartLine("fixture-students", graded.tests(), java.time.Duration.ZERO,
                        java.util.Optional.empty())));
        assertThat(instructorTable).contains("With the 1 hidden test(s) (0/1): 0/2 in all.");
    }

    @Test
    @DisplayName("JOBS=2 grades two parts at once and writes the results.json JOBS=1 writes, times aside")
    void jobsChangeNoResult(@TempDir Path one, @TempDir Path two) throws IOException {
        for (Path out : List.of(one, two)) {
            new Grader(GradeOptions.parse("--tags", "fixture-students,fixture-quick", "--out", out.toString(),
                    "--heap", "64m", "--test-timeout", "10", "--jobs", out == one ? "1" : "2"), testClasspath(), "")
                    .grade();
        }
        assertThat(withoutTimes(two.resolve("results.json"))).as("results.json with JOBS=2")
                .isEqualTo(withoutTimes(one.resolve("results.json")))
                .contains("fixture-quick").contains("fixture-students");
    }

    @Test
    @DisplayName("JOBS that the machine's memory cannot hold is refused with what would fit")
    void jobsThatDoNotFitAreRefused() {
        assertThatThrownBy(() -> JobsFit.check(8, "1g", 3L << 30))
                .hasMessageContaining("JOBS=8 does not fit: 8 forks with HEAP=1g need 8.0 GiB, and this machine has"
                        + " 3.0 GiB; JOBS=3 fits");
        JobsFit.check(3, "1g", 3L << 30);
        assertThat(JobsFit.fitting("700m", 3L << 30)).isEqualTo(4);
    }

    /** A results.json with its times and durations blanked: what JOBS may change. */
    private static String withoutTimes(Path results) throws IOException {
        String where = results.getParent().toString();
        return Files.readString(results).replace(where, "OUT")
                .replaceAll("\"(execution_time|time|duration)\": [0-9.]+", "\"$1\": _")
                .replaceAll(" *[0-9.]+ ?s\\b", " _s"); // with the padding: 9 s and 10 s take different widths
    }

    @Test
    @DisplayName("the grade's time budget ends the running part and leaves later parts not run, with a results file")
    void timeBudget(@TempDir Path budgetOut) throws IOException {
        GradeOptions options = GradeOptions.parse("--tags", "fixture-hang,fixture-students", "--out",
                budgetOut.toString(), "--heap", "64m", "--test-timeout", "60", "--part-timeout", "100", "--budget", "4",
                "--jobs", "1"); // one part at a time: the second is never reached
        long start = System.nanoTime();
        Grader.Report spent = new Grader(options, testClasspath()).grade();
        assertThat((System.nanoTime() - start) / 1e9).as("seconds the grader took").isLessThan(30);
        Map<String, TestScore> scores = spent.tests().stream()
                .collect(Collectors.toMap(s -> s.test().methodName(), Function.identity()));
        // Whether the hanging test got to start within 4 s depends on the machine; it never passes.
        assertThat(scores.get("aHangs").verdict()).isIn(Verdict.TIMED_OUT, Verdict.NOT_RUN);
        assertThat(scores.get("bNeverRuns").verdict()).isEqualTo(Verdict.NOT_RUN);
        assertThat(scores.get("visiblePrintsAndFails").verdict()).isEqualTo(Verdict.NOT_RUN);
        assertThat(scores.get("visiblePrintsAndFails").output()).contains("the time budget of the whole grade (4 s) was spent");
        assertThat(budgetOut.resolve("results.json")).exists();
    }

    @Test
    @DisplayName("a part that hangs past its wall-clock cap is ended, its test named, the rest reported not run")
    void partWallClockCap(@TempDir Path hangOut) throws IOException {
        GradeOptions options = GradeOptions.parse("--tags", "fixture-hang", "--out", hangOut.toString(),
                "--heap", "64m", "--test-timeout", "60", "--part-timeout", "4");
        long start = System.nanoTime();
        Grader.Report hang = new Grader(options, testClasspath()).grade();
        assertThat((System.nanoTime() - start) / 1e9).as("seconds the grader took").isLessThan(30);
        Map<String, Verdict> verdicts = hang.tests().stream()
                .collect(Collectors.toMap(s -> s.test().methodName(), TestScore::verdict));
        assertThat(verdicts).containsEntry("aHangs", Verdict.TIMED_OUT).containsEntry("bNeverRuns", Verdict.NOT_RUN);
        assertThat(hangOut.resolve("results.json")).exists();
    }

    @Test
    @DisplayName("a student class that makes its own Random zeroes the part that runs it; the rule is named, no test runs")
    void determinismRuleZeroesThePart(@TempDir Path rulesOut) throws IOException {
        GradeOptions options = GradeOptions.parse("--tags", "lab2aa", "--out", rulesOut.toString(), "--heap", "64m",
                "--test-timeout", "5");
        Grader.Report graded = new Grader(options, testClasspath(), "",
                part -> List.of("tinykv/grading/fixtures/randomstudent")).grade();
        assertThat(graded.tests()).as("the lab2aa tests").hasSizeGreaterThan(20).allSatisfy(score -> {
            assertThat(score.verdict()).isEqualTo(Verdict.BREAKS_DETERMINISM_RULE);
            assertThat(score.score()).isZero();
            assertThat(score.runs()).as("runs of %s", score.test().methodName()).isEmpty();
            assertThat(score.output()).contains("no random source of your own",
                    "OwnRandom.electionTimeout(int)> calls constructor <java.util.Random.<init>()> in (OwnRandom.java:",
                    "run `make test` to check the rules alone");
        });
        String json = Files.readString(rulesOut.resolve("results.json"));
        assertThat(json).contains("\"breaks a determinism rule\"", "lab2aa scores 0: a student class it runs breaks");
        assertThat(graded.problem()).contains("lab2aa scores 0", "OwnRandom");
    }

    @Test
    @DisplayName("each seeded test's first seed runs twice: a static counter that leaks into the run is not deterministic")
    void secondRunOfTheFirstSeed(@TempDir Path twiceOut) throws IOException {
        GradeOptions options = GradeOptions.parse("--tags", "fixture-determinism", "--out", twiceOut.toString(),
                "--heap", "64m", "--test-timeout", "10", "--seeds", "2", "--salt", "twice");
        Grader.Report graded = new Grader(options, testClasspath(), "",
                part -> List.of("tinykv/grading/fixtures/student")).grade();
        Map<String, TestScore> scores = graded.tests().stream()
                .collect(Collectors.toMap(s -> s.test().methodName(), Function.identity()));
        assertThat(scores.get("replaysExactly").verdict()).as("output: %s", scores.get("replaysExactly").output())
                .isEqualTo(Verdict.PASSED);
        assertThat(scores.get("replaysExactly").runs()).as("the second run is not a seed of its own").hasSize(2);
        TestScore leaky = scores.get("countsAcrossRuns");
        long seed = options.seedList().get(0);
        assertThat(leaky.verdict()).as("output: %s", leaky.output()).isEqualTo(Verdict.NOT_DETERMINISTIC);
        assertThat(leaky.score()).isZero();
        assertThat(leaky.output()).contains(tinykv.sim.TraceDiff.NOT_DETERMINISTIC + " (seed " + seed + ")",
                "first run:  simulator 1: events=11 fingerprint=", "second run: simulator 1: events=11 fingerprint=",
                "both:   s1 #10 [", "first:  s1 #11 [200 ms] store 1: answer 1", "second: s1 #11 [200 ms] store 1: answer 2",
                "make fixture-determinism TEST=countsAcrossRuns SEED=" + seed + " CHECK_DETERMINISM=1");
        assertThat(Files.readString(twiceOut.resolve("results.json"))).contains("\"not deterministic\"");
        assertThat(twiceOut.resolve("work/traces/fixture-determinism")).isEmptyDirectory();
    }

    @Test
    @DisplayName("every student class's folder is among the packages some lab part checks the rules on, which the kit obeys")
    void labPartsCoverEveryStudentPackage() throws IOException {
        java.util.Set<String> checked = new java.util.TreeSet<>();
        for (tinykv.labs.LabPart part : tinykv.labs.LabPart.values()) {
            checked.addAll(part.studentPackages());
        }
        assertThat(checked).containsAll(StudentFiles.of(Path.of("..").toAbsolutePath().normalize()).packages());
        assertThat(tinykv.labs.LabPart.LAB2AA.studentPackages()).containsExactly("tinykv/raft");
        // On the grade's class path the harness (labs) shares those packages and may use what the rules forbid:
        // only the student's code base is read, and the kit's own obeys the rules.
        RuleVerdicts rules = RuleVerdicts.check(testClasspath(), List.of(tinykv.labs.LabPart.allTags()),
                RuleVerdicts.LAB_PARTS);
        for (String part : tinykv.labs.LabPart.allTags()) {
            assertThat(rules.brokenIn(part)).as("the rules on %s's packages of the kit", part).isEmpty();
        }
    }
}
