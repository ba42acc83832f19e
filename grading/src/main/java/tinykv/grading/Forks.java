package tinykv.grading;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts the grader's forked JVMs with their caps, and ends them (with any children) when a cap is hit. Each
 * fork runs in a fresh empty working directory outside the kit, so that code under test that looks around
 * its working directory finds nothing of the grader's (the kit's sources, hidden tests or reports).
 */
final class Forks {
    private Forks() {}

    /** How a fork ended: its exit status, or that it was ended at its wall-clock cap. */
    record Ended(int status, boolean timedOut) {}

    static Ended run(List<String> jvmOptions, String classpath, List<String> arguments, Path log, Duration cap)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(absolute(classpath));
        command.add(GradeMain.class.getName());
        command.addAll(arguments);
        Files.createDirectories(log.getParent());
        Path emptyDir = Files.createTempDirectory("tinykv-fork-");
        try {
            return waitFor(new ProcessBuilder(command)
                    .directory(emptyDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                    .start(), cap);
        } finally {
            try {
                Trees.deleteTree(emptyDir);
            } catch (IOException leftBehind) {
                // A temporary directory; what a killed test wrote there is harmless.
            }
        }
    }

    /** The class path with every entry absolute: the fork's working directory is not the grader's. */
    static String absolute(String classpath) {
        return java.util.Arrays.stream(classpath.split(java.io.File.pathSeparator)).filter(entry -> !entry.isBlank())
                .map(entry -> Path.of(entry).toAbsolutePath().normalize().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    private static Ended waitFor(Process process, Duration cap) throws IOException {
        try {
            if (process.waitFor(Math.max(1, cap.toMillis()), TimeUnit.MILLISECONDS)) {
                return new Ended(process.exitValue(), false);
            }
            destroyTree(process);
            return new Ended(-1, true);
        } catch (InterruptedException e) {
            destroyTree(process);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while a test JVM ran", e);
        }
    }

    private static void destroyTree(Process process) throws IOException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    /** The last lines of a log, for a report that must say why a fork failed. */
    static String tail(Path log, int maxChars) {
        try {
            String text = Files.readString(log);
            return text.length() <= maxChars ? text : "..." + text.substring(text.length() - maxChars);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
