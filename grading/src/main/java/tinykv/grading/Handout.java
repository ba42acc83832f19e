package tinykv.grading;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes the student kit ({@code make handout}): the repository without what only instructors may see,
 * a pom without the reference module, the README without its instructor sections, and the GitHub Classroom
 * workflow (one graded step per lab part, with its points).
 *
 * <p>Usage: {@code Handout REPO KIT_DIR}.
 */
public final class Handout {
    /** Paths (relative to the repository) that never go into the kit. */
    static final List<String> INSTRUCTOR_ONLY = List.of("reference", "labs/src/hidden", "grading/src/test", ".ci");
    private static final Set<String> NEVER_COPIED = Set.of("target", ".git", ".idea", ".vscode", ".DS_Store");

    private Handout() {}

    public static void main(String[] args) throws IOException {
        Path repo = Path.of(args[0]).toAbsolutePath().normalize();
        Path kit = Path.of(args[1]).toAbsolutePath().normalize();
        deleteTree(kit);
        copyTree(repo, kit, true);
        keepLines(kit.resolve("pom.xml"), false);
        keepLines(kit.resolve("README.md"), true);
        Files.write(kit.resolve(Coverage.STUDENT_CLASSES), Coverage.studentClasses(), StandardCharsets.UTF_8);
        List<PlannedTest> tests = new Grader(GradeOptions.defaults().withOut(repo.resolve("target/grade-handout")),
                System.getProperty("java.class.path")).discoverTests();
        Path workflow = kit.resolve(".github/workflows/classroom.yml");
        Files.createDirectories(workflow.getParent());
        Files.writeString(workflow, classroomWorkflow(tests), StandardCharsets.UTF_8);
        System.out.println("Wrote the student kit to " + kit);
    }

    /** Copies a tree without build output; with {@code kitOnly}, also without the instructor-only paths. */
    static void copyTree(Path from, Path to, boolean kitOnly) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path relative = from.relativize(path);
                if (excluded(relative, kitOnly)) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static boolean excluded(Path relative, boolean kitOnly) {
        String unix = relative.toString().replace('\\', '/');
        for (Path part : relative) {
            if (NEVER_COPIED.contains(part.toString())) {
                return true;
            }
        }
        return kitOnly && INSTRUCTOR_ONLY.stream().anyMatch(prefix -> unix.equals(prefix) || unix.startsWith(prefix + "/"));
    }

    /**
     * Drops instructor-only lines: in the pom, each line marked {@code <!-- instructor only -->}; in the
     * README, every block from {@code <!-- instructor -->} to {@code <!-- /instructor -->}, and the README's
     * student-only text, hidden in a {@code <!-- student ... -->} comment, is uncommented.
     */
    private static void keepLines(Path file, boolean blocks) throws IOException {
        List<String> kept = new ArrayList<>();
        boolean inBlock = false;
        boolean inStudentComment = false;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (blocks && line.trim().equals("<!-- student")) {
                inStudentComment = true;
            } else if (inStudentComment && line.trim().equals("-->")) {
                inStudentComment = false;
            } else if (blocks && line.trim().equals("<!-- instructor -->")) {
                inBlock = true;
            } else if (blocks && line.trim().equals("<!-- /instructor -->")) {
                inBlock = false;
            } else if (!inBlock && !line.contains("<!-- instructor only -->")) {
                kept.add(line);
            }
        }
        Files.write(file, kept, StandardCharsets.UTF_8);
    }

    /** GitHub Classroom's autograding convention: one command-grader step per part, then the reporter. */
    static String classroomWorkflow(List<PlannedTest> tests) {
        Map<String, Integer> points = new LinkedHashMap<>();
        for (String part : GradeOptions.defaults().tags()) {
            tests.stream().filter(test -> !test.hidden() && test.part().equals(part))
                    .forEach(test -> points.merge(test.part(), test.points(), Integer::sum));
        }
        StringBuilder y = new StringBuilder();
        y.append("""
                # GitHub Classroom autograding: one graded step per lab part (all its points when every test of
                # the part passes, run by `make grade LAB=<part> REQUIRE_FULL=1`), then the reporter.
                # Written by `make handout`; the points are the sums of the tests' @Points.
                name: Autograding Tests
                on: [push, repository_dispatch, workflow_dispatch]
                permissions:
                  checks: write
                  actions: read
                  contents: read
                jobs:
                  run-autograding-tests:
                    runs-on: ubuntu-latest
                    if: github.actor != 'github-classroom[bot]'
                    steps:
                      - name: Checkout code
                        uses: actions/checkout@v4
                      - name: Set up JDK 17
                        uses: actions/setup-java@v4
                        with:
                          distribution: temurin
                          java-version: '17'
                          cache: maven
                """);
        List<String> ids = new ArrayList<>();
        points.forEach((part, max) -> {
            ids.add(part);
            y.append("      - name: ").append(part).append('\n')
                    .append("        id: ").append(part).append('\n')
                    .append("        uses: classroom-resources/autograding-command-grader@v1\n")
                    .append("        with:\n")
                    .append("          test-name: ").append(part).append('\n')
                    .append("          setup-command: ''\n")
                    .append("          command: make grade LAB=").append(part.substring(3)).append(" REQUIRE_FULL=1\n")
                    .append("          timeout: 30\n")
                    .append("          max-score: ").append(max).append('\n');
        });
        y.append("      - name: Autograding Reporter\n")
                .append("        uses: classroom-resources/autograding-grading-reporter@v1\n")
                .append("        env:\n");
        for (String id : ids) {
            y.append("          ").append(id.toUpperCase()).append("_RESULTS: \"${{steps.").append(id)
                    .append(".outputs.result}}\"\n");
        }
        y.append("        with:\n").append("          runners: ").append(String.join(",", ids)).append('\n');
        return y.toString();
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
