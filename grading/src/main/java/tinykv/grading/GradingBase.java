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
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The copy of the kit that submissions are graded on: built once with the hidden tests compiled in, then
 * stripped of every test source a student's code could read (the hidden tests; the kit has no reference).
 * Per submission only the skeleton module is rebuilt: the tests, harness and grader stay the built kit's.
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

    /** Rebuilds the skeleton module from scratch (no class of the last submission survives); false if it fails. */
    boolean buildSkeleton(Path log) throws IOException, InterruptedException {
        Trees.deleteTree(dir.resolve("skeleton/target/classes"));
        return maven(log, "package", "-Dmaven.test.skip=true", "-pl", "skeleton");
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
