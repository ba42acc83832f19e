package tinykv.grading;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Batch grading for instructors ({@code make grade-submissions DIR=...}) and the Gradescope autograder, one
 * submission after another. Each is graded as the pristine kit with only what the student owns
 * ({@link StudentFiles}) laid over it: every other file the submission changed, added or deleted is named
 * at the top of its report and ignored. A submission that does not compile gets that verdict on every
 * test, with the compiler's errors once; one that holds no student file gets its own verdict.
 *
 * <p>The kit is copied and built once ({@link GradingBase}); per submission only the student files change
 * and only they are compiled. Writes {@code OUT/<submission>/results.json} (plus junit/ and
 * build.log) and {@code OUT/scores.csv}.
 *
 * <p>Flags: {@code --submissions DIR} (one folder or .zip per submission), {@code --kit DIR} (the student
 * kit as handed out), {@code --hidden DIR} (hidden test sources to build into the grading copy), or
 * {@code --base DIR} (a grading copy built already, as the autograder's), {@code --out DIR}, {@code --mvn CMD},
 * and the grade's own flags ({@link GradeOptions#parse}).
 */
public final class BatchGrader {
    private BatchGrader() {}

    /** How one submission fared: the line of scores.csv. */
    record Result(int score, int max, String status, List<String> ignored) {}

    public static void main(String[] args) throws IOException, InterruptedException {
        List<String> a = new ArrayList<>(Arrays.asList(args));
        Path submissions = Path.of(take(a, "--submissions", null));
        Path kit = Path.of(take(a, "--kit", "target/handout")).toAbsolutePath().normalize();
        String hidden = take(a, "--hidden", "");
        String prebuilt = take(a, "--base", "");
        Path out = Path.of(take(a, "--out", "target/grade-submissions")).toAbsolutePath();
        String mvn = take(a, "--mvn", "mvn -o");
        a.add("--for-students");
        GradeOptions options = GradeOptions.parse(a.toArray(String[]::new));
        if (!Files.isDirectory(submissions)) {
            throw new IllegalArgumentException("DIR=" + submissions + " is not a folder of submissions");
        }
        Files.createDirectories(out);
        // A fresh copy lives outside the repository: code under test that walks up from its class path must
        // not reach the instructor's tree (the reference, the hidden test sources).
        GradingBase base = prebuilt.isEmpty()
                ? GradingBase.prepare(kit, hidden.isEmpty() ? Optional.empty() : Optional.of(Path.of(hidden)),
                        Files.createTempDirectory("tinykv-grading-"), mvn)
                : GradingBase.existing(Path.of(prebuilt).toAbsolutePath().normalize(), mvn);
        StudentFiles owned = StudentFiles.of(kit);
        List<Path> folders = Submissions.list(submissions, out.resolve(".unpacked"));
        Path csv = out.resolve("scores.csv");
        Files.writeString(csv, "submission,score,max_score,status,ignored_changes,seconds\n", StandardCharsets.UTF_8);
        int n = 0;
        for (Path folder : folders) {
            n++;
            long start = System.nanoTime();
            String name = folder.getFileName().toString();
            System.out.printf("[%d/%d] %s: grading...%n", n, folders.size(), name);
            Result result = gradeOne(folder, base, owned, kit, out.resolve(name), options);
            long seconds = Math.round((System.nanoTime() - start) / 1e9);
            Files.writeString(csv, String.join(",", csvField(name), Integer.toString(result.score),
                    Integer.toString(result.max), result.status, Integer.toString(result.ignored.size()),
                    Long.toString(seconds)) + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            System.out.printf("[%d/%d] %s: %d/%d, %s%s (%d s)%n", n, folders.size(), name, result.score, result.max,
                    result.status, result.ignored.isEmpty() ? "" : ", " + result.ignored.size() + " ignored file(s)",
                    seconds);
            result.ignored.forEach(line -> System.out.println("    ignored " + line));
        }
        if (prebuilt.isEmpty()) {
            Trees.deleteTree(base.dir());
        }
        System.out.println("Scores: " + csv);
    }

    /**
     * Grades one submission on the grading copy: lays its student files over it, rebuilds the skeleton and
     * grades. The copy is left with this submission's files; the next call resets them.
     */
    static Result gradeOne(Path submission, GradingBase base, StudentFiles owned, Path kit, Path out,
            GradeOptions options) throws IOException, InterruptedException {
        Trees.deleteTree(out);
        Files.createDirectories(out);
        Path root = Submissions.root(submission);
        StudentFiles.Overlay overlay = owned.overlay(root, kit, base.dir());
        GradeOptions forThis = options.withOut(out);
        Grader grader = new Grader(forThis, base.classpath(), overlay.notes());
        if (overlay.graded().isEmpty()) {
            List<String> found = StudentFiles.files(submission).stream().limit(20).toList();
            Grader.Report report = grader.gradeWithout(Verdict.NOTHING_SUBMITTED, "No student file was found in the "
                    + "submission. Submit the student classes " + owned.classes().stream()
                    .map(c -> c.substring(c.lastIndexOf('/') + 1)).toList() + " (alone or in your copy of the kit).\n"
                    + "The submission holds: " + (found.isEmpty() ? "nothing" : String.join(", ", found)) + "\n");
            return new Result(0, report.maxScore(), "nothing submitted", overlay.ignored());
        }
        Path buildLog = out.resolve("build.log");
        GradingBase.Compiled compiled = base.compile(overlay.sources(), base.dir().resolve("target/student-classes"),
                buildLog);
        if (!compiled.ok()) {
            Path errors = out.resolve("compile-errors.txt");
            Files.writeString(errors, CompileErrors.summary(Files.readString(buildLog, StandardCharsets.UTF_8),
                    base.dir()), StandardCharsets.UTF_8);
            Grader.Report report = new Grader(forThis.withCompileError(errors), base.classpath(), overlay.notes())
                    .grade();
            return new Result(0, report.maxScore(), "does not compile", overlay.ignored());
        }
        StudentFiles.Overlay graded = overlay.withIgnored(compiled.removed().stream().map(name -> "not graded: the class "
                + name + " (declared in a student file, but the kit has its own)").toList());
        Grader.Report report = new Grader(forThis, base.classpathWith(base.dir().resolve("target/student-classes")),
                graded.notes()).grade();
        return new Result(report.score(), report.maxScore(), "graded", graded.ignored());
    }

    private static String csvField(String text) {
        return text.contains(",") || text.contains("\"") ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }

    /** Removes a flag and its value from the arguments and returns the value (or the fallback). */
    private static String take(List<String> args, String flag, String fallback) {
        int i = args.indexOf(flag);
        if (i >= 0 && i + 1 < args.size()) {
            String value = args.remove(i + 1);
            args.remove(i);
            return value;
        }
        if (fallback == null) {
            throw new IllegalArgumentException(flag + " is required");
        }
        return fallback;
    }

    /** Tidies a compiler log: no colour codes, no line twice in a row, paths from the kit's root, 60 lines at most. */
    static final class CompileErrors {
        private CompileErrors() {}

        static String summary(String log, Path base) {
            String root = base.toAbsolutePath().normalize() + "/";
            List<String> kept = new ArrayList<>();
            for (String line : log.replaceAll("\u001B\\[[0-9;]*[A-Za-z]", "").split("\n")) {
                String shortened = line.replace(root, "");
                if (kept.isEmpty() || !kept.get(kept.size() - 1).equals(shortened)) {
                    kept.add(shortened);
                }
            }
            return String.join("\n", kept.subList(0, Math.min(60, kept.size()))).strip() + "\n"
                    + (kept.size() > 60 ? "... (" + (kept.size() - 60) + " more lines)\n" : "");
        }
    }

    /** The submissions of a folder: its subfolders, and its .zip files unpacked (not skipped). */
    static final class Submissions {
        private Submissions() {}

        static List<Path> list(Path dir, Path unpacked) throws IOException {
            List<Path> found = new ArrayList<>();
            try (Stream<Path> entries = Files.list(dir)) {
                for (Path entry : entries.sorted().toList()) {
                    String name = entry.getFileName().toString();
                    if (Files.isDirectory(entry) && !name.startsWith(".")) {
                        found.add(entry.toRealPath());
                    } else if (name.toLowerCase(java.util.Locale.ROOT).endsWith(".zip")) {
                        Path to = unpacked.resolve(name.substring(0, name.length() - ".zip".length()));
                        Zips.unpack(entry, to);
                        System.out.println("Unpacked " + entry + " into " + to);
                        found.add(to);
                    } else {
                        System.out.println("Skipped " + entry + ": neither a folder nor a .zip");
                    }
                }
            }
            return found;
        }

        /** The folder to grade: the submission, or its one subfolder that holds a copy of the kit. */
        static Path root(Path submission) throws IOException {
            if (Files.isDirectory(submission.resolve(StudentFiles.SOURCES))) {
                return submission;
            }
            try (Stream<Path> children = Files.list(submission)) {
                return children.filter(child -> Files.isDirectory(child.resolve(StudentFiles.SOURCES))).sorted()
                        .findFirst().orElse(submission);
            }
        }
    }
}
