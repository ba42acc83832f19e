package tinykv.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tinykv.Todo;

/**
 * The overlay contract: {@code reference/} holds only solution versions of student classes. Each of its
 * files must have a twin at the same path in {@code skeleton/}, and the two must show the same API (every
 * non-private member, in nested classes too), so that a student's class can take the reference's place
 * and every test compiles against both.
 */
@DisplayName("Overlay contract: reference files are twins of skeleton files")
class OverlayContractTest {

    private static final Path REFERENCE_SOURCES = Path.of(System.getProperty("tinykv.reference.sources", "src/main/java"));
    private static final Path SKELETON_SOURCES = Path.of(System.getProperty("tinykv.skeleton.sources", "../skeleton/src/main/java"));
    private static final Path SKELETON_CLASSES = Path.of(System.getProperty("tinykv.skeleton.classes", "../skeleton/target/classes"));

    @Test
    @DisplayName("every reference file has a skeleton twin with the same non-private API")
    void referenceFilesAreTwinsOfSkeletonFiles() throws IOException, URISyntaxException {
        List<Path> overlayFiles = javaFiles(REFERENCE_SOURCES);
        assertThat(overlayFiles).as("solution files under %s", REFERENCE_SOURCES).isNotEmpty();
        assertThat(SKELETON_CLASSES.resolve("tinykv/Todo.class"))
                .as("the skeleton must be compiled first (mvn builds it before the reference)").exists();

        JavaClasses skeleton = new ClassFileImporter().importPath(SKELETON_CLASSES);
        JavaClasses reference = new ClassFileImporter().importPath(referenceClasses());
        for (Path file : overlayFiles) {
            Path relative = REFERENCE_SOURCES.relativize(file);
            assertThat(SKELETON_SOURCES.resolve(relative))
                    .as("reference/%s needs a twin skeleton/src/main/java/%s: the reference may only replace student classes", relative, relative)
                    .exists();
            String className = relative.toString().replace(".java", "").replace('/', '.');
            assertSameApi(className, ApiSignature.of(skeleton, className), ApiSignature.of(reference, className));
            assertSameProvidedCode(className, skeleton, reference);
        }
    }

    @Test
    @DisplayName("the API comparison notices a changed signature")
    void comparisonNoticesDifferences() {
        JavaClasses fixtures = new ClassFileImporter().importClasses(Fixtures.Student.class, Fixtures.Solution.class);
        SortedSet<String> student = strip(ApiSignature.of(fixtures, Fixtures.Student.class.getName()), "Student");
        SortedSet<String> solution = strip(ApiSignature.of(fixtures, Fixtures.Solution.class.getName()), "Solution");
        assertThat(solution).as("a solution that widens a method and adds a package-private field")
                .isNotEqualTo(student)
                .contains("tinykv.overlay.Fixtures$X field int leaked");
    }

    @Test
    @DisplayName("the provided-code comparison notices a changed body")
    void providedCodeComparisonNoticesDifferences() {
        JavaClasses fixtures = new ClassFileImporter().importClasses(Fixtures.Student.class, Fixtures.Solution.class);
        SortedSet<String> student = strip(ApiSignature.providedBodies(fixtures, Fixtures.Student.class.getName()), "Student");
        SortedSet<String> solution = strip(ApiSignature.providedBodies(fixtures, Fixtures.Solution.class.getName()), "Solution");
        assertThat(student).as("provided methods of the student fixture").anyMatch(line -> line.contains("java.lang.Math.abs(int)"));
        assertThat(solution).as("provided methods of the solution fixture").noneMatch(line -> line.contains("java.lang.Math.abs(int)"));
    }

    /** Methods the skeleton hands out complete (no Todo) must be the same in the reference. */
    private static void assertSameProvidedCode(String className, JavaClasses skeleton, JavaClasses reference) {
        SortedSet<String> provided = ApiSignature.providedBodies(skeleton, className);
        SortedSet<String> inReference = ApiSignature.providedBodies(reference, className);
        SortedSet<String> changed = new TreeSet<>(provided);
        changed.removeAll(inReference);
        assertThat(changed).as("provided (non-TODO) methods of %s that the reference changed; "
                + "provided code must be identical in skeleton and reference", className).isEmpty();
    }

    private static void assertSameApi(String className, SortedSet<String> skeleton, SortedSet<String> reference) {
        SortedSet<String> onlyInReference = new TreeSet<>(reference);
        onlyInReference.removeAll(skeleton);
        SortedSet<String> onlyInSkeleton = new TreeSet<>(skeleton);
        onlyInSkeleton.removeAll(reference);
        assertThat(skeleton).as("non-private API of %s differs between skeleton and reference%n"
                        + "  only in reference (make it private, or add it to the skeleton): %s%n"
                        + "  only in skeleton (the reference must keep it): %s",
                className, onlyInReference, onlyInSkeleton)
                .isEqualTo(reference);
    }

    private static SortedSet<String> strip(SortedSet<String> lines, String name) {
        TreeSet<String> stripped = new TreeSet<>();
        lines.forEach(line -> stripped.add(line.replace(name, "X")));
        return stripped;
    }

    private static List<Path> javaFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(file -> file.toString().endsWith(".java")).sorted().toList();
        }
    }

    private static Path referenceClasses() throws URISyntaxException {
        return Path.of(Todo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
