package tinykv.labs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.platform.engine.TestExecutionResult.Status;
import tinykv.Todo;

/**
 * On the untouched skeleton, every staged test must fail, and fail by reaching a TODO: a test that
 * passes on the skeleton checks nothing a student writes, and a test that fails some other way (or
 * hangs) would send a student looking in the wrong place.
 */
@Tag("kit")
@DisplayName("Kit: every staged test fails on the untouched skeleton with a TODO message")
@EnabledIfSystemProperty(named = "tinykv.impl", matches = "skeleton")
class SkeletonTodoTest {

    @Test
    @DisplayName("each staged test fails with a Todo naming its lab part and method")
    void everyStagedTestReachesATodo() {
        List<StagedTests.Outcome> outcomes = StagedTests.run(LabPart.allTags());

        assertThat(outcomes).as("staged tests run on the skeleton").hasSizeGreaterThanOrEqualTo(241);
        for (StagedTests.Outcome outcome : outcomes) {
            assertThat(outcome.result().getStatus()).as("%s on the untouched skeleton", outcome.displayName())
                    .isEqualTo(Status.FAILED);
            assertThat(todoIn(outcome.failure().orElseThrow()))
                    .as("%s must fail by reaching a TODO (tinykv.Todo), but failed with: %s",
                            outcome.displayName(), outcome.failure().orElseThrow())
                    .isNotNull();
        }
    }

    private static Todo todoIn(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof Todo todo) {
                return todo;
            }
        }
        return null;
    }
}
