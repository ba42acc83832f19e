package tinykv.grading;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Batch grading for instructors ({@code make grade-submissions DIR=...}) and the Gradescope autograder. Each
 * submission is graded as the pristine kit with only what the student owns ({@link StudentFiles}) laid over
 * it: every other file the submission changed, added or deleted is named at the top of its report and
 * ignored. A submission that does not compile gets that verdict on every test, with the compiler's errors
 * once; one that holds no student file gets its own verdict.
 *
 * <p>The kit is copied and built once ({@link GradingBase}); per submission only the student files change
 * and only they are compiled, in a lane of its own ({@link Lane}), so that {@code JOBS} submissions are graded
 * at once ({@link ClassGrading}). {@code SHARD=i/m} grades only this machine's share ({@link Shard}). Writes
 * {@code OUT/<submission>/results.json} (plus junit/ and build.log), {@code OUT/scores.csv},
 * {@code OUT/times.csv} and {@code OUT/shard.txt} ({@link ShardManifest}); {@link GradeMerge} combines shards.
 *
 * <p>Flags: {@code --submissions DIR} (one folder or .zip per submission), {@code --kit DIR} (the student
 * kit as handed out), {@code --hidden DIR} (hidden test sources to build into the grading copy), or
 * {@code --base DIR} (a grading copy built already, as the autograder's), {@code --keep-base DIR} (build the
 * grading copy there and keep it, for later runs with {@code --base}), {@code --out DIR}, {@code --mvn CMD},
 * {@code --shard i/m}, and the grade's own flags ({@link GradeOptions#parse}), of which {@code --jobs} is
 * how many forks at once in all: that many submissions at once, each grading its parts one at a time (a
 * single submission grades that many parts at once), so the memory check of {@code JOBS} is the grade's.
 */
public final class BatchGrader {
    /** Where a prepared grading copy keeps the digest of the kit and hidden tests it was built from. */
    private static final String KIT_DIGEST = "target/kit.digest";

    private BatchGrader() {}

    /** How one submission fared: the line of scores.csv. */
    record Result(int score, int max, String status, List<String> ignored) {}

    /**
     * Where one submission at a time lays its student files and compiles them, beside the others graded at
     * once: {@code root} mirrors the kit's student packages, {@code classes} receives the compiled files.
     */
    record Lane(Path root, Path classes) {
        static Lane in(Path dir, StudentFiles owned) throws IOException {
            for (String folder : owned.packages()) {
                Files.createDirectories(dir.resolve(StudentFiles.SOURCES).resolve(folder));
            }
            return new Lane(dir, dir.resolve("classes"));
        }
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        try {
            run(args);
        } catch (IllegalArgumentException e) {
            System.err.println("grade-submissions: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void run(String[] args) throws IOException, InterruptedException {
        List<String> a = new ArrayList<>(Arrays.asList(args));
        Path submissions = Path.of(take(a, "--submissions", null));
        Path kit = Path.of(take(a, "--kit", "target/handout")).toAbsolutePath().normalize();
        String hidden = take(a, "--hidden", "");
        String prebuilt = take(a, "--base", "");
        String keep = take(a, "--keep-base", "");
        Path out = Path.of(take(a, "--out", "target/grade-submissions")).toAbsolutePath().normalize();
        String mvn = take(a, "--mvn", "mvn -o");
        Shard shard = Shard.parse(take(a, "--shard", ""));
        a.add("--for-students");
        GradeOptions options = GradeOptions.parse(a.toArray(String[]::new));
        if (!Files.isDirectory(submissions)) {
            throw new IllegalArgumentException("DIR=" + submissions + " is not a folder of submissions");
        }
        Optional<Path> hiddenDir = hidden.isEmpty() ? Optional.empty() : Optional.of(Path.of(hidden));
        Optional<GradingBase> given = prebuilt.isEmpty() ? Optional.empty()
                : Optional.of(GradingBase.existing(Path.of(prebuilt).toAbsolutePath().normalize(), mvn));
        List<Path> graded = new ArrayList<>(List.of(kit));
        hiddenDir.ifPresent(graded::add);
        String kitDigest = given.isPresent() ? existingDigest(given.get().dir()) : ShardManifest.digestOf(graded);
        StudentFiles owned = StudentFiles.of(kit);
        List<GradingBase> prepared = new ArrayList<>();
        ClassGrading.grade(submissions, out, shard, options.jobs(), ShardManifest.settings(options, kitDigest),
                lanes -> {
                    GradingBase base = given.isPresent() ? given.get() : prepare(kit, hiddenDir, keep, mvn, kitDigest);
                    if (given.isEmpty()) {
                        prepared.add(base);
                    }
                    List<Lane> made = new ArrayList<>();
                    for (int i = 0; i < lanes; i++) {
                        made.add(Lane.in(base.dir().resolve("target/lanes/" + (i + 1)), owned));
                    }
                    // JOBS forks in all: shared among the submissions graded at once.
                    GradeOptions each = options.withJobs(Math.max(1, options.jobs() / lanes));
                    return (folder, to, lane) -> gradeOne(folder, base, made.get(lane), owned, kit, to, each);
                });
        if (keep.isEmpty()) {
            for (GradingBase base : prepared) {
                Trees.deleteTree(base.dir());
            }
        }
        System.out.println("Scores: " + out.resolve(ScoresFiles.SCORES));
    }

    /**
     * The kit (and hidden tests) built for grading in {@code keep}, or in a fresh folder outside the repository:
     * code under test that walks up from its class path must not reach the instructor's tree (the reference,
     * the hidden test sources).
     */
    private static GradingBase prepare(Path kit, Optional<Path> hidden, String keep, String mvn, String kitDigest)
            throws IOException, InterruptedException {
        Path dir = keep.isEmpty() ? Files.createTempDirectory("tinykv-grading-")
                : Path.of(keep).toAbsolutePath().normalize();
        GradingBase base = GradingBase.prepare(kit, hidden, dir, mvn);
        Files.writeString(dir.resolve(KIT_DIGEST), kitDigest + "\n", StandardCharsets.UTF_8);
        return base;
    }

    /**
     * The digest of what a grading copy built already was built from: the one it kept, else that of its own
     * sources (the autograder's copy, built by its setup with the hidden tests already removed).
     */
    private static String existingDigest(Path base) throws IOException {
        Path kept = base.resolve(KIT_DIGEST);
        return Files.isRegularFile(kept) ? Files.readString(kept, StandardCharsets.UTF_8).strip()
                : ShardManifest.digestOf(List.of(base));
    }

    /**
     * Grades one submission on the grading copy: lays its student files over the lane, compiles them there and
     * grades. The lane is left with this submission's files; the next call on it resets them.
     */
    static Result gradeOne(Path submission, GradingBase base, Lane lane, StudentFiles owned, Path kit, Path out,
            GradeOptions options) throws IOException, InterruptedException {
        Trees.deleteTree(out);
        Files.createDirectories(out);
        Path root = Submissions.root(submission);
        StudentFiles.Overlay overlay = owned.overlay(root, kit, lane.root());
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
        GradingBase.Compiled compiled = base.compile(lane.root(), overlay.sources(), lane.classes(), buildLog);
        if (!compiled.ok()) {
            Path errors = out.resolve("compile-errors.txt");
            Files.writeString(errors, CompileErrors.summary(Files.readString(buildLog, StandardCharsets.UTF_8),
                    lane.root()), StandardCharsets.UTF_8);
            Grader.Report report = new Grader(forThis.withCompileError(errors), base.classpath(), overlay.notes())
                    .grade();
            return new Result(0, report.maxScore(), "does not compile", overlay.ignored());
        }
        StudentFiles.Overlay graded = overlay.withIgnored(compiled.removed().stream().map(name -> "not graded: the class "
                + name + " (declared in a student file, but the kit has its own)").toList());
        Grader.Report report = new Grader(forThis, base.classpathWith(lane.classes()), graded.notes()).grade();
        return new Result(report.score(), report.maxScore(), "graded", graded.ignored());
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

    /**
     * The submissions of a folder: its subfolders and its .zip files (unpacked only when graded), each named by
     * its folder or zip without {@code .zip}, sorted by that name (Java's string order, the same on every machine).
     */
    static final class Submissions {
        private static final Set<String> RESERVED = Set.of(ScoresFiles.SCORES, ScoresFiles.TIMES, ShardManifest.FILE);

        private Submissions() {}

        /** One submission: a folder, or a zip to unpack before it is graded. */
        record Entry(String name, Path path, boolean zip) {
            Path folder(Path unpacked) throws IOException {
                if (!zip) {
                    return path;
                }
                Path to = unpacked.resolve(name);
                Zips.unpack(path, to);
                System.out.println("Unpacked " + path + " into " + to);
                return to;
            }
        }

        static List<Entry> list(Path dir) throws IOException {
            Map<String, Entry> found = new TreeMap<>();
            try (Stream<Path> entries = Files.list(dir)) {
                for (Path entry : entries.sorted().toList()) {
                    String file = entry.getFileName().toString();
                    boolean zip = !Files.isDirectory(entry) && file.toLowerCase(Locale.ROOT).endsWith(".zip");
                    if (file.startsWith(".") || !(zip || Files.isDirectory(entry))) {
                        System.out.println("Skipped " + entry + ": neither a folder nor a .zip");
                        continue;
                    }
                    String name = zip ? file.substring(0, file.length() - ".zip".length()) : file;
                    if (name.isEmpty() || name.chars().anyMatch(Character::isISOControl) || RESERVED.contains(name)) {
                        throw new IllegalArgumentException("a submission cannot be named '" + name + "' (" + entry
                                + "): rename it");
                    }
                    Entry before = found.put(name, new Entry(name, zip ? entry : entry.toRealPath(), zip));
                    if (before != null) {
                        throw new IllegalArgumentException("two submissions are named " + name + ": " + before.path()
                                + " and " + entry + "; rename one");
                    }
                }
            }
            return List.copyOf(found.values());
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
