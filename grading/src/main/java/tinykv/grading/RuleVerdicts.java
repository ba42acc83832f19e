package tinykv.grading;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import tinykv.determinism.StudentClassRules;
import tinykv.labs.LabPart;

/**
 * The determinism rules in a grade, before any test runs: the student's classes in the packages each part's
 * tests run ({@link LabPart#studentPackages}) are read from the grade's class path (the submission's compiled
 * student files come first on it) and checked with {@link StudentClassRules}.
 *
 * <p>The policy: a part whose packages hold a class that breaks a rule scores 0, every test of it with the
 * verdict {@link Verdict#BREAKS_DETERMINISM_RULE} and the rule's message, and its tests do not run: none of its
 * seeds could be trusted to replay. A class in {@code tinykv/raft} zeroes every part (every part runs Raft),
 * one in {@code tinykv/kv/raftstore} the cluster parts 2B, 2C, 3B and 3C, one in the scheduler packages 3C.
 */
final class RuleVerdicts {
    /** The packages each part runs: the lab parts' own, or (for the grader's fixtures) what a test gives. */
    static final Function<String, List<String>> LAB_PARTS =
            tag -> LabPart.ofTag(tag).map(LabPart::studentPackages).orElse(List.of());

    private final Map<String, String> reportByPart;

    private RuleVerdicts(Map<String, String> reportByPart) {
        this.reportByPart = reportByPart;
    }

    /** Checks each package the parts run once, and gives each part the violations of its packages. */
    static RuleVerdicts check(String classpath, Collection<String> parts, Function<String, List<String>> packagesOf) {
        List<Path> entries = StudentClassRules.entries(classpath);
        Map<String, List<StudentClassRules.Violation>> byPackage = new LinkedHashMap<>();
        Map<String, String> reportByPart = new LinkedHashMap<>();
        for (String part : parts) {
            List<StudentClassRules.Violation> broken = new ArrayList<>();
            for (String folder : packagesOf.apply(part)) {
                broken.addAll(byPackage.computeIfAbsent(folder,
                        f -> StudentClassRules.check(entries, List.of(f))));
            }
            if (!broken.isEmpty()) {
                reportByPart.put(part, StudentClassRules.gradeReport(broken));
            }
        }
        return new RuleVerdicts(reportByPart);
    }

    /** The report of the rules the part's classes break, if any. */
    Optional<String> brokenIn(String part) {
        return Optional.ofNullable(reportByPart.get(part));
    }

    /** The part graded without running it: every test gets the verdict and the report. */
    static Reports.PartLine zeroed(String part, List<PlannedTest> tests, String report) {
        String output = Verdict.BREAKS_DETERMINISM_RULE.label() + ": a student class of " + part
                + " breaks a determinism rule, so no test of the part ran.\n" + report;
        return new Reports.PartLine(part, tests.stream().map(test -> new TestScore(test, List.of(),
                Verdict.BREAKS_DETERMINISM_RULE, 0, output, 0)).toList(), Duration.ZERO, Optional.empty());
    }

    /** What the top of the report says: each zeroed part and why, once (its tests only point here). */
    String summary() {
        StringBuilder text = new StringBuilder();
        reportByPart.forEach((part, report) -> text.append(part).append(" scores 0: a student class it runs breaks a")
                .append(" determinism rule (no test of it ran).\n").append(report.indent(2)));
        return text.toString();
    }
}
