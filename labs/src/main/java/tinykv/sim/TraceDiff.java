package tinykv.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Compares two recorded runs of one test at one seed ({@link RunTrace}) and says how they differ: both runs'
 * fingerprints, and the first event where the two traces part, after the last events they share. The one
 * report of a nondeterministic run, for the grader (every seeded test's first seed runs twice) and for
 * {@code make lab2b CHECK_DETERMINISM=1}.
 */
public final class TraceDiff {
    /** The verdict's words, the first line of every report. */
    public static final String NOT_DETERMINISTIC = "not deterministic: the same seed gave two different runs";
    /** How many shared events are shown before the one where the runs part. */
    private static final int SHARED_SHOWN = 4;

    private TraceDiff() {}

    /**
     * Runs 1 and 2 of the test at the seed in {@code dir}: the report if they differ, empty if they are the
     * same or if neither recorded an event. The trace files are deleted either way.
     */
    public static Optional<String> compare(Path dir, String className, String methodName, long seed) {
        String key = RunTrace.key(className, methodName, seed);
        try {
            String first = fingerprints(RunTrace.fingerprintFile(dir, key, 1));
            String second = fingerprints(RunTrace.fingerprintFile(dir, key, 2));
            if (first.equals(second)) {
                return Optional.empty();
            }
            StringBuilder report = new StringBuilder(NOT_DETERMINISTIC).append(" (seed ").append(seed).append(")\n");
            report.append("  first run:  ").append(first.strip().replace("\n", "\n              ")).append('\n');
            report.append("  second run: ").append(second.strip().replace("\n", "\n              ")).append('\n');
            report.append(partingEvent(RunTrace.traceFile(dir, key, 1), RunTrace.traceFile(dir, key, 2)));
            return Optional.of(report.append(ADVICE).toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compare the two runs of " + key + " in " + dir, e);
        } finally {
            discard(dir, className, methodName, seed);
        }
    }

    /** Deletes the two runs' files without comparing them (a run that crashed or timed out says nothing). */
    public static void discard(Path dir, String className, String methodName, long seed) {
        String key = RunTrace.key(className, methodName, seed);
        for (int k = 1; k <= 2; k++) {
            deleteQuietly(RunTrace.traceFile(dir, key, k));
            deleteQuietly(RunTrace.fingerprintFile(dir, key, k));
        }
    }

    /** What to do about it, the report's last lines. */
    public static final String ADVICE = "  Your code reads something besides its inputs: the order of a HashMap or HashSet of"
            + " objects that hash by identity,\n  a static field that outlives one run, the clock, a Random of its own."
            + " Look at what your code does just before\n  that event; LOG_LEVEL=debug shows it.";

    private static String fingerprints(Path file) throws IOException {
        return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "(no event ran)\n";
    }

    /** The first line where the traces differ, with the shared lines just before it. */
    private static String partingEvent(Path firstTrace, Path secondTrace) throws IOException {
        if (!Files.isRegularFile(firstTrace) || !Files.isRegularFile(secondTrace)) {
            return "  Only one of the two runs ran any event.\n";
        }
        try (BufferedReader first = reader(firstTrace); BufferedReader second = reader(secondTrace)) {
            Deque<String> shared = new ArrayDeque<>();
            while (true) {
                String a = readLine(first);
                String b = readLine(second);
                if (a == null && b == null) {
                    // Same events, different fingerprints: the test ended in a different state of a simulator.
                    return "  The two traces hold the same events; the runs differ only in what the fingerprints saw.\n";
                }
                if (a == null || !a.equals(b)) {
                    StringBuilder text = new StringBuilder("  The two traces part here (s1 is the test's first"
                            + " simulator, #n its n-th event, [t ms] its virtual time):\n");
                    shared.forEach(line -> text.append("    both:   ").append(line).append('\n'));
                    text.append("    first:  ").append(a == null ? "(the run ended here)" : a).append('\n');
                    text.append("    second: ").append(b == null ? "(the run ended here)" : b).append('\n');
                    return text.toString();
                }
                shared.addLast(a);
                if (shared.size() > SHARED_SHOWN) {
                    shared.removeFirst();
                }
            }
        }
    }

    /** The next line, or null at the end, also where a trace ends early (its run was cut off mid-write). */
    private static String readLine(BufferedReader trace) throws IOException {
        try {
            return trace.readLine();
        } catch (java.io.EOFException | java.util.zip.ZipException cutOff) {
            return null;
        }
    }

    private static BufferedReader reader(Path gz) throws IOException {
        return new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(gz), 1 << 16),
                StandardCharsets.UTF_8), 1 << 16);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Left for the grader's clean-up of its work folder.
        }
    }
}
