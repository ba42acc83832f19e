package tinykv.grading;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a student owns, the one list the grader, the kit builder and the checks use: the <em>student
 * classes</em> (the files under {@code skeleton/src/main/java} that {@code reference/} also has), and any new
 * Java file a student adds directly in a student package (the folder of a student class), whose
 * {@code package} line matches that folder. Everything else in the kit is provided: a submission's copy of
 * it is never graded.
 *
 * <p>{@link #overlay} builds a submission as the kit with only the student's files laid over it, and names
 * every other file the submission changed, added or deleted. It uses only the JDK, so that the Classroom
 * workflow can run it from the pristine kit as a single source file before anything is built:
 * {@code java StudentFiles.java overlay SUBMISSION KIT} (lays the files into KIT, writes the report to
 * {@value #REPORT}).
 */
public final class StudentFiles {
    static final String SOURCES = "skeleton/src/main/java";
    /** The list in the student kit, which has no reference/ to compare with. */
    static final String LIST = "grading/student-files.txt";
    /** Where {@code main} writes the report of ignored files, in the kit it overlays. */
    static final String REPORT = "target/overlay/ignored.txt";
    /** Kit paths a submission need not have: what the Gradescope zip adds to the student kit. */
    static final List<String> NOT_IN_STUDENT_KIT = List.of("labs/src/hidden", "setup.sh", "run_autograder",
            "autograder.env");
    private static final Set<String> NEVER_COMPARED = Set.of("target", ".git", ".idea", ".vscode", ".DS_Store",
            "__MACOSX");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;");

    private final List<String> classes;

    StudentFiles(List<String> classes) {
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("no student classes: neither reference/ nor " + LIST + " lists any");
        }
        this.classes = List.copyOf(classes);
    }

    /** The student classes of a repository (from reference/) or of a kit (from its {@value #LIST}). */
    static StudentFiles of(Path repo) throws IOException {
        Path reference = repo.resolve("reference/src/main/java");
        if (!Files.isDirectory(reference)) {
            Path list = repo.resolve(LIST);
            if (!Files.exists(list)) {
                throw new IllegalArgumentException(repo + " has neither reference/ nor " + LIST);
            }
            return new StudentFiles(Files.readAllLines(list, StandardCharsets.UTF_8).stream().map(String::trim)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList());
        }
        List<String> found = new ArrayList<>();
        for (String relative : files(reference)) {
            if (relative.endsWith(".java") && Files.exists(repo.resolve(SOURCES).resolve(relative))) {
                found.add(relative);
            }
        }
        return new StudentFiles(found);
    }

    /** Paths under {@value #SOURCES} of the student classes: {@code tinykv/raft/Raft.java}. */
    List<String> classes() {
        return classes;
    }

    /** The folders under {@value #SOURCES} that hold a student class: {@code tinykv/raft}. */
    Set<String> packages() {
        Set<String> packages = new TreeSet<>();
        classes.forEach(c -> packages.add(c.substring(0, Math.max(0, c.lastIndexOf('/')))));
        return packages;
    }

    /** What to compile: every student class (the submission's or the kit's stub) and the new files let in. */
    private List<String> sources(List<String> graded) {
        Set<String> sources = new TreeSet<>();
        classes.forEach(c -> sources.add(SOURCES + "/" + c));
        sources.addAll(graded);
        return List.copyOf(sources);
    }

    private boolean isStudentClass(String path) {
        return path.startsWith(SOURCES + "/") && classes.contains(path.substring(SOURCES.length() + 1));
    }

    /** The text of {@value #LIST}. */
    String listText() {
        return "# The student classes (paths under " + SOURCES + "), written by make handout.\n"
                + "# A student may also add new files in their folders; nothing else they change is graded.\n"
                + String.join("\n", classes) + "\n";
    }

    /**
     * Whether the student owns this path of a submission (relative to its root), given the kit's copy:
     * a student class, or a new file in a student package whose package line matches its folder.
     */
    Optional<String> whyNotOwned(String path, Path file, Path kit) throws IOException {
        if (!path.startsWith(SOURCES + "/")) {
            return Optional.of("outside " + SOURCES);
        }
        if (isStudentClass(path)) {
            return Optional.empty();
        }
        String source = path.substring(SOURCES.length() + 1);
        String folder = source.substring(0, Math.max(0, source.lastIndexOf('/')));
        if (Files.exists(kit.resolve(path))) {
            return Optional.of("a provided file");
        }
        if (!packages().contains(folder) || !source.endsWith(".java")) {
            return Optional.of("not a Java file in a student package " + packages());
        }
        String declared = declaredPackage(file).orElse("");
        if (!declared.equals(folder.replace('/', '.'))) {
            return Optional.of("its package line says '" + declared + "', not " + folder.replace('/', '.'));
        }
        return Optional.empty();
    }

    /**
     * What {@link #overlay} did: the submission's files it let in, those it ignored (each with why), and the
     * sources to compile in the copy (relative to it).
     */
    record Overlay(List<String> graded, List<String> ignored, List<String> sources) {
        Overlay withIgnored(List<String> more) {
            List<String> all = new ArrayList<>(ignored);
            all.addAll(more);
            return new Overlay(graded, all, sources);
        }

        /** The notes a report starts with: the rule, then every ignored file. */
        String notes() {
            if (ignored.isEmpty()) {
                return "";
            }
            return "Only the student files are graded (the student classes and new files in their packages). "
                    + "These files of the submission were ignored; the kit's own were used:\n  "
                    + String.join("\n  ", ignored) + "\n";
        }
    }

    /**
     * Lays the student's files of a submission over {@code work}, a copy of {@code kit} whose student files
     * are reset to the kit's first (so one copy serves submission after submission). A submission is either a
     * whole tree (it has {@value #SOURCES}) or loose files, each placed by its name (a student class) or its
     * package line (a new file in a student package).
     */
    Overlay overlay(Path submission, Path kit, Path work) throws IOException {
        reset(kit, work);
        return Files.isDirectory(submission.resolve(SOURCES)) ? overlayTree(submission, kit, work)
                : overlayLoose(submission, kit, work);
    }

    private Overlay overlayTree(Path root, Path kit, Path work) throws IOException {
        List<String> graded = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (String path : files(root)) {
            Path file = root.resolve(path);
            Optional<String> why = whyNotOwned(path, file, kit);
            if (why.isEmpty()) {
                copy(file, work.resolve(path));
                graded.add(path);
            } else if (!Files.exists(kit.resolve(path))) {
                ignored.add("added: " + path + " (" + why.get() + ")");
            } else if (Files.mismatch(file, kit.resolve(path)) != -1) {
                ignored.add("changed: " + path);
            }
        }
        for (String path : files(kit)) {
            if (!Files.exists(root.resolve(path)) && NOT_IN_STUDENT_KIT.stream().noneMatch(p -> under(path, p))) {
                ignored.add(isStudentClass(path) ? "missing: " + path + " (graded with the kit's stub)"
                        : "deleted: " + path);
            }
        }
        return new Overlay(graded, ignored, sources(graded));
    }

    private Overlay overlayLoose(Path root, Path kit, Path work) throws IOException {
        List<String> graded = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (String path : files(root)) {
            Path file = root.resolve(path);
            Optional<String> placed = place(file);
            if (placed.isEmpty()) {
                ignored.add("not graded: " + path + " (not a student class, nor a new file of a student package)");
                continue;
            }
            Optional<String> why = whyNotOwned(placed.get(), file, kit);
            if (why.isPresent()) {
                ignored.add("not graded: " + path + " (as " + placed.get() + ": " + why.get() + ")");
            } else {
                copy(file, work.resolve(placed.get()));
                graded.add(placed.get());
            }
        }
        return new Overlay(graded, ignored, sources(graded));
    }

    /** Where a loose file goes: the student class of its name, else the folder of its package line. */
    private Optional<String> place(Path file) throws IOException {
        String name = file.getFileName().toString();
        if (!name.endsWith(".java")) {
            return Optional.empty();
        }
        Optional<String> declared = declaredPackage(file);
        for (String c : classes) {
            if (c.endsWith("/" + name) && declared.map(p -> c.startsWith(p.replace('.', '/') + "/")).orElse(true)) {
                return Optional.of(SOURCES + "/" + c);
            }
        }
        return declared.map(p -> SOURCES + "/" + p.replace('.', '/') + "/" + name);
    }

    /** Puts the kit's student classes back in {@code work} and removes files a previous submission added. */
    private void reset(Path kit, Path work) throws IOException {
        if (kit.toAbsolutePath().normalize().equals(work.toAbsolutePath().normalize())) {
            return;
        }
        for (String folder : packages()) {
            Path dir = work.resolve(SOURCES).resolve(folder);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String path = SOURCES + "/" + folder + "/" + file.getFileName();
                    if (!Files.exists(kit.resolve(path))) {
                        Files.delete(file);
                    }
                }
            }
        }
        for (String c : classes) {
            copy(kit.resolve(SOURCES).resolve(c), work.resolve(SOURCES).resolve(c));
        }
    }

    private static Optional<String> declaredPackage(Path file) throws IOException {
        Matcher m = PACKAGE.matcher(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    /** The regular files under a folder, relative and with '/', sorted, without build output or VCS data. */
    static List<String> files(Path root) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.filter(Files::isRegularFile).sorted().toList()) {
                Path relative = root.relativize(path);
                boolean skipped = false;
                for (Path part : relative) {
                    skipped |= NEVER_COMPARED.contains(part.toString());
                }
                if (!skipped) {
                    found.add(relative.toString().replace('\\', '/'));
                }
            }
        }
        return found;
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }

    /** {@code overlay SUBMISSION KIT}: the Classroom workflow's step before it grades KIT. */
    public static void main(String[] args) throws IOException {
        if (args.length != 3 || !args[0].equals("overlay")) {
            System.err.println("usage: java StudentFiles.java overlay SUBMISSION KIT");
            System.exit(2);
        }
        Path submission = Path.of(args[1]);
        Path kit = Path.of(args[2]);
        Overlay overlay = of(kit).overlay(submission, kit, kit);
        Path report = kit.resolve(REPORT);
        Files.createDirectories(report.getParent());
        Files.writeString(report, overlay.notes(), StandardCharsets.UTF_8);
        System.out.printf("Graded: %s%n%s", overlay.graded(), overlay.notes());
    }
}
