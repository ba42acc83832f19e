package tinykv.labs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import tinykv.Todo;

/** The console of the lab targets, on a fixture class with TODOs, a wrong value and a pass. */
class LabConsoleTest {
    private static final String FIXTURE_RUN = "tinykv.console.fixture";

    @Test
    @DisplayName("a TODO is shown once with its trace, a failure under its test with its replay line, then one summary")
    void consoleOfAFixtureRun(@TempDir Path reports) {
        String console = run(reports);

        assertThat(count(console, "tinykv.Todo: lab9x: Fixture.first() is not implemented"))
                .as("times the TODO's cause is printed in:%n%s", console).isEqualTo(1);
        assertThat(count(console, "stopped at the same TODO: lab9x: Fixture.first()"))
                .as("tests that say they stopped at the same TODO in:%n%s", console).isEqualTo(2);
        assertThat(console)
                .contains("  [XX] wrongValue  ")
                .contains("[the answer] \n")
                .contains("at tinykv.labs.LabConsoleTest$Fixture.wrongValue(LabConsoleTest.java:")
                .containsPattern("Replay this failure exactly with: make lab9x( IMPL=reference)? TEST=wrongValue SEED=")
                .contains("  [OK] passes  ")
                .contains("Lab tests: 1 passed, 4 failed (6 cases)")
                .contains("3 tests stopped at a TODO; the first one reached is lab9x: Fixture.first() (3 tests)")
                .contains("Failed: wrongValue")
                .doesNotContain("java.lang.reflect")
                .doesNotContain("[INFO]");
        assertThat(reports.resolve("tinykv.labs.LabConsoleTest.txt"))
                .as("the report file of the fixture's class, with the whole traces").exists()
                .content().contains("at java.base/java.lang.reflect.Method.invoke");
    }

    @Test
    @DisplayName("TEST= that names a test of another part says which, and a typo gets the closest names")
    void testNameHints() {
        var parts = java.util.Map.of("proposal2AB", java.util.Set.of("lab2ab"),
                "leaderElection2AA", java.util.Set.of("lab2aa"), "leaderCycle2AA", java.util.Set.of("lab2aa"));

        assertThat(TestNameHints.explain(java.util.List.of("Proposal2AB"), "lab2aa", parts))
                .isEqualTo("No test is named Proposal2AB in lab2aa: proposal2AB is a test of lab2ab."
                        + " Run: make lab2ab TEST=proposal2AB");
        assertThat(TestNameHints.explain(java.util.List.of("leaderElecton2AA"), "lab2aa", parts))
                .isEqualTo("No test is named leaderElecton2AA (TEST=leaderElecton2AA)."
                        + " Did you mean leaderElection2AA (lab2aa)?");
        assertThat(TestNameHints.explain(java.util.List.of("snapshot3C"), "lab2aa", parts))
                .isEqualTo("No test is named snapshot3C (TEST=snapshot3C).");
    }

    private static String run(Path reports) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        LabConsole console = new LabConsole(out, new SurefireReportFiles(reports));
        LauncherConfig config = LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build();
        LauncherFactory.create(config).execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(Fixture.class)).configurationParameter(FIXTURE_RUN, "true").build(), console);
        console.printSummary();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }

    /** Runs only from {@link #run}: in every other run (make test, an IDE) the fixture is skipped. */
    static final class OnlyInFixtureRun implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(FIXTURE_RUN).isPresent()
                    ? ConditionEvaluationResult.enabled("run by LabConsoleTest")
                    : ConditionEvaluationResult.disabled("a fixture of LabConsoleTest");
        }
    }

    @Tag("lab9x")
    @ExtendWith(OnlyInFixtureRun.class)
    static class Fixture {
        @Test
        void firstTodo() {
            throw new Todo("lab9x", "Fixture.first()");
        }

        @Test
        void secondTodo() {
            throw new Todo("lab9x", "Fixture.first()");
        }

        @ParameterizedTest
        @ValueSource(ints = {1, 2})
        void cases(int i) {
            throw new Todo("lab9x", "Fixture.first()");
        }

        @Test
        void wrongValue() {
            assertThat(1).as("the answer").isEqualTo(2);
        }

        @Test
        void passes() {
        }
    }
}
