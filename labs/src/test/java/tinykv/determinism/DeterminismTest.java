package tinykv.determinism;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinykv.Todo;

/**
 * Checks the determinism contract on every main class of the implementation under test: the skeleton's
 * ({@code make test} in the kit, and {@code -Dgroups=kit}) or the reference build's ({@code -Dimpl=reference}).
 * The rules themselves are proven to bite on a fixture that breaks each of them, and the check the lab runs
 * and the grader make on the student's classes ({@link StudentClassRules}) is proven to report it.
 */
@Tag("kit")
@DisplayName("Determinism contract")
class DeterminismTest {

    @Test
    @DisplayName("main classes use no threads, sleeps, wall clock or own randomness")
    void mainClassesFollowTheContract() throws URISyntaxException, java.net.MalformedURLException {
        JavaClasses mainClasses = new ClassFileImporter().importUrl(mainClassesLocation().toUri().toURL());
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

    @Test
    @DisplayName("the check of the student's classes names the class, the method, the line and the rule")
    void studentClassCheckNamesThePlace(@TempDir Path dir) throws Exception {
        Path classes = dir.resolve("classes");
        Path harness = dir.resolve("harness");
        for (Path root : List.of(classes, harness)) {
            Files.createDirectories(root.resolve("tinykv/determinism"));
            for (Path file : violationClassFiles()) {
                Files.copy(file, root.resolve("tinykv/determinism").resolve(file.getFileName()));
            }
        }
        Files.createDirectories(harness.resolve("tinykv/labs"));
        List<StudentClassRules.Violation> found = StudentClassRules.check(List.of(classes),
                List.of("tinykv/determinism"));
        assertThat(found).extracting(StudentClassRules.Violation::rule)
                .as("one violation per rule broken by the fixtures").hasSize(DeterminismRules.ALL.size());
        String report = StudentClassRules.consoleReport(found);
        assertThat(report).contains("Violations$MakesRandom.run()", "java.util.Random", "(Violations.java:",
                "[XX] no random source of your own", StudentClassRules.CHECK_ALONE);
        assertThat(StudentClassRules.check(List.of(classes), List.of("tinykv/nothing/here"))).isEmpty();
        assertThat(StudentClassRules.check(List.of(harness), List.of("tinykv/determinism")))
                .as("the harness's entries (they hold tinykv/labs) are not student code").isEmpty();
    }

    /** The compiled fixtures that break the rules. */
    private static List<Path> violationClassFiles() throws URISyntaxException, java.io.IOException {
        Path testClasses = Path.of(Violations.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> files = Files.list(testClasses.resolve("tinykv/determinism"))) {
            return files.filter(f -> f.getFileName().toString().startsWith("Violations")).toList();
        }
    }

    @Test
    @DisplayName("the check reads a jar on the class path too (a grade's kit build), only the package's own classes")
    void studentClassCheckReadsJars(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("student.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (Path file : violationClassFiles()) {
                out.putNextEntry(new JarEntry("tinykv/determinism/" + file.getFileName()));
                out.write(Files.readAllBytes(file));
                out.closeEntry();
            }
        }
        assertThat(StudentClassRules.check(List.of(dir.resolve("absent"), jar), List.of("tinykv/determinism")))
                .hasSize(DeterminismRules.ALL.size());
        assertThat(StudentClassRules.check(List.of(jar), List.of("tinykv"))).as("sub-packages are not read").isEmpty();
    }

    /** Where the classes of this module were compiled to (target/classes), found from a class they hold. */
    private static Path mainClassesLocation() throws URISyntaxException {
        return Path.of(Todo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
