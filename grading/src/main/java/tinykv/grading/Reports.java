package tinykv.grading;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tinykv.labs.LabPart;

/** Writes every output of one grading run: the console table, results.json and JUnit XML. */
final class Reports {
    private Reports() {}

    /** One row of the console table. */
    record PartLine(String part, List<TestScore> tests, Duration time, Optional<String> coverage) {}

    static void write(GradeOptions options, Grader.Report report, List<PartLine> parts) throws IOException {
        Files.createDirectories(options.out());
        String table = table(options, report, parts);
        System.out.print(table);
        Files.writeString(options.out().resolve("results.json"), resultsJson(options, report, table),
                StandardCharsets.UTF_8);
        Files.writeString(options.out().resolve(CLASSROOM), classroomJson(report), StandardCharsets.UTF_8);
        Path junit = options.out().resolve("junit");
        Files.createDirectories(junit);
        for (PartLine part : parts) {
            Files.writeString(junit.resolve("TEST-" + part.part() + ".xml"), junitXml(part), StandardCharsets.UTF_8);
        }
    }

    /**
     * The console table, also the report's visible text. It counts the visible tests only: the hidden ones
     * show in their own entries after the due date. The instructor's own run adds a line for them.
     */
    static String table(GradeOptions options, Grader.Report report, List<PartLine> parts) {
        StringBuilder t = new StringBuilder();
        t.append(String.format("%nGrade of %s%s%n", options.impl().equals("reference") ? "the reference" : "your code",
                options.labs().isEmpty() ? "" : ", " + options.labs().stream().map(LabPart::tag)
                        .collect(java.util.stream.Collectors.joining(", "))));
        t.append(String.format("%-8s %-14s %-10s %8s%n", "part", "tests passed", "points", "time"));
        for (PartLine part : parts) {
            List<TestScore> visible = visible(part.tests());
            t.append(String.format("%-8s %-14s %-10s %7ds%n", part.part(), passed(visible) + "/" + visible.size(),
                    points(visible) + "/" + maxPoints(visible), part.time().toSeconds()));
        }
        List<TestScore> visible = visible(report.tests());
        t.append(String.format("%-8s %-14s %-10s %7ds%n", "total", passed(visible) + "/" + visible.size(),
                points(visible) + "/" + maxPoints(visible), report.seconds()));
        List<TestScore> hidden = report.tests().stream().filter(s -> s.test().hidden()).toList();
        if (!hidden.isEmpty() && !options.forStudents()) {
            t.append(String.format("With the %d hidden test(s) (%d/%d): %d/%d in all.%n", hidden.size(),
                    points(hidden), maxPoints(hidden), report.score(), report.maxScore()));
        }
        for (PartLine part : parts) {
            part.coverage().ifPresent(line -> t.append(part.part()).append(": ").append(line).append('\n'));
        }
        if (parts.stream().anyMatch(p -> p.tests().stream().anyMatch(s -> s.test().seeded()))) {
            t.append("Seeded (simulated cluster) tests ran over seeds ").append(options.seedList())
                    .append(" (SEEDS=").append(options.seeds()).append(", SALT=").append(options.salt()).append(").\n");
        }
        Map<Verdict, Long> notPassed = new LinkedHashMap<>();
        (options.forStudents() ? visible : report.tests()).stream().filter(s -> s.verdict() != Verdict.PASSED)
                .forEach(s -> notPassed.merge(s.verdict(), 1L, Long::sum));
        if (!notPassed.isEmpty()) {
            t.append("Not passed: ");
            List<String> counts = new ArrayList<>();
            notPassed.forEach((verdict, n) -> counts.add(n + " " + verdict.label()));
            t.append(String.join(", ", counts)).append(". Details: ")
                    .append(options.out().resolve("results.json")).append('\n');
        }
        failing(options.forStudents() ? visible : report.tests(), options.impl(), t);
        if (!report.problem().isEmpty()) {
            t.append(report.problem()).append('\n');
        }
        return t.toString();
    }

    /** At most this many failing tests are named in the table; results.json has them all. */
    private static final int FAILING_NAMED = 15;

    /** Each failing test on a line, with the command that replays its first failing run (none for a hidden one). */
    private static void failing(List<TestScore> tests, String impl, StringBuilder t) {
        // Tests that ran and failed: a submission that does not compile, or a part not reached, says so above.
        List<TestScore> failed = tests.stream().filter(s -> s.verdict() != Verdict.PASSED && !s.runs().isEmpty())
                .toList();
        for (TestScore score : failed.subList(0, Math.min(FAILING_NAMED, failed.size()))) {
            String replay = score.test().hidden() ? "(a hidden test)"
                    : score.verdict() == Verdict.NOT_DETERMINISTIC
                    ? SameSeedTwice.replay(score.test(), impl, score.runs().get(0))
                    : score.runs().stream().filter(run -> !run.passed()).findFirst()
                            .map(run -> TestScore.replay(score.test(), impl, run)).orElse("");
            t.append(String.format("  %-7s %s: %s   %s%n", score.test().part(), score.test().methodName(),
                    score.verdict().label(), replay));
        }
        if (failed.size() > FAILING_NAMED) {
            t.append(String.format("  ... and %d more (all are in results.json)%n", failed.size() - FAILING_NAMED));
        }
    }

    private static List<TestScore> visible(List<TestScore> tests) {
        return tests.stream().filter(s -> !s.test().hidden()).toList();
    }

    private static long passed(List<TestScore> tests) {
        return tests.stream().filter(t -> t.verdict() == Verdict.PASSED).count();
    }

    private static int points(List<TestScore> tests) {
        return tests.stream().mapToInt(TestScore::score).sum();
    }

    private static int maxPoints(List<TestScore> tests) {
        return tests.stream().mapToInt(t -> t.test().points()).sum();
    }

    static String resultsJson(GradeOptions options, Grader.Report report, String table) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("score", report.score());
        root.put("execution_time", report.seconds());
        root.put("output", table.strip());
        root.put("visibility", "visible");
        root.put("stdout_visibility", "hidden");
        List<Object> tests = new ArrayList<>();
        Map<String, Integer> numberInPart = new LinkedHashMap<>();
        for (TestScore score : report.tests()) {
            PlannedTest test = score.test();
            int n = numberInPart.merge(test.part(), 1, Integer::sum);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", test.part() + ": " + test.shortName()
                    + (test.displayName().equals(test.methodName() + "()") || test.displayName().startsWith(test.methodName() + "(")
                    ? "" : " (" + test.displayName() + ")"));
            entry.put("number", LabPart.ofTag(test.part()).map(LabPart::suffix).orElse(test.part()) + "." + n);
            entry.put("score", score.score());
            entry.put("max_score", test.points());
            entry.put("status", score.verdict() == Verdict.PASSED ? "passed" : "failed");
            entry.put("output", score.output());
            entry.put("visibility", test.hidden() ? "after_due_date" : "visible");
            entry.put("tags", List.of(test.part(), score.verdict().label()));
            tests.add(entry);
        }
        root.put("tests", tests);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("impl", options.impl());
        extra.put("max_score", report.maxScore());
        extra.put("seeds", options.seedList());
        extra.put("salt", options.salt());
        root.put("extra_data", extra);
        return Json.write(root);
    }

    /** The grade as a GitHub Classroom autograding step reports it (the Classroom workflow reads it). */
    static final String CLASSROOM = "classroom-result.json";

    /**
     * The result a GitHub Classroom grader step outputs for the reporter (classroom-resources'
     * autograding-grading-reporter): version 1, a status, the maximum, and each visible test with its own score,
     * which the reporter adds up into the points it sends to Classroom. Hidden tests are not in the student kit
     * and are left out.
     */
    static String classroomJson(Grader.Report report) {
        List<TestScore> visible = visible(report.tests());
        List<Object> tests = new ArrayList<>();
        for (TestScore score : visible) {
            Map<String, Object> test = new LinkedHashMap<>();
            test.put("name", score.test().part() + ": " + score.test().shortName());
            test.put("status", score.verdict() == Verdict.PASSED ? "pass" : "fail");
            test.put("score", score.score());
            test.put("message", score.output().lines().limit(12).collect(java.util.stream.Collectors.joining("\n")));
            test.put("line_no", 0);
            test.put("duration", score.millis());
            tests.add(test);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", 1);
        root.put("status", passed(visible) == visible.size() && !visible.isEmpty() ? "pass" : "fail");
        root.put("max_score", maxPoints(visible));
        root.put("tests", tests);
        return Json.write(root);
    }

    static String junitXml(PartLine part) {
        long failures = part.tests().size() - passed(part.tests());
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.append(String.format(Locale.ROOT, "<testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"0\" time=\"%.3f\">%n",
                xml(part.part()), part.tests().size(), failures, part.time().toMillis() / 1000.0));
        for (TestScore score : part.tests()) {
            x.append(String.format(Locale.ROOT, "  <testcase classname=\"%s\" name=\"%s\" time=\"%.3f\"",
                    xml(score.test().className()), xml(score.test().methodName()), score.millis() / 1000.0));
            if (score.verdict() == Verdict.PASSED) {
                x.append("/>\n");
            } else {
                String first = score.output().lines().findFirst().orElse(score.verdict().label());
                x.append(">\n    <failure type=\"").append(xml(score.verdict().label())).append("\" message=\"")
                        .append(xml(first)).append("\">").append(xml(score.output())).append("</failure>\n")
                        .append("  </testcase>\n");
            }
        }
        return x.append("</testsuite>\n").toString();
    }

    private static String xml(String text) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '&' -> s.append("&amp;");
                case '"' -> s.append("&quot;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
                        s.append('?');
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        return s.toString();
    }
}
