package tinykv.grading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile submissions of batch grading, the Gradescope autograder and the Classroom workflow, on a small
 * kit: each is built as the pristine kit with only the student's files laid over it, and every other file
 * it changed, added or deleted is named. The end-to-end grade of the same submissions runs in
 * {@code make batch-check}.
 */
@Tag("kit")
@DisplayName("Kit: only the student files of a submission are graded, and every other change is named")
class StudentFilesTest {
    private static final String SRC = StudentFiles.SOURCES + "/";
    private static final String RAFT = SRC + "tinykv/raft/Raft.java";
    private static final String TODO = SRC + "tinykv/Todo.java";
    private static final String STAGED_TEST = "labs/src/test/java/tinykv/raft/Raft2AATest.java";

    @TempDir
    Path dir;
    Path kit;
    Path work;
    Path submission;
    StudentFiles owned;

    @BeforeEach
    void aKitAndACopyOfIt() throws IOException {
        kit = dir.resolve("kit");
        write(kit, RAFT, "package tinykv.raft;\nclass Raft { void tick() { throw new tinykv.Todo(); } }\n");
        write(kit, SRC + "tinykv/raft/Progress.java", "package tinykv.raft;\nclass Progress {}\n");
        write(kit, TODO, "package tinykv;\npublic class Todo extends RuntimeException {}\n");
        write(kit, SRC + "tinykv/kv/engine/Engines.java", "package tinykv.kv.engine;\nclass Engines {}\n");
        write(kit, STAGED_TEST, "package tinykv.raft;\nclass Raft2AATest { /* checks */ }\n");
        write(kit, "pom.xml", "<project/>\n");
        write(kit, StudentFiles.LIST, "# comment\ntinykv/raft/Raft.java\n");
        owned = StudentFiles.of(kit);
        work = dir.resolve("work");
        Trees.copyTree(kit, work);
        submission = dir.resolve("submission");
        Trees.copyTree(kit, submission);
    }

    @Test
    @DisplayName("the list of student classes comes from reference/ in the instructor's repository")
    void studentClassesOfTheRepository() throws IOException {
        StudentFiles repo = StudentFiles.of(Path.of("..").toAbsolutePath().normalize());
        assertThat(repo.classes()).contains("tinykv/raft/Raft.java", "tinykv/kv/raftstore/PeerMsgHandler.java")
                .doesNotContain("tinykv/Todo.java");
        assertThat(repo.packages()).contains("tinykv/raft", "tinykv/scheduler/schedulers");
        assertThat(StudentFiles.of(kit).classes()).containsExactly("tinykv/raft/Raft.java");
    }

    @Test
    @DisplayName("the student's class is graded")
    void studentClassGraded() throws IOException {
        write(submission, RAFT, "package tinykv.raft;\nclass Raft { void tick() {} }\n");
        StudentFiles.Overlay overlay = owned.overlay(submission, kit, work);
        assertThat(read(work, RAFT)).contains("void tick() {}");
        assertThat(overlay.graded()).containsExactly(RAFT);
        assertThat(overlay.ignored()).isEmpty();
        assertThat(overlay.notes()).isEmpty();
    }

    @Test
    @DisplayName("an edited provided class (Todo no longer throws) is ignored and named")
    void editedProvidedClass() throws IOException {
        write(submission, TODO, "package tinykv;\npublic class Todo { /* never throws */ }\n");
        StudentFiles.Overlay overlay = owned.overlay(submission, kit, work);
        assertThat(read(work, TODO)).isEqualTo(read(kit, TODO));
        assertThat(overlay.ignored()).containsExactly("changed: " + TODO);
        assertThat(overlay.notes()).contains("Only the student files are graded", "changed: " + TODO);
    }

    @Test
    @DisplayName("a replaced staged test is ignored and named")
    void replacedStagedTest() throws IOException {
        write(submission, STAGED_TEST, "package tinykv.raft;\nclass Raft2AATest { /* always passes */ }\n");
        StudentFiles.Overlay overlay = owned.overlay(submission, kit, work);
        assertThat(read(work, STAGED_TEST)).contains("checks");
        assertThat(overlay.ignored()).containsExactly("changed: " + STAGED_TEST);
    }

    @Test
    @DisplayName("a class added in a provided package, shadowing a framework class, is ignored and named")
    void shadowingClassInProvidedPackage() throws IOException {
        String shadow = SRC + "tinykv/cluster/Cluster.java";
        write(submission, shadow, "package tinykv.cluster;\npublic class Cluster {}\n");
        StudentFiles.Overlay overlay = owned.overlay(submission, kit, work);
        assertThat(work.resolve(shadow)).doesNotExist();
        assertThat(overlay.ignored()).singleElement().asString().startsWith("added: " + shadow)
                .contains("not a Java file in a student package");
    }

    @Test
    @DisplayName("a helper class the student adds in a student package is graded")
    void helperInStudentPackageGraded() throws IOException {
        String helper = SRC + "tinykv/raft/VoteCounter.java";
        write(submission, helper, "package tinykv.raft;\nclass VoteCounter {}\n");
        StudentFiles.Overlay overlay = owned.overlay(submission, kit, work);
        assertThat(work.resolve(helper)).exists();
        assertThat(overlay.graded()).contains(helper);
        assertThat(overlay.ignored()).isEmpty();
    }

    @Test
    @DisplayName("a file in a student package whose package line names another package is ignored")
    void helperWithForeignPackageIgnored() throws IOException {
        String sneaky = SRC + "tinykv/raft/Engines.java";
        write(submission, sneaky, "package tinykv.kv.engine;\npublic class Engines {}\n");
        StudentFiles.Overlay overlay = owned.overlay(submission, kit, work);
        assertThat(work.resolve(sneaky)).doesNotExist();
        assertThat(overlay.ignored()).singleElement().asString().contains("package line says 'tinykv.kv.engine'");
    }

    @Test
    @DisplayName("deleted provided files and a missing student class are named; the kit's files are used")
    void deletions() throws IOException {
        Files.delete(submission.resolve(RAFT));
        Files.delete(submission.resolve("pom.xml"));
        StudentFiles.Overlay overlay = owned.overlay(submission, kit, work);
        assertThat(overlay.ignored()).containsExactlyInAnyOrder("deleted: pom.xml",
                "missing: " + RAFT + " (graded with the kit's stub)");
        assertThat(read(work, RAFT)).isEqualTo(read(kit, RAFT));
    }

    @Test
    @DisplayName("one copy serves submission after submission: the last one's files are reset")
    void copyResetBetweenSubmissions() throws IOException {
        String helper = SRC + "tinykv/raft/VoteCounter.java";
        write(submission, helper, "package tinykv.raft;\nclass VoteCounter {}\n");
        write(submission, RAFT, "package tinykv.raft;\nclass Raft { /* first */ }\n");
        owned.overlay(submission, kit, work);
        Path second = dir.resolve("second");
        Trees.copyTree(kit, second);
        owned.overlay(second, kit, work);
        assertThat(work.resolve(helper)).doesNotExist();
        assertThat(read(work, RAFT)).isEqualTo(read(kit, RAFT));
    }

    @Test
    @DisplayName("loose files (the usual Gradescope upload) are placed by their names and package lines")
    void looseFilesPlaced() throws IOException {
        Path loose = dir.resolve("loose");
        write(loose, "Raft.java", "package tinykv.raft;\nclass Raft { /* mine */ }\n");
        write(loose, "VoteCounter.java", "package tinykv.raft;\nclass VoteCounter {}\n");
        write(loose, "Todo.java", "package tinykv;\npublic class Todo {}\n");
        write(loose, "notes.txt", "hello\n");
        StudentFiles.Overlay overlay = owned.overlay(loose, kit, work);
        assertThat(read(work, RAFT)).contains("mine");
        assertThat(work.resolve(SRC + "tinykv/raft/VoteCounter.java")).exists();
        assertThat(read(work, TODO)).isEqualTo(read(kit, TODO));
        assertThat(overlay.graded()).containsExactlyInAnyOrder(RAFT, SRC + "tinykv/raft/VoteCounter.java");
        assertThat(overlay.ignored()).anyMatch(line -> line.startsWith("not graded: Todo.java"))
                .anyMatch(line -> line.startsWith("not graded: notes.txt"));
    }

    @Test
    @DisplayName("an upload with no student file grades nothing, so it gets its own verdict")
    void nothingUsable() throws IOException {
        Path junk = dir.resolve("junk");
        write(junk, "report.pdf", "%PDF\n");
        assertThat(owned.overlay(junk, kit, work).graded()).isEmpty();
    }

    @Test
    @DisplayName("a kit without reference/ or the list says what is missing")
    void noListIsAClearError() throws IOException {
        Files.delete(kit.resolve(StudentFiles.LIST));
        assertThatThrownBy(() -> StudentFiles.of(kit)).hasMessageContaining("neither reference/ nor " + StudentFiles.LIST);
    }

    @Test
    @DisplayName("the Classroom workflow's overlay runs as a single source file and writes the report the grade reads")
    void overlayInPlaceForClassroom() throws IOException, InterruptedException {
        write(submission, TODO, "package tinykv;\npublic class Todo {}\n");
        write(submission, RAFT, "package tinykv.raft;\nclass Raft { /* pushed */ }\n");
        Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "src/main/java/tinykv/grading/StudentFiles.java", "overlay", submission.toString(), kit.toString())
                .redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor()).as("exit status; output:%n%s", output).isZero();
        assertThat(read(kit, RAFT)).contains("pushed");
        assertThat(read(kit, StudentFiles.REPORT)).contains("changed: " + TODO);
    }

    static void write(Path root, String path, String text) throws IOException {
        Files.createDirectories(root.resolve(path).getParent());
        Files.writeString(root.resolve(path), text, StandardCharsets.UTF_8);
    }

    private static String read(Path root, String path) throws IOException {
        return Files.readString(root.resolve(path), StandardCharsets.UTF_8);
    }
}
