package tinykv.grading;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import tinykv.labs.Hidden;
import tinykv.labs.Points;
import tinykv.labs.Seeded;
import tinykv.labs.Seeds;
import tinykv.labs.StagedTests;

/**
 * The grader's forked JVM. Two modes:
 * <ul>
 *   <li>{@code discover OUT TAG...}: writes one {@code TEST} line per test method carrying one of the tags;
 *   <li>{@code run PLAN OUT TIMEOUT_S}: runs the plan's tests one by one, in this JVM, writing a
 *       {@code START} line before each run and an {@code END} line with its verdict after it, flushed at
 *       once, so that whatever kills this JVM the grader knows which test was running.
 * </ul>
 */
public final class GradeMain {
    /** Caps on what one test may put in a report: its captured output, and its whole text. */
    static final int CAPTURED_OUTPUT_CAP = 3_000;
    static final int OUTPUT_CAP = 10_000;
    /** How long a thread a test started may take to end after the test before it counts as left running. */
    private static final long THREAD_GRACE_MILLIS = 300;

    private final BufferedWriter out;
    private final ExitGuard guard;
    private final Launcher launcher = StagedTests.launcher();
    private volatile String runningId;
    private volatile String runningSeed;
    private volatile long runningSince;

    private GradeMain(BufferedWriter out, ExitGuard guard) {
        this.out = out;
        this.guard = guard;
    }

    public static void main(String[] args) throws IOException {
        Path outFile = Path.of(args[1 + (args[0].equals("run") ? 1 : 0)]);
        try (BufferedWriter out = Files.newBufferedWriter(outFile, StandardCharsets.UTF_8)) {
            switch (args[0]) {
                case "discover" -> discover(out, Arrays.copyOfRange(args, 2, args.length));
                case "run" -> {
                    ExitGuard guard = ExitGuard.install();
                    GradeMain runner = new GradeMain(out, guard);
                    runner.run(Files.readAllLines(Path.of(args[1])), Long.parseLong(args[3]));
                    out.write(Lines.join("DONE"));
                    out.newLine();
                    out.flush();
                    // Halt: a thread a test left running must not keep this JVM alive.
                    halt(guard, 0);
                }
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
        }
    }

    /**
     * Ends this JVM at once, without shutdown hooks (a test's hook could hang), after writing the JaCoCo
     * agent's coverage data when it runs with one ({@code make coverage}).
     */
    private static void halt(ExitGuard guard, int status) {
        try {
            Object agent = Class.forName("org.jacoco.agent.rt.RT").getMethod("getAgent").invoke(null);
            Class.forName("org.jacoco.agent.rt.IAgent").getMethod("dump", boolean.class).invoke(agent, false);
        } catch (ReflectiveOperationException | LinkageError noAgent) {
            // Not measuring coverage.
        }
        if (guard != null) {
            guard.allowExit();
        }
        Runtime.getRuntime().halt(status);
    }

    // ---- discover

    private static void discover(BufferedWriter out, String[] tags) throws IOException {
        Set<String> wanted = Set.of(tags);
        for (StagedTests.Discovered test : StagedTests.discover(tags)) {
            String part = test.tags().stream().filter(wanted::contains).sorted().findFirst().orElseThrow();
            Class<?> testClass;
            Method method;
            try {
                testClass = Class.forName(test.className(), false, GradeMain.class.getClassLoader());
                method = findMethod(testClass, test.methodName());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("cannot load " + test.className(), e);
            }
            Points points = annotation(Points.class, method, testClass);
            out.write(Lines.join("TEST", part, test.uniqueId(), test.className(), test.methodName(),
                    test.displayName(), points == null ? 1 : points.value(),
                    annotation(Seeded.class, method, testClass) != null,
                    annotation(Hidden.class, method, testClass) != null));
            out.newLine();
        }
    }

    private static Method findMethod(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(name)) {
                    return m;
                }
            }
        }
        return null;
    }

    /** The annotation on the method, else on its class (or a superclass), else on an enclosing class. */
    private static <A extends java.lang.annotation.Annotation> A annotation(Class<A> type, Method method,
            Class<?> testClass) {
        List<AnnotatedElement> places = new ArrayList<>();
        if (method != null) {
            places.add(method);
        }
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            places.add(c);
        }
        for (AnnotatedElement place : places) {
            A found = place.getAnnotation(type);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    // ---- run

    private void run(List<String> plan, long timeoutSeconds) throws IOException {
        startWatchdog(timeoutSeconds * 1000 + 15_000);
        for (String line : plan) {
            if (line.isBlank()) {
                continue;
            }
            List<String> fields = Lines.split(line);
            runOne(fields.get(0), fields.get(1), Boolean.parseBoolean(fields.get(2)), timeoutSeconds);
        }
    }

    /** Runs one test; its captured output goes into its report only with {@code showOutput}. */
    private void runOne(String uniqueId, String seed, boolean showOutput, long timeoutSeconds) throws IOException {
        write("START", uniqueId, seed);
        Set<Thread> threadsBefore = liveThreads();
        if (guard != null) {
            guard.takeAttempt();
        }
        PrintStream realOut = System.out;
        PrintStream realErr = System.err;
        CappedOutput captured = new CappedOutput(CAPTURED_OUTPUT_CAP);
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        Collector collector = new Collector();
        long start = System.nanoTime();
        runningId = uniqueId;
        runningSeed = seed;
        runningSince = start;
        Throwable escaped = null;
        System.setOut(capture);
        System.setErr(capture);
        try {
            // The seed travels in the request (tinykv.labs.SeedParameter); "-" (not seeded) leaves the default.
            LauncherDiscoveryRequestBuilder request = request().selectors(selectUniqueId(uniqueId));
            if (!seed.equals("-")) {
                request.configurationParameter(Seeds.PROPERTY, seed);
            }
            launcher.execute(request
                    .configurationParameter("junit.jupiter.execution.timeout.default", timeoutSeconds + " s")
                    .configurationParameter("junit.jupiter.execution.timeout.thread.mode.default", "SEPARATE_THREAD")
                    .build(), collector);
        } catch (Throwable t) {
            escaped = t;
        } finally {
            System.setOut(realOut);
            System.setErr(realErr);
            runningId = null;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        Integer exitStatus = guard == null ? null : guard.takeAttempt();
        Outcome outcome = classify(collector, escaped, exitStatus);
        List<Thread> leftRunning = threadsLeftRunning(threadsBefore);
        if (outcome.verdict != Verdict.EXITED_JVM && outcome.verdict != Verdict.OUT_OF_MEMORY && !leftRunning.isEmpty()) {
            String names = leftRunning.stream().map(Thread::getName).collect(Collectors.joining(", "));
            outcome = new Outcome(Verdict.THREAD_LEFT_RUNNING,
                    "the test left non-daemon thread(s) running after it ended: " + names
                            + "\n(a lab's code must not create threads)"
                            + (outcome.detail.isEmpty() ? "" : "\n\nThe test itself: " + outcome.verdict.label()
                            + "\n" + outcome.detail));
        }
        String output = captured.text();
        String detail = outcome.detail + (output.isBlank() ? "" : showOutput ? "\n\nOutput of the test:\n" + output
                : "\n\n(The test's output is not shown here; run the test in your kit to see it.)");
        write("END", uniqueId, seed, outcome.verdict.name(), millis, Lines.cap(detail, OUTPUT_CAP));
        if (outcome.verdict == Verdict.OUT_OF_MEMORY) {
            // The heap may be in any state: end this JVM; the grader runs the rest of the part in a fresh one.
            halt(guard, 3);
        }
    }

    private record Outcome(Verdict verdict, String detail) {}

    private static Outcome classify(Collector collector, Throwable escaped, Integer exitStatus) {
        if (exitStatus != null) {
            return new Outcome(Verdict.EXITED_JVM, "the code called System.exit(" + exitStatus
                    + "); the grader blocked it. Code under test must never end the JVM.");
        }
        Throwable failure = escaped != null ? escaped : collector.firstFailure.orElse(null);
        if (failure == null) {
            if (collector.tests == 0) {
                return new Outcome(Verdict.FAILED, "the test did not run (no test case was executed"
                        + (collector.skipReason == null ? "" : ": " + collector.skipReason) + ")");
            }
            return new Outcome(Verdict.PASSED, "");
        }
        String text = describe(failure);
        if (has(failure, OutOfMemoryError.class)) {
            return new Outcome(Verdict.OUT_OF_MEMORY, "the test ran out of heap (OutOfMemoryError)\n" + text);
        }
        if (has(failure, StackOverflowError.class)) {
            return new Outcome(Verdict.STACK_OVERFLOW,
                    "the test overflowed the stack (StackOverflowError): unbounded recursion?\n" + text);
        }
        if (has(failure, java.util.concurrent.TimeoutException.class)) {
            return new Outcome(Verdict.TIMED_OUT, "the test did not end within its time limit\n" + text);
        }
        if (has(failure, ExitGuard.ExitAttempt.class)) {
            return new Outcome(Verdict.EXITED_JVM, text);
        }
        if (hasClassNamed(failure, "tinykv.Todo")) {
            return new Outcome(Verdict.NOT_IMPLEMENTED, text);
        }
        return new Outcome(Verdict.FAILED, text);
    }

    private static boolean has(Throwable failure, Class<? extends Throwable> type) {
        return find(failure, t -> type.isInstance(t), new HashSet<>());
    }

    private static boolean hasClassNamed(Throwable failure, String className) {
        return find(failure, t -> t.getClass().getName().equals(className), new HashSet<>());
    }

    private static boolean find(Throwable t, java.util.function.Predicate<Throwable> test, Set<Throwable> seen) {
        if (t == null || !seen.add(t)) {
            return false;
        }
        if (test.test(t)) {
            return true;
        }
        for (Throwable suppressed : t.getSuppressed()) {
            if (find(suppressed, test, seen)) {
                return true;
            }
        }
        return find(t.getCause(), test, seen);
    }

    /** The failure, the first frames of its stack, its causes, and the replay command riding along. */
    static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder();
        Set<Throwable> seen = new HashSet<>();
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            text.append(t == failure ? "" : "Caused by: ").append(t).append('\n');
            StackTraceElement[] stack = t.getStackTrace();
            for (int i = 0; i < Math.min(stack.length, 8); i++) {
                text.append("    at ").append(stack[i]).append('\n');
            }
            if (stack.length > 8) {
                text.append("    ... ").append(stack.length - 8).append(" more\n");
            }
        }
        for (Throwable suppressed : failure.getSuppressed()) {
            text.append(suppressed).append('\n');
        }
        return text.toString().strip();
    }

    private static Set<Thread> liveThreads() {
        return new HashSet<>(Thread.getAllStackTraces().keySet());
    }

    private static List<Thread> threadsLeftRunning(Set<Thread> before) {
        long deadline = System.currentTimeMillis() + THREAD_GRACE_MILLIS;
        List<Thread> left = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (before.contains(thread) || thread.isDaemon() || thread.getName().startsWith("junit-")) {
                continue;
            }
            try {
                thread.join(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                left.add(thread);
            }
        }
        return left;
    }

    /**
     * Ends this JVM when one test runs far past its time limit (JUnit's own timeout failed to end it, say
     * in a class initializer): the grader names the test "timed out" and runs the rest in a fresh JVM.
     */
    private void startWatchdog(long limitMillis) {
        Thread watchdog = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
                String id = runningId;
                if (id != null && (System.nanoTime() - runningSince) / 1_000_000 > limitMillis) {
                    try {
                        write("END", id, runningSeed, Verdict.TIMED_OUT.name(), limitMillis,
                                "the test did not end within " + limitMillis / 1000 + " s and could not be stopped");
                    } catch (IOException ignored) {
                        // The grader names the test from its START line anyway.
                    }
                    halt(guard, 4);
                }
            }
        }, "grader-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private synchronized void write(Object... fields) throws IOException {
        out.write(Lines.join(fields));
        out.newLine();
        out.flush();
    }

    /** Collects how the leaves of one selected test ended (all cases of a parameterized test). */
    private static final class Collector implements TestExecutionListener {
        int tests;
        Optional<Throwable> firstFailure = Optional.empty();
        String skipReason;

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (id.isTest()) {
                tests++;
            }
            if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL && firstFailure.isEmpty()) {
                Throwable t = result.getThrowable().orElse(
                        new AssertionError(id.getDisplayName() + " was " + result.getStatus()));
                String where = id.getSource().orElse(null) instanceof MethodSource ? "" : " (in class setup)";
                firstFailure = Optional.of(where.isEmpty() ? t : new AssertionError(id.getDisplayName() + where, t));
            }
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            skipReason = id.getDisplayName() + " was skipped: " + reason;
        }
    }

    /** Keeps the first {@code cap} bytes written and counts the rest. */
    private static final class CappedOutput extends OutputStream {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final int cap;
        private long dropped;

        CappedOutput(int cap) {
            this.cap = cap;
        }

        @Override
        public synchronized void write(int b) {
            if (kept.size() < cap) {
                kept.write(b);
            } else {
                dropped++;
            }
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            int room = Math.max(0, Math.min(length, cap - kept.size()));
            kept.write(bytes, offset, room);
            dropped += length - room;
        }

        synchronized String text() {
            String text = kept.toString(StandardCharsets.UTF_8);
            return dropped == 0 ? text : text + "\n... (" + dropped + " more bytes of output cut)";
        }
    }

}
