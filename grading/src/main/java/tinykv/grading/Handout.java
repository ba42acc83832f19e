package tinykv.grading;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tinykv.labs.LabPart;

/**
 * Writes the student kit ({@code make handout}) from an allow-list: the repository's tracked files
 * ({@code git ls-files}) without what only instructors may see, a pom without the reference module, the
 * README without its instructor sections, the list of student classes ({@link StudentFiles}) and the
 * GitHub Classroom workflow. Nothing untracked (a folder of submissions, build output, notes) can reach the
 * kit. Ends with the leak check ({@link HandoutCheck#leaks}); a leak fails the build and names the file.
 *
 * <p>Usage: {@code Handout REPO KIT_DIR}.
 */
public final class Handout {
    /**
     * Paths (relative to the repository) that never go into the kit: the solution, hidden tests, the grader's
     * tests and instructor tools (the workflow that grades a class in shards among them).
     */
    static final List<String> INSTRUCTOR_ONLY = List.of("reference", "labs/src/hidden", "grading/src/test", ".ci",
            "grading/gradescope", ".github/workflows/grade-class.yml", "grading/src/main/java/tinykv/grading/Handout.java",
            "grading/src/main/java/tinykv/grading/HandoutCheck.java",
            "grading/src/main/java/tinykv/grading/MutationParts.java");
    /** Files the kit has that are not the repository's tracked files: written here. */
    static final List<String> GENERATED = List.of(StudentFiles.LIST, ".github/workflows/classroom.yml");

    private Handout() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        Path repo = Path.of(args[0]).toAbsolutePath().normalize();
        Path kit = Path.of(args[1]).toAbsolutePath().normalize();
        Trees.deleteTree(kit);
        for (String path : kitFiles(repo)) {
            Trees.copyFile(repo.resolve(path), kit.resolve(path));
        }
        keepLines(kit.resolve("pom.xml"), false);
        keepLines(kit.resolve("labs/pom.xml"), true);
        keepLines(kit.resolve("README.md"), true);
        Files.writeString(kit.resolve(StudentFiles.LIST), StudentFiles.of(repo).listText(), StandardCharsets.UTF_8);
        List<PlannedTest> tests = new Grader(GradeOptions.defaults().withOut(repo.resolve("target/grade-handout")),
                System.getProperty("java.class.path")).discoverTests();
        Path workflow = kit.resolve(".github/workflows/classroom.yml");
        Files.createDirectories(workflow.getParent());
        Files.writeString(workflow, classroomWorkflow(tests), StandardCharsets.UTF_8);
        List<String> leaks = HandoutCheck.leaks(kit, repo, kitFiles(repo), false);
        if (!leaks.isEmpty()) {
            leaks.forEach(leak -> System.err.println("handout: " + leak));
            System.err.println("handout: the kit in " + kit + " leaks instructor-only material; fix the above first.");
            System.exit(1);
        }
        System.out.println("Wrote the student kit to " + kit);
    }

    /** The allow-list: the repository's tracked files that belong in the kit, relative, with '/'. */
    static List<String> kitFiles(Path repo) throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "-C", repo.toString(), "ls-files", "-z", "--cached")
                .redirectErrorStream(false).start();
        byte[] listing = git.getInputStream().readAllBytes();
        if (git.waitFor() != 0) {
            throw new IOException("git ls-files failed in " + repo + ": the kit is built from the tracked files, "
                    + "so the repository must be a git clone");
        }
        List<String> files = new ArrayList<>();
        for (String path : new String(listing, StandardCharsets.UTF_8).split("\0")) {
            if (!path.isEmpty() && !instructorOnly(path) && Files.isRegularFile(repo.resolve(path))) {
                files.add(path);
            }
        }
        return files;
    }

    static boolean instructorOnly(String path) {
        return INSTRUCTOR_ONLY.stream().anyMatch(prefix -> path.equals(prefix) || path.startsWith(prefix + "/"));
    }

    /**
     * Drops instructor-only lines: in a pom, each line marked {@code <!-- instructor only -->}; in the
     * README and the labs pom (whose block is the {@code mutation} profile of {@code make mutation}), every block
     * from {@code <!-- instructor -->} to {@code <!-- /instructor -->}, and the README's student-only text,
     * hidden in a {@code <!-- student ... -->} comment, is uncommented.
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

    /**
     * GitHub Classroom's autograding: one step per part, then the reporter. Classroom's command grader gives a
     * step all its points or none, so each step is a plain command that hands the reporter the grade's own
     * result ({@link Reports#classroomJson}), where every test carries its score: the reporter sends Classroom
     * the sum of the tests' scores. The parts are graded on the kit as handed out (the repository's first
     * commit, which Classroom made from the template) with only the student files of the pushed commit laid
     * over it ({@link StudentFiles}).
     */
    static String classroomWorkflow(List<PlannedTest> tests) {
        Map<LabPart, Integer> points = new LinkedHashMap<>();
        for (LabPart part : LabPart.values()) {
            tests.stream().filter(test -> !test.hidden() && test.part().equals(part.tag()))
                    .forEach(test -> points.merge(part, test.points(), Integer::sum));
        }
        StringBuilder y = new StringBuilder();
        y.append("""
                # GitHub Classroom autograding: one graded step per lab part, then the reporter. Each test scores its
                # own points: the step runs `make grade LAB=<part>` and hands the reporter the grade's per-test result
                # (target/grade/%s, the format of Classroom's grader actions, each test with its score),
                # which the reporter adds up for Classroom. A part whose student class breaks a determinism rule scores
                # 0, and so does a seeded test whose two runs of one seed differ, as in every grade.
                # Only the student files are graded: each part runs on the kit as handed out (this repository's
                # first commit) with the pushed student classes, and new files in their packages, laid over it.
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
                        with:
                          path: submission
                          fetch-depth: 0
                      - name: Set up JDK 17
                        uses: actions/setup-java@v4
                        with:
                          distribution: temurin
                          java-version: '17'
                          cache: maven
                          cache-dependency-path: submission/**/pom.xml
                      - name: Lay the student files over the kit as handed out
                        run: |
                          git -C submission worktree add --detach "$GITHUB_WORKSPACE/kit" \\
                            "$(git -C submission rev-list --max-parents=0 HEAD | tail -n 1)"
                          java kit/grading/src/main/java/tinykv/grading/StudentFiles.java overlay submission kit
                """.formatted(Reports.CLASSROOM));
        List<String> ids = new ArrayList<>();
        String result = "kit/target/grade/" + Reports.CLASSROOM;
        points.forEach((part, max) -> {
            ids.add(part.tag());
            // A grade that wrote no result (the build broke before the grader ran) counts as 0 of the part.
            String none = "{\"version\":1,\"status\":\"fail\",\"max_score\":" + max + ",\"tests\":[{\"name\":\""
                    + part.tag() + ": the grade wrote no result (see the step's log)\",\"status\":\"fail\",\"score\":0,"
                    + "\"line_no\":0}]}";
            y.append("      - name: ").append(part.tag()).append(" (").append(max).append(" points)\n")
                    .append("        id: ").append(part.tag()).append('\n')
                    .append("        timeout-minutes: 30\n")
                    .append("        run: |\n")
                    .append("          rm -f ").append(result).append('\n')
                    .append("          make -C kit grade LAB=").append(part.lab()).append(" NOTES=")
                    .append(StudentFiles.REPORT).append(" || true\n")
                    .append("          test -f ").append(result).append(" || echo '").append(none).append("' > ")
                    .append(result).append('\n')
                    .append("          echo \"result=$(base64 -w0 < ").append(result).append(")\" >> \"$GITHUB_OUTPUT\"\n");
        });
        y.append("      - name: Autograding Reporter\n")
                .append("        uses: classroom-resources/autograding-grading-reporter@v1\n")
                .append("        env:\n");
        for (String id : ids) {
            y.append("          ").append(id.toUpperCase(Locale.ROOT)).append("_RESULTS: \"${{steps.").append(id)
                    .append(".outputs.result}}\"\n");
        }
        y.append("        with:\n").append("          runners: ").append(String.join(",", ids)).append('\n');
        return y.toString();
    }
}
