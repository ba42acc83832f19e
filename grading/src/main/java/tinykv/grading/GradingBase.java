package tinykv.grading;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The copy of the kit that submissions are graded on: built once with the hidden tests compiled in, then
 * stripped of every test source a student's code could read (the hidden tests; the kit has no reference).
 * Per submission only the student files are compiled, with javac, ahead of the kit's stubs on the class
 * path: the tests, harness, provided classes and grader stay the built kit's.
 *
 * @param dir the copy's root
 * @param mvn the Maven command (offline, with its flags)
 */
record GradingBase(Path dir, String mvn) {
    static final String HIDDEN_TESTS = "labs/src/hidden";
    private static final Duration BUILD_CAP = Duration.ofMinutes(10);

    /** Copies the kit (and the hidden test sources) to {@code dir}, builds it once and removes the sources. */
    static GradingBase prepare(Path kit, Optional<Path> hidden, Path dir, String mvn)
            throws IOException, InterruptedException {
        Trees.deleteTree(dir);
        Trees.copyTree(kit, dir);
        if (hidden.isPresent()) {
            Trees.copyTree(hidden.get(), dir.resolve(HIDDEN_TESTS));
        }
        GradingBase base = new GradingBase(dir, mvn);
        Path log = dir.resolve("target/base-build.log");
        Files.createDirectories(log.getParent());
        System.out.println("Building the kit once for grading (log: " + log + ")...");
        if (!base.maven(log, "package", "-DskipTests", "-Dimpl=skeleton", "-pl", "grading", "-am")) {
            throw new IOException("the pristine kit does not build; see " + log + ":\n" + Forks.tail(log, 3000));
        }
        Trees.deleteTree(dir.resolve(HIDDEN_TESTS));
        for (String module : List.of("skeleton", "labs", "grading")) {
            // The compiler's record of its inputs names every hidden test source.
            Trees.deleteTree(dir.resolve(module).resolve("target/maven-status"));
        }
        return base;
    }

    /** A copy built already (the autograder's, built by its setup). */
    static GradingBase existing(Path dir, String mvn) {
        if (!Files.exists(dir.resolve("grading/target/grader.classpath"))) {
            throw new IllegalArgumentException(dir + " is not a built kit: no grading/target/grader.classpath");
        }
        return new GradingBase(dir, mvn);
    }

    /** The class path of the grader and its forks: the built kit's. */
    String classpath() throws IOException {
        return dir.resolve("grading/target/classes") + File.pathSeparator
                + Files.readString(dir.resolve("grading/target/grader.classpath")).strip();
    }

    /** The class path with a submission's compiled student files ahead of the kit's stubs. */
    String classpathWith(Path studentClasses) throws IOException {
        return studentClasses + File.pathSeparator + classpath();
    }

    /**
     * Compiles a submission's student files (paths relative to {@code root}, a lane of batch grading they were
     * laid in) against the built kit into {@code classes}, with javac's errors in {@code log}, paths relative
     * to that root.
     * Only the student files are compiled: the tests, harness and provided classes stay the kit's build.
     * A compiled class that would stand in for one of the kit's (a second top-level class in a student file,
     * named like a provided class or a test) is deleted and named in the returned list.
     */
    Compiled compile(Path root, List<String> sources, Path classes, Path log) throws IOException, InterruptedException {
        Trees.deleteTree(classes);
        Files.createDirectories(classes);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "javac")
                .toString(), "-J-Xmx256m", "--release", "17", "-encoding", "UTF-8", "-proc:none", "-nowarn",
                "-d", classes.toString(), "-cp", classpath()));
        command.addAll(sources);
        Process javac = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!javac.waitFor(BUILD_CAP.toMillis(), TimeUnit.MILLISECONDS)) {
            javac.destroyForcibly();
            Files.writeString(log, "\nthe compiler did not finish within " + BUILD_CAP.toMinutes() + " minutes\n",
                    StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            return new Compiled(false, List.of());
        }
        if (javac.exitValue() != 0) {
            return new Compiled(false, List.of());
        }
        return new Compiled(true, removeStandIns(sources, classes));
    }

    /** Whether the student files compiled, and the classes removed because the kit has them. */
    record Compiled(boolean ok, List<String> removed) {}

    private List<String> removeStandIns(List<String> sources, Path classes) throws IOException {
        Set<String> own = new HashSet<>();
        for (String source : sources) {
            String base = source.substring(StudentFiles.SOURCES.length() + 1, source.length() - ".java".length());
            own.add(base);
        }
        Set<String> kitClasses = kitClassNames();
        List<String> removed = new ArrayList<>();
        for (String file : StudentFiles.files(classes)) {
            String name = file.substring(0, file.length() - ".class".length());
            String topLevel = name.contains("$") ? name.substring(0, name.indexOf('$')) : name;
            if (!own.contains(topLevel) && kitClasses.contains(name + ".class")) {
                Files.delete(classes.resolve(file));
                removed.add(name.replace('/', '.'));
            }
        }
        return removed;
    }

    /** The class files of the kit's own jars (skeleton, harness, tests): what a student class must not replace. */
    private Set<String> kitClassNames() throws IOException {
        Set<String> names = new HashSet<>();
        for (String entry : classpath().split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (!path.toAbsolutePath().normalize().startsWith(dir) || !entry.endsWith(".jar")) {
                continue;
            }
            try (ZipFile jar = new ZipFile(path.toFile())) {
                jar.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".class")).forEach(names::add);
            }
        }
        return names;
    }

    private boolean maven(Path log, String... goals) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(Arrays.asList(mvn.trim().split("\\s+")));
        command.add("-q");
        command.addAll(Arrays.asList(goals));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(BUILD_CAP.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Files.writeString(log, "\nthe build did not finish within " + BUILD_CAP.toMinutes() + " minutes\n",
                    StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            return false;
        }
        return process.exitValue() == 0;
    }
}
