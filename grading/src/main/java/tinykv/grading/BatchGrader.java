package tinykv.grading;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Batch grading for instructors ({@code make grade-submissions DIR=...}), one submission after another.
 * Each is graded on a pristine copy of the kit with only the submission's {@code skeleton/src/main} laid
 * over it: tests, harness, grader and poms always come from the kit, and any file the submission changed
 * or added elsewhere is named in its report and ignored. A submission that does not compile gets that
 * verdict on every test, with the compiler's output, and the batch goes on.
 *
 * <p>Writes {@code OUT/<submission>/results.json} (plus junit/ and build.log) and {@code OUT/scores.csv}.
 * The kit copy is the instructor's repository (so hidden tests run); changes are named against the student
 * kit ({@code --kit}), which is what students received.
 */
public final class BatchGrader {
    static final String STUDENT_SOURCES = "skeleton/src/main";

    private BatchGrader() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        List<String> a = Arrays.asList(args);
        Path submissions = Path.of(value(a, "--submissions", null));
        Path studentKit = Path.of(value(a, "--kit", "target/handout"));
        Path out = Path.of(value(a, "--out", "target/grade-submissions")).toAbsolutePath();
        String mvn = value(a, "--mvn", "mvn -o");
        Path repo = Path.of(value(a, "--repo", ".")).toAbsolutePath().normalize();
        GradeOptions options = GradeOptions.parse("--seeds", value(a, "--seeds", "3"), "--salt", value(a, "--salt", ""));
        List<Path> folders;
        try (Stream<Path> list = Files.list(submissions)) {
            folders = list.filter(Files::isDirectory).sorted().toList();
        }
        Files.createDirectories(out);
        Path csv = out.resolve("scores.csv");
        Files.writeString(csv, "submission,score,max_score,status,ignored_changes,seconds\n", StandardCharsets.UTF_8);
        int n = 0;
        for (Path folder : folders) {
            n++;
            long start = System.nanoTime();
            String name = folder.getFileName().toString();
            System.out.printf("[%d/%d] %s: grading...%n", n, folders.size(), name);
            Result result = gradeOne(folder, repo, studentKit, out.resolve(name), mvn, options);
            long seconds = Math.round((System.nanoTime() - start) / 1e9);
            Files.writeString(csv, String.join(",", csvField(name), Integer.toString(result.score),
                    Integer.toString(result.max), result.status, Integer.toString(result.ignored.size()),
                    Long.toString(seconds)) + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
            System.out.printf("[%d/%d] %s: %d/%d, %s%s (%d s)%n", n, folders.size(), name, result.score, result.max,
                    result.status, result.ignored.isEmpty() ? "" : ", " + result.ignored.size() + " ignored change(s)",
                    seconds);
        }
        System.out.println("Scores: " + csv);
    }

    record Result(int score, int max, String status, List<String> ignored) {}

    static Result gradeOne(Path folder, Path repo, Path studentKit, Path out, String mvn, GradeOptions options)
            throws IOException, InterruptedException {
        Handout.deleteTree(out);
        Files.createDirectories(out);
        Optional<Path> root = findRoot(folder);
        if (root.isEmpty()) {
            String problem = "no " + STUDENT_SOURCES + " folder in the submission";
            Grader.Report report = new Grader(options.withOut(out).withCompileError(write(out.resolve("build.log"),
                    problem)), System.getProperty("java.class.path"), problem + "\n").grade();
            return new Result(0, report.maxScore(), "no skeleton", List.of());
        }
        List<String> ignored = changesOutsideSkeleton(root.get(), studentKit);
        Path work = out.getParent().resolve(".work");
        Handout.deleteTree(work);
        Handout.copyTree(repo, work, false);
        Handout.deleteTree(work.resolve(STUDENT_SOURCES));
        Handout.copyTree(root.get().resolve(STUDENT_SOURCES), work.resolve(STUDENT_SOURCES), false);
        String notes = ignored.isEmpty() ? "" : "Changes outside " + STUDENT_SOURCES
                + " are ignored; graded with the kit's own files instead of:\n  " + String.join("\n  ", ignored) + "\n";
        Path buildLog = out.resolve("build.log");
        boolean built = build(work, mvn, buildLog);
        Grader.Report report;
        String status;
        if (built) {
            String classpath = work.resolve("grading/target/classes") + java.io.File.pathSeparator
                    + Files.readString(work.resolve("grading/target/grader.classpath")).strip();
            report = new Grader(options.withOut(out), classpath, notes).grade();
            status = "graded";
        } else {
            // The kit's own build (this JVM's classpath) lists the tests; none can run.
            report = new Grader(options.withOut(out).withCompileError(compileErrors(buildLog)),
                    System.getProperty("java.class.path"), notes).grade();
            status = "does not compile";
        }
        Handout.deleteTree(work);
        return new Result(report.score(), report.maxScore(), status, ignored);
    }

    /** The submission's top folder: the folder itself or one below it that holds skeleton/src/main. */
    static Optional<Path> findRoot(Path folder) throws IOException {
        if (Files.isDirectory(folder.resolve(STUDENT_SOURCES))) {
            return Optional.of(folder);
        }
        try (Stream<Path> children = Files.list(folder)) {
            return children.filter(child -> Files.isDirectory(child.resolve(STUDENT_SOURCES))).sorted().findFirst();
        }
    }

    /** Files outside skeleton/src/main that differ from the student kit's, or that it does not have. */
    static List<String> changesOutsideSkeleton(Path root, Path studentKit) throws IOException {
        List<String> changes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String relative = root.relativize(file).toString().replace('\\', '/');
                if (relative.startsWith(STUDENT_SOURCES + "/") || relative.startsWith(".git/")
                        || relative.contains("target/") || relative.endsWith(".DS_Store")) {
                    continue;
                }
                Path original = studentKit.resolve(relative);
                if (!Files.exists(original)) {
                    changes.add("added: " + relative);
                } else if (Files.mismatch(file, original) != -1) {
                    changes.add("changed: " + relative);
                }
            }
        }
        return changes;
    }

    private static boolean build(Path work, String mvn, Path log) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(Arrays.asList(mvn.trim().split("\\s+")));
        command.addAll(List.of("-q", "package", "-DskipTests", "-Dimpl=skeleton", "-pl", "grading", "-am"));
        Process process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(Duration.ofMinutes(10).toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Files.writeString(log, "\nthe build did not finish within 10 minutes\n", java.nio.file.StandardOpenOption.APPEND);
            return false;
        }
        return process.exitValue() == 0;
    }

    private static Path compileErrors(Path buildLog) throws IOException {
        List<String> errors = Files.readAllLines(buildLog, StandardCharsets.UTF_8).stream()
                .filter(line -> line.contains(".java:[") || line.contains("error:") || line.contains("COMPILATION ERROR")).limit(60).toList();
        Path file = buildLog.resolveSibling("compile-errors.txt");
        Files.write(file, errors.isEmpty() ? List.of(Files.readString(buildLog)) : errors, StandardCharsets.UTF_8);
        return file;
    }

    private static Path write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static String csvField(String text) {
        return text.contains(",") || text.contains("\"") ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }

    private static String value(List<String> args, String flag, String fallback) {
        int i = args.indexOf(flag);
        if (i >= 0 && i + 1 < args.size()) {
            return args.get(i + 1);
        }
        if (fallback == null) {
            throw new IllegalArgumentException(flag + " is required");
        }
        return fallback;
    }
}
