package tinykv.determinism;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tinykv.Todo;

/**
 * Checks the determinism contract on the classes this module compiled: the skeleton's, or (when run by
 * the reference module) the reference build's. The rules themselves are proven to bite on a fixture
 * that breaks each of them.
 */
@DisplayName("Determinism contract")
class DeterminismTest {

    @Test
    @DisplayName("main classes use no threads, sleeps, wall clock or own randomness")
    void mainClassesFollowTheContract() throws URISyntaxException {
        JavaClasses mainClasses = new ClassFileImporter().importPath(mainClassesLocation());
        assertThat(mainClasses).as("classes found under %s", mainClassesLocation()).isNotEmpty();
        for (ArchRule rule : DeterminismRules.ALL) {
            rule.check(mainClasses);
        }
    }

    @Test
    @DisplayName("each rule rejects code that breaks it")
    void rulesCatchViolations() {
        JavaClasses fixtures = new ClassFileImporter().importClasses(
                Violations.StartsThread.class, Violations.Waits.class,
                Violations.ReadsClock.class, Violations.MakesRandom.class);
        for (ArchRule rule : DeterminismRules.ALL) {
            assertThatThrownBy(() -> rule.check(fixtures))
                    .as("rule '%s' must reject the violation fixtures", rule.getDescription())
                    .isInstanceOf(AssertionError.class);
        }
    }

    /** Where the classes of this module were compiled to (target/classes), found from a class they hold. */
    private static Path mainClassesLocation() throws URISyntaxException {
        return Path.of(Todo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
