package tinykv.labs;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs the staged tests of {@code make lab2aa} and friends in this JVM, as Maven Surefire would from
 * {@code mvn -pl labs surefire:test -Dgroups=TAGS}: the same test classes (Surefire's default name patterns,
 * in the order of the class directory), the same tag expression, and the same console (see
 * {@link SurefireConsole}). The fast path of the lab targets ({@code tools/loop}) calls it once the
 * classes are up to date.
 *
 * <p>Arguments: {@code TEST_CLASSES_DIR TAG_EXPRESSION REPORTS_DIR [--fail-if-no-tests]}. Returns the exit
 * status: 0 when every test passed, 1 otherwise. Each test class's text report goes to REPORTS_DIR.
 */
public final class LabLauncher {
    /** Surefire's default includes (Test*, *Test, *Tests, *TestCase); nested classes are reached through their outer class. */
    private static final Pattern TEST_CLASS = Pattern.compile("(Test[^$]*|[^$]*Test|[^$]*Tests|[^$]*TestCase)\\.class");

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
        List<DiscoverySelector> selectors = new ArrayList<>();
        for (String className : testClassNames(testClasses.toFile(), "")) {
            selectors.add(selectClass(className));
        }
        SurefireConsole console = new SurefireConsole(System.out, reports);
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectors)
                .filters(TagFilter.includeTags(tags)).build(), console);
        console.printResults();
        if (console.testsRun() == 0 && failIfNoTests) {
            System.out.println("[ERROR] No tests were executed!");
            return 1;
        }
        return console.allPassed() ? 0 : 1;
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
