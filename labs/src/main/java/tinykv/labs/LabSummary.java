package tinykv.labs;

import java.util.Map;
import java.util.TreeMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints one closing line per run that counts tests the way TinyKV does: one per test method, however
 * many named cases a parameterized test has (a method passes only if all its cases pass). For example
 * {@code Lab tests: 52 passed, 0 failed (150 cases)}. Warns when {@code TEST=...} matched nothing.
 *
 * <p>Registered with the JUnit Platform through {@code META-INF/services}.
 */
public final class LabSummary implements TestExecutionListener {
    private final Map<String, Boolean> passedByMethod = new TreeMap<>();
    private int cases;

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (test.isTest() && test.getSource().orElse(null) instanceof MethodSource method) {
            cases++;
            boolean passed = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL;
            passedByMethod.merge(method.getClassName() + "#" + method.getMethodName(), passed, Boolean::logicalAnd);
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        String filter = System.getProperty(TestNameFilter.PROPERTY, "").trim();
        if (passedByMethod.isEmpty() && !filter.isEmpty()) {
            System.out.println("No test is named " + filter + " in the selected lab part (TEST=" + filter + ").");
            return;
        }
        if (passedByMethod.isEmpty()) {
            return;
        }
        long passed = passedByMethod.values().stream().filter(Boolean::booleanValue).count();
        long failed = passedByMethod.size() - passed;
        System.out.printf("Lab tests: %d passed, %d failed (%d cases)%n", passed, failed, cases);
    }
}
