package tinykv.grading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A class graded on several machines: the shards cover every submission once, the merge of the shards is the
 * class graded whole, and the merge refuses shards that do not make one class. Each submission is graded by a
 * stand-in that scores its files (make batch-check grades real ones, whole and in shards).
 */
@Tag("kit")
@DisplayName("Kit: a class graded in shards and merged is the class graded whole")
class ShardMergeTest {
    private static final Map<String, String> SETTINGS = ShardManifest.settings(
            GradeOptions.parse("--seeds", "1", "--lab", "2ac", "--jobs", "1"), "kit-digest");

    @TempDir
    Path tmp;
    Path submissions;

    /** alice (a folder), bob (a .zip) and "carol, jr" (a folder whose name needs quoting in CSV). */
    @BeforeEach
    void threeSubmissions() throws IOException {
        submissions = tmp.resolve("submissions");
        StudentFilesTest.write(submissions, "alice/Raft.java", "class Raft { /* alice */ }\n");
        StudentFilesTest.write(submissions, "carol, jr/Raft.java", "class Raft { /* carol, jr */ }\n");
        StudentFilesTest.write(submissions, "notes.txt", "not a submission\n");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(submissions.resolve("bob.zip")))) {
            zip.putNextEntry(new ZipEntry("Raft.java"));
            zip.write("class Raft {}\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Scores a submission by the length of its Raft.java and writes a results.json of what it saw. */
    private static BatchGrader.Result standIn(Path submission, Path out) throws IOException {
        String raft = Files.readString(submission.resolve("Raft.java"));
        Files.createDirectories(out);
        Files.writeString(out.resolve("results.json"), "{\"graded\": \"" + raft.strip() + "\"}\n");
        System.out.println("graded " + submission.getFileName());
        return new BatchGrader.Result(raft.length() % 7, 7, "graded", List.of());
    }

    /** Grades the class's shard ("" for all of it) with the stand-in into {@link #out}. */
    private ShardManifest grade(String shard, int jobs, Map<String, String> settings) throws Exception {
        return ClassGrading.grade(submissions, out(shard, jobs), Shard.parse(shard), jobs, settings,
                lanes -> (folder, out, lane) -> standIn(folder, out));
    }

    private Path out(String shard, int jobs) {
        return tmp.resolve("out-" + (shard.isEmpty() ? "whole" : shard.replace("/", "of")) + "-" + jobs);
    }

    @Test
    @DisplayName("the shards of any m hold every submission exactly once, their sizes within one of each other")
    void shardsCoverEverySubmissionOnce() {
        for (int n : new int[] {0, 1, 3, 7, 20}) {
            List<String> names = IntStream.range(0, n).mapToObj(i -> String.format("s%02d", i)).toList();
            for (int m : new int[] {1, 2, 3, 5, 25}) {
                List<String> all = new ArrayList<>();
                List<Integer> sizes = new ArrayList<>();
                for (int i = 1; i <= m; i++) {
                    List<String> held = new Shard(i, m).of(names);
                    all.addAll(held);
                    sizes.add(held.size());
                }
                assertThat(all).as("%d submissions in %d shards", n, m).hasSize(n)
                        .containsExactlyInAnyOrderElementsOf(names);
                assertThat(sizes.stream().mapToInt(Integer::intValue).max().orElse(0)
                        - sizes.stream().mapToInt(Integer::intValue).min().orElse(0)).isLessThanOrEqualTo(1);
            }
        }
    }

    @Test
    @DisplayName("a SHARD that is not i/m with 1 <= i <= m is refused, saying what it should be")
    void badShardIsRefused() {
        for (String bad : List.of("0/3", "4/3", "1/0")) {
            assertThatThrownBy(() -> Shard.parse(bad)).as(bad).hasMessageContaining("1 <= i <= m");
        }
        for (String bad : List.of("x", "2", "1/2/3", "1 / 2", "-1/3")) {
            assertThatThrownBy(() -> Shard.parse(bad)).as(bad).hasMessageContaining("SHARD must be i/m")
                    .hasMessageContaining("'" + bad + "'");
        }
        assertThat(Shard.parse("")).isEqualTo(Shard.WHOLE);
        assertThat(Shard.parse("2/3")).isEqualTo(new Shard(2, 3));
    }

    @Test
    @DisplayName("two shards merged give the whole class's scores.csv bytes and the same files (times aside)")
    void mergeOfTwoShardsIsTheWholeClass() throws Exception {
        grade("", 1, SETTINGS);
        ShardManifest first = grade("1/2", 2, SETTINGS);
        ShardManifest second = grade("2/2", 1, SETTINGS);
        assertThat(first.holds()).containsExactly("alice", "carol, jr");
        assertThat(second.holds()).containsExactly("bob");
        assertThat(Files.readString(out("1/2", 2).resolve(ShardManifest.FILE))).contains("shard=1/2\n",
                "class_size=3\n", "holds=alice\n", "holds=carol, jr\n", "setting.SEEDS=1\n");
        Map<String, String> inputsBefore = files(out("1/2", 2), out("2/2", 1));

        Path merged = tmp.resolve("merged");
        GradeMerge.merge(List.of(out("2/2", 1), out("1/2", 2)), merged);

        Path whole = out("", 1);
        assertThat(Files.readString(whole.resolve(ScoresFiles.SCORES))).isEqualTo("""
                submission,score,max_score,status,ignored_changes
                alice,6,7,graded,0
                bob,0,7,graded,0
                "carol, jr",3,7,graded,0
                """);
        assertThat(merged.resolve(ScoresFiles.SCORES)).hasSameBinaryContentAs(whole.resolve(ScoresFiles.SCORES));
        Map<String, String> wholeFiles = files(whole);
        Map<String, String> mergedFiles = files(merged);
        assertThat(mergedFiles.keySet()).isEqualTo(wholeFiles.keySet()).contains("alice/results.json",
                ".unpacked/bob/Raft.java", ShardManifest.FILE, ScoresFiles.TIMES);
        wholeFiles.remove(ScoresFiles.TIMES);
        wholeFiles.forEach((path, text) -> assertThat(mergedFiles.get(path)).as(path).isEqualTo(text));
        assertThat(files(out("1/2", 2), out("2/2", 1))).as("the shards after the merge")
                .containsExactlyInAnyOrderEntriesOf(inputsBefore);
    }

    @Test
    @DisplayName("JOBS=3 writes what JOBS=1 writes, and the console shows each submission's lines together, in name order")
    void jobsKeepTheOrder() throws Exception {
        CountDownLatch carolDone = new CountDownLatch(1);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream real = System.out;
        System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
        try {
            ClassGrading.grade(submissions, out("", 3), Shard.WHOLE, 3, SETTINGS, lanes -> (folder, out, lane) -> {
                String name = out.getFileName().toString();
                if (name.equals("alice")) { // alice ends last: her lines must still come first
                    assertThat(carolDone.await(60, TimeUnit.SECONDS)).as("carol finished").isTrue();
                }
                Thread helper = new Thread(() -> System.out.println(name + " from a thread of its own"));
                helper.start();
                helper.join();
                BatchGrader.Result result = standIn(folder, out);
                if (name.startsWith("carol")) {
                    carolDone.countDown();
                }
                return result;
            });
        } finally {
            System.setOut(real);
        }
        grade("", 1, SETTINGS);
        assertThat(out("", 3).resolve(ScoresFiles.SCORES)).hasSameBinaryContentAs(out("", 1).resolve(ScoresFiles.SCORES));
        List<String> lines = console.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("Unpacked") && !l.startsWith("Skipped"))
                .map(l -> l.replaceAll("\\(\\d+ s\\)$", "(_ s)")).toList();
        assertThat(lines).containsExactly(
                "[1/3] alice: grading...", "alice from a thread of its own", "graded alice", "[1/3] alice: 6/7, graded (_ s)",
                "[2/3] bob: grading...", "bob from a thread of its own", "graded bob", "[2/3] bob: 0/7, graded (_ s)",
                "[3/3] carol, jr: grading...", "carol, jr from a thread of its own", "graded carol, jr",
                "[3/3] carol, jr: 3/7, graded (_ s)");
    }

    @Test
    @DisplayName("the merge refuses a submission in two shards, naming it and both folders")
    void overlappingShardsAreRefused() throws Exception {
        grade("1/2", 1, SETTINGS);
        grade("2/2", 1, SETTINGS);
        Path copy = tmp.resolve("copy-of-1of2");
        Trees.copyTree(out("1/2", 1), copy);
        assertThatThrownBy(() -> GradeMerge.merge(List.of(out("1/2", 1), copy, out("2/2", 1)), tmp.resolve("m")))
                .hasMessageContaining("shard 1/2 is given twice").hasMessageContaining(copy.toString())
                .hasMessageContaining("would be in two shards: alice, carol, jr");
        // A shard whose manifest claims another's submission (edited by hand, or cut from another folder's list).
        Path manifest = out("2/2", 1).resolve(ShardManifest.FILE);
        Files.writeString(manifest, Files.readString(manifest) + "holds=alice\n");
        assertThatThrownBy(() -> GradeMerge.merge(List.of(out("1/2", 1), out("2/2", 1)), tmp.resolve("m")))
                .hasMessageContaining("the submission alice is in two shards: " + out("1/2", 1) + " (1/2) and "
                        + out("2/2", 1) + " (2/2)");
        assertThat(tmp.resolve("m")).doesNotExist();
    }

    @Test
    @DisplayName("the merge refuses a missing shard, naming it and those given")
    void missingShardIsRefused() throws Exception {
        grade("1/3", 1, SETTINGS);
        grade("2/3", 1, SETTINGS);
        assertThatThrownBy(() -> GradeMerge.merge(List.of(out("1/3", 1), out("2/3", 1)), tmp.resolve("m")))
                .hasMessageContaining("missing shard(s) 3/3: given only 1/3 (" + out("1/3", 1) + "), 2/3");
        assertThatThrownBy(() -> GradeMerge.merge(List.of(tmp.resolve("submissions")), tmp.resolve("m")))
                .hasMessageContaining("is not a finished output of make grade-submissions: it has no shard.txt");
    }

    @Test
    @DisplayName("the merge refuses shards of different m, of other settings or of another folder, naming the difference")
    void mismatchedShardsAreRefused() throws Exception {
        grade("1/2", 1, SETTINGS);
        grade("2/3", 1, SETTINGS);
        assertThatThrownBy(() -> GradeMerge.merge(List.of(out("1/2", 1), out("2/3", 1)), tmp.resolve("m")))
                .hasMessageContaining("shards of different m: " + out("1/2", 1) + " is 1/2 but " + out("2/3", 1)
                        + " is 2/3");
        for (String[] other : new String[][] {{"--seeds", "3"}, {"--salt", "fall26"}, {"--lab", "2aa"}}) {
            grade("2/2", 1, ShardManifest.settings(GradeOptions.parse("--seeds", "1", "--lab", "2ac", "--jobs", "1",
                    other[0], other[1]), "kit-digest"));
            assertThatThrownBy(() -> GradeMerge.merge(List.of(out("1/2", 1), out("2/2", 1)), tmp.resolve("m")))
                    .as(other[0]).hasMessageContaining("shards graded with different settings: ")
                    .hasMessageMatching("(?s).*(SEEDS is 1 .* but 3|SALT is tinykv-labs .* but fall26|"
                            + "LAB is lab2ac .* but lab2aa) in .*");
        }
        StudentFilesTest.write(submissions, "dave/Raft.java", "class Raft {}\n");
        grade("2/2", 1, SETTINGS);
        assertThatThrownBy(() -> GradeMerge.merge(List.of(out("1/2", 1), out("2/2", 1)), tmp.resolve("m")))
                .hasMessageContaining("shards of different folders of submissions: ")
                .hasMessageContaining("grade every shard from the same DIR");
        assertThatThrownBy(() -> GradeMerge.merge(List.of(out("1/2", 1)), out("1/2", 1).resolve("merged")))
                .hasMessageContaining("overlaps the shard");
    }

    @Test
    @DisplayName("a shard of no submission (m above the class size) still writes its manifest, and merges")
    void emptyShardMerges() throws Exception {
        for (int i = 1; i <= 5; i++) {
            grade(i + "/5", 1, SETTINGS);
        }
        assertThat(Files.readString(out("5/5", 1).resolve(ScoresFiles.SCORES))).isEqualTo(ScoresFiles.SCORES_HEADER + "\n");
        grade("", 1, SETTINGS);
        List<Path> shards = IntStream.rangeClosed(1, 5).mapToObj(i -> out(i + "/5", 1)).toList();
        GradeMerge.merge(shards, tmp.resolve("merged"));
        assertThat(tmp.resolve("merged").resolve(ScoresFiles.SCORES))
                .hasSameBinaryContentAs(out("", 1).resolve(ScoresFiles.SCORES));
    }

    @Test
    @DisplayName("the workflow that grades a class as a matrix stays in the instructor's repository")
    void classWorkflowIsInstructorOnly() throws IOException, InterruptedException {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        String workflow = ".github/workflows/grade-class.yml";
        assertThat(Files.readString(repo.resolve(workflow))).contains("SHARD: ${{ matrix.shard }}/${{ inputs.shards }}",
                "make grade-submissions", "make grade-merge", "upload-artifact", "download-artifact");
        assertThat(Handout.instructorOnly(workflow)).isTrue();
        assertThat(Handout.kitFiles(repo)).doesNotContain(workflow);
    }

    /**
     * Every regular file under the folders with its bytes (as ISO-8859-1 text, so maps compare by content), by
     * path relative to its folder, after the folder's name when there are several.
     */
    private static Map<String, String> files(Path... dirs) throws IOException {
        Map<String, String> files = new TreeMap<>();
        for (Path dir : dirs) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path file : paths.filter(Files::isRegularFile).toList()) {
                    files.put((dirs.length == 1 ? "" : dir.getFileName() + ":") + dir.relativize(file),
                            new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
                }
            }
        }
        return files;
    }
}
