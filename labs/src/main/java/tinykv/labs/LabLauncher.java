package tinykv.labs;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.regex.Pattern;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import tinykv.determinism.StudentClassRules;

/**
 * Runs the staged tests of {@code make lab2aa} and friends in this JVM, as Maven Surefire would from
 * {@code mvn -pl labs surefire:test -Dgroups=TAGS}: the same test classes (Surefire's default name patterns,
 * in the order of the class directory) and the same tag expression, with the kit's own console (see
 * {@link LabConsole}). The fast path of the lab targets ({@code tools/loop}) calls it once the
 * classes are up to date.
 *
 * <p>Arguments: {@code TEST_CLASSES_DIR TAG_EXPRESSION REPORTS_DIR [--fail-if-no-tests]}. Returns the exit
 * status: 0 when every test passed, 1 otherwise. Each test class's text report goes to REPORTS_DIR.
 */
public final class LabLauncher {
    /** Surefire's default includes (Test*, *Test, *Tests, *TestCase); nested classes are reached through their outer class. */
    private static final Pattern TEST_CLASS = Pattern.compile("(Test[^$]*|[^$]*Test|[^$]*Tests|[^$]*TestCase)\\.class");

    /**
     * Where the lab loop compiled the student's code ({@code target/loop/skeleton/classes}); set, the rules
     * of {@link tinykv.determinism.DeterminismRules} are checked on the student classes before any test runs.
     */
    public static final String STUDENT_CLASSES = "tinykv.student.classes";

    private LabLauncher() {}

    public static int run(String[] args) {
        if (args.length < 3) {
            throw new IllegalArgumentException(
                    "usage: LabLauncher TEST_CLASSES_DIR TAG_EXPRESSION REPORTS_DIR [--fail-if-no-tests]");
        }
        Path testClasses = Path.of(args[0]);
        String tags = args[1];
        SurefireReportFiles reports = new SurefireReportFiles(Path.of(args[2]));
        boolean failIfNoTests = args.length > 3 && args[3].equals("--fail-if-no-tests");
        // The rules are read on a thread of their own while JUnit discovers the tests, so they add little time.
        FutureTask<List<StudentClassRules.Violation>> rules = new FutureTask<>(() -> determinismViolations(tags));
        Thread checker = new Thread(rules, "determinism-rules");
        checker.setDaemon(true);
        checker.start();
        List<DiscoverySelector> selectors = new ArrayList<>();
        for (String className : testClassNames(testClasses.toFile(), "")) {
            selectors.add(selectClass(className));
        }
        LabConsole console = new LabConsole(System.out, reports);
        // The console counts and summarises itself: the listeners registered for every JVM (LabSummary) stay out.
        LauncherConfig config = LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build();
        Launcher launcher = LauncherFactory.create(config);
        TestPlan plan = launcher.discover(LauncherDiscoveryRequestBuilder.request().selectors(selectors)
                .filters(TagFilter.includeTags(tags)).build());
        List<StudentClassRules.Violation> broken = joined(rules);
        if (!broken.isEmpty()) {
            System.out.print(StudentClassRules.consoleReport(broken));
            System.out.println("\nLab tests: none ran: your code breaks the determinism rules (above).");
            return 1;
        }
        launcher.execute(plan, console);
        if (console.testsRun() == 0) {
            List<String> wanted = TestNameFilter.requestedNames();
            System.out.println(wanted.isEmpty() ? "No test of " + tags + " in this kit."
                    : TestNameHints.explain(wanted, tags, partsByTest(selectors)));
            return failIfNoTests ? 1 : 0;
        }
        if (!tags.equals(SeedRuns.WRAPPER_TAG)) {
            console.printSummary(); // RUNS= prints its own report, per test and seed; the wrapper is not a lab test
        }
        return console.allPassed() ? 0 : 1;
    }

    /**
     * The determinism rules on the student packages that the parts about to run use ({@link
     * LabPart#studentPackages}), as a grade checks them: a class that breaks one makes every seed of those
     * parts untrustworthy, so no test runs. Skipped outside the lab loop (Maven, the IDE), where
     * {@code make test} checks the rules.
     */
    private static List<StudentClassRules.Violation> determinismViolations(String tags) {
        String classes = System.getProperty(STUDENT_CLASSES, "");
        if (classes.isEmpty()) {
            return List.of();
        }
        String parts = tags.equals(SeedRuns.WRAPPER_TAG) ? System.getProperty(SeedRuns.TAGS, "") : tags;
        Set<String> packages = new TreeSet<>();
        LabPart.inTagExpression(parts).forEach(part -> packages.addAll(part.studentPackages()));
        long start = System.nanoTime();
        List<StudentClassRules.Violation> broken = StudentClassRules.checkCached(Path.of(classes), packages,
                Path.of(classes + ".determinism-ok"));
        if (Boolean.getBoolean("tinykv.loop.timing")) {
            System.err.printf("[loop] determinism rules: %d ms%n", (System.nanoTime() - start) / 1_000_000);
        }
        return broken;
    }

    private static List<StudentClassRules.Violation> joined(FutureTask<List<StudentClassRules.Violation>> rules) {
        try {
            return rules.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the determinism rules", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the determinism rules could not be checked: " + e.getCause(), e.getCause());
        }
    }

    /** Every staged test method's name with its lab parts, found without the tag and name filters. */
    private static Map<String, Set<String>> partsByTest(List<DiscoverySelector> selectors) {
        LauncherConfig config = LauncherConfig.builder().enablePostDiscoveryFilterAutoRegistration(false).build();
        TestPlan plan = LauncherFactory.create(config).discover(
                LauncherDiscoveryRequestBuilder.request().selectors(selectors).build());
        Map<String, Set<String>> parts = new TreeMap<>();
        Deque<TestIdentifier> pending = new ArrayDeque<>(plan.getRoots());
        while (!pending.isEmpty()) {
            TestIdentifier id = pending.pop();
            pending.addAll(plan.getChildren(id));
            if (id.getSource().orElse(null) instanceof MethodSource method) {
                id.getTags().stream().map(TestTag::getName).filter(tag -> tag.startsWith("lab"))
                        .forEach(tag -> parts.computeIfAbsent(method.getMethodName(), name -> new TreeSet<>()).add(tag));
            }
        }
        return parts;
    }

    /** Walks the directory in its own listing order, depth first, as Surefire's scanner does. */
    private static List<String> testClassNames(File directory, String packagePrefix) {
        List<String> names = new ArrayList<>();
        String[] entries = directory.list();
        if (entries == null) {
            return names;
        }
        for (String entry : entries) {
            File file = new File(directory, entry);
            if (file.isDirectory()) {
                names.addAll(testClassNames(file, packagePrefix + entry + "."));
            } else if (TEST_CLASS.matcher(entry).matches()) {
                names.add(packagePrefix + entry.substring(0, entry.length() - ".class".length()));
            }
        }
        return names;
    }
}
