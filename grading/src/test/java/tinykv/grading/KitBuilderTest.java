package tinykv.grading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinykv.labs.LabPart;

/** The kit builder's allow-list and leak check, the grade's options, and the tidy compiler report. */
@Tag("kit")
@DisplayName("Kit: the student kit holds only kit files; options and reports say what is wrong")
class KitBuilderTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @Test
    @DisplayName("the kit is built from the tracked files, without the instructor-only ones")
    void allowList() throws IOException, InterruptedException {
        List<String> files = Handout.kitFiles(REPO);
        assertThat(files).contains("Makefile", "README.md", StudentFiles.SOURCES + "/tinykv/raft/Raft.java",
                "grading/src/main/java/tinykv/grading/StudentFiles.java");
        assertThat(files).noneMatch(path -> path.startsWith("reference/") || path.startsWith("labs/src/hidden/")
                || path.startsWith("grading/src/test/") || path.startsWith("grading/gradescope/")
                || path.startsWith("grading/src/main/java/tinykv/grading/Handout"));
    }

    @Test
    @DisplayName("the leak check names a stray submission file, an instructor-only file and a reference body")
    void leakCheckNamesTheFile(@TempDir Path kit) throws IOException {
        StudentFilesTest.write(kit, "Makefile", "all:\n");
        StudentFilesTest.write(kit, "submissions/alice/Raft.java", "class Raft {}\n");
        StudentFilesTest.write(kit, "reference/pom.xml", "<project/>\n");
        String body = HandoutCheck.methodBodies(Files.readString(REPO.resolve("reference/src/main/java/tinykv/raft/Raft.java")))
                .stream().filter(b -> b.length() > 200).findFirst().orElseThrow();
        StudentFilesTest.write(kit, "notes/solution.txt", "{" + body + "}\n");
        List<String> leaks = HandoutCheck.leaks(kit, REPO, List.of("Makefile", "notes/solution.txt"), false);
        assertThat(leaks).anyMatch(p -> p.startsWith("submissions/alice/Raft.java: not one of the repository's tracked"))
                .anyMatch(p -> p.startsWith("reference/pom.xml: instructor-only"))
                .anyMatch(p -> p.startsWith("notes/solution.txt: holds a method body of reference/tinykv/raft/Raft.java"))
                .noneMatch(p -> p.startsWith("Makefile"));
    }

    @Test
    @DisplayName("the Gradescope folder may hold the hidden tests and its scripts, nothing else")
    void gradescopeFolder(@TempDir Path zip) throws IOException {
        StudentFilesTest.write(zip, "labs/src/hidden/java/tinykv/raft/RaftHidden2AATest.java", "class X {}\n");
        StudentFilesTest.write(zip, "autograder.env", "SALT=x\n");
        StudentFilesTest.write(zip, "stray.txt", "x\n");
        assertThat(HandoutCheck.leaks(zip, REPO, List.of(), true)).singleElement().asString().startsWith("stray.txt:");
    }

    @Test
    @DisplayName("the Classroom workflow grades each part, test by test, on the first commit with the pushed student files laid over it")
    void classroomWorkflow() {
        PlannedTest test = new PlannedTest("lab2aa", "id", "tinykv.raft.Raft2AATest", "leaderCycle2AA", "x", 3, false,
                false);
        PlannedTest hidden = new PlannedTest("lab2aa", "id2", "tinykv.raft.RaftHidden2AATest", "h", "h", 5, false, true);
        String workflow = Handout.classroomWorkflow(List.of(test, hidden));
        assertThat(workflow).contains("fetch-depth: 0", "rev-list --max-parents=0 HEAD",
                "java kit/grading/src/main/java/tinykv/grading/StudentFiles.java overlay submission kit",
                "make -C kit grade LAB=2aa NOTES=" + StudentFiles.REPORT + " || true",
                "name: lab2aa (3 points)", "echo \"result=$(base64 -w0 < kit/target/grade/" + Reports.CLASSROOM + ")\"",
                "\"max_score\":3", "LAB2AA_RESULTS: \"${{steps.lab2aa.outputs.result}}\"", "runners: lab2aa")
                .as("per-test scores, not the command grader's all or nothing")
                .doesNotContain("REQUIRE_FULL", "autograding-command-grader");
    }

    @Test
    @DisplayName("LAB= names one part or a whole lab; a wrong one lists the choices")
    void labSelection() {
        assertThat(GradeOptions.parse("--lab", "2a").labs()).containsExactly(LabPart.LAB2AA, LabPart.LAB2AB,
                LabPart.LAB2AC);
        assertThat(GradeOptions.parse("--lab", "lab2B").labs()).containsExactly(LabPart.LAB2B);
        assertThat(GradeOptions.parse("--lab", "").labs()).isEmpty();
        assertThatThrownBy(() -> GradeOptions.parse("--lab", "9z")).hasMessageContaining("was '9z'")
                .hasMessageContaining("2aa");
    }

    @Test
    @DisplayName("limits are settable, an empty value keeps the default, a bad one is named")
    void limits() {
        GradeOptions o = GradeOptions.parse("--heap", "600m", "--test-timeout", "30", "--part-timeout", "",
                "--budget", "2100");
        assertThat(o.heap()).isEqualTo("600m");
        assertThat(o.testTimeout()).hasSeconds(30);
        assertThat(o.partTimeout()).isEqualTo(GradeOptions.defaults().partTimeout());
        assertThat(o.budget()).hasSeconds(2100);
        assertThatThrownBy(() -> GradeOptions.parse("--heap", "lots")).hasMessageContaining("--heap")
                .hasMessageContaining("'lots'");
        assertThatThrownBy(() -> GradeOptions.parse("--budget", "-1")).hasMessageContaining("--budget");
    }

    @Test
    @DisplayName("compiler errors are shown without colour codes, repeated lines or the grading copy's path")
    void compileErrorsTidy() {
        Path base = Path.of("/tmp/tinykv-grading-123");
        String log = "\u001B[1;31m/tmp/tinykv-grading-123/skeleton/src/main/java/tinykv/raft/Raft.java:3: error: ';' expected\u001B[m\n"
                + "/tmp/tinykv-grading-123/skeleton/src/main/java/tinykv/raft/Raft.java:3: error: ';' expected\n1 error\n";
        assertThat(BatchGrader.CompileErrors.summary(log, base))
                .isEqualTo("skeleton/src/main/java/tinykv/raft/Raft.java:3: error: ';' expected\n1 error\n");
    }
}
