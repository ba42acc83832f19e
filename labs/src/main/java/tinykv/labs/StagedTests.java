package tinykv.labs;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Finds and runs the staged lab tests in this JVM through the JUnit Platform, by tag. Used by the kit's
 * own checks (and by the grader): the tests themselves stay ordinary JUnit tests.
 */
public final class StagedTests {
    private StagedTests() {}

    /**
     * One test as discovered: where it is, its method name, its tags, and the JUnit unique id that selects
     * it again (a parameterized test is one method, however many cases it has).
     */
    public record Discovered(String className, String methodName, List<String> tags, String uniqueId,
            String displayName) {}

    /** One test as run: what it is and how it ended. */
    public record Outcome(String displayName, TestExecutionResult result) {
        public Optional<Throwable> failure() {
            return result.getThrowable();
        }
    }

    /** Every test method carrying one of the tags, without running anything. */
    public static List<Discovered> discover(String... tags) {
        TestPlan plan = launcher().discover(requestFor(tags));
        List<Discovered> found = new ArrayList<>();
        for (TestIdentifier root : plan.getRoots()) {
            for (TestIdentifier test : plan.getDescendants(root)) {
                if (test.getSource().orElse(null) instanceof MethodSource method) {
                    List<String> testTags = test.getTags().stream().map(tag -> tag.getName()).sorted().toList();
                    found.add(new Discovered(method.getClassName(), method.getMethodName(), testTags,
                            test.getUniqueId(), test.getDisplayName()));
                }
            }
        }
        return found;
    }

    /** Runs every test carrying one of the tags and returns how each test (each leaf) ended. */
    public static List<Outcome> run(String... tags) {
        List<Outcome> outcomes = new ArrayList<>();
        TestExecutionListener collector = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (test.isTest()) {
                    outcomes.add(new Outcome(test.getLegacyReportingName() + " in " + test.getUniqueId(), result));
                }
            }
        };
        launcher().execute(requestFor(tags), collector);
        return outcomes;
    }

    /**
     * A launcher without the listeners registered for the whole JVM (such as {@link LabSummary}): a run
     * nested inside another test must not print closing lines that look like the outer run's result.
     */
    public static Launcher launcher() {
        LauncherConfig withoutGlobalListeners =
                LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build();
        return LauncherFactory.create(withoutGlobalListeners);
    }

    private static LauncherDiscoveryRequest requestFor(String... tags) {
        return request().selectors(selectPackage("tinykv")).filters(TagFilter.includeTags(tags)).build();
    }
}
