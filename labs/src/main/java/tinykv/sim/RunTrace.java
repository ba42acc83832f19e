package tinykv.sim;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Records every event of a test's simulators to a file, so that two runs of one seed can be compared event by
 * event ({@link TraceDiff}): the grader's second run of each seeded test's first seed, and
 * {@code CHECK_DETERMINISM=1}.
 *
 * <p>Off unless the configuration parameter (or system property) {@value #DIR} names a folder; with {@value
 * #SEED} set too, only runs of that seed are recorded. A run of test method M at seed S writes {@code
 * <key>-seed<S>-run<k>.trace.gz} (one line per event of each simulator the test made, in the order they ran:
 * {@code s1 #812 [1231 ms] store 2: what it was})
 * and, when the test ends, {@code ...run<k>.fp} (each simulator's event count and fingerprint), where k is 1
 * for the first run of M at S in that folder, 2 for the second. The trace costs one compressed line per event,
 * so it is asked for only where two runs are compared.
 */
public final class RunTrace implements ExtensionContext.Store.CloseableResource {
    public static final String DIR = "tinykv.trace.dir";
    public static final String SEED = "tinykv.trace.seed";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RunTrace.class);
    /** The trace of the test running on this thread, set around each piece of its code (see {@link #use}). */
    private static final ThreadLocal<RunTrace> OF_RUNNING_TEST = new ThreadLocal<>();

    private final Path dir;
    private final String key;
    private final List<Simulator> simulators = new ArrayList<>();
    private BufferedWriter events;
    /** Which run of the test at its seed this is in the folder: 1, then 2; claimed when the first event comes. */
    private int runNumber;

    private RunTrace(Path dir, String key) {
        this.dir = dir;
        this.key = key;
    }

    /** The file name every run of a test at a seed starts with: the grader finds the runs by it. */
    public static String key(String className, String methodName, long seed) {
        String simple = className.substring(className.lastIndexOf('.') + 1).replace('$', '.');
        return simple + "." + methodName + "-seed" + seed;
    }

    /** Run k's events, one line each, compressed. */
    static Path traceFile(Path dir, String key, int k) {
        return dir.resolve(key + "-run" + k + ".trace.gz");
    }

    /** Run k's fingerprints, one line per simulator. */
    static Path fingerprintFile(Path dir, String key, int k) {
        return dir.resolve(key + "-run" + k + ".fp");
    }

    /**
     * Makes the test's trace (if this run records one) the one simulators made on this thread join, until the
     * scope closes. Called around every piece of a test's own code, with its seed ({@code SeedParameter}).
     */
    public static ThreadScope<RunTrace> use(ExtensionContext context, long seed) {
        Optional<String> dir = context.getConfigurationParameter(DIR).filter(d -> !d.isBlank());
        Optional<String> only = context.getConfigurationParameter(SEED).filter(s -> !s.isBlank());
        Optional<ExtensionContext> method = testMethod(context);
        if (dir.isEmpty() || method.isEmpty() || only.isPresent() && !only.get().trim().equals(Long.toString(seed))) {
            return ThreadScope.set(OF_RUNNING_TEST, OF_RUNNING_TEST.get()); // this run records nothing new
        }
        ExtensionContext test = method.get();
        String key = key(test.getRequiredTestClass().getName(), test.getRequiredTestMethod().getName(), seed);
        RunTrace trace = test.getStore(NAMESPACE).getOrComputeIfAbsent(key,
                k -> new RunTrace(Path.of(dir.get()), k), RunTrace.class);
        return ThreadScope.set(OF_RUNNING_TEST, trace);
    }

    /** The method's context: the test's own, or the parent of a parameterized test's case (one trace for all). */
    private static Optional<ExtensionContext> testMethod(ExtensionContext context) {
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            if (c.get().getTestMethod().isPresent() && c.get().getParent().flatMap(ExtensionContext::getTestMethod)
                    .isEmpty()) {
                return c;
            }
        }
        return Optional.empty();
    }

    /** The trace a new simulator records into, if the running test records one. */
    static Optional<RunTrace> ofRunningTest() {
        return Optional.ofNullable(OF_RUNNING_TEST.get());
    }

    /** A simulator joins the trace: its events are numbered by the order simulators joined. */
    synchronized int join(Simulator simulator) {
        simulators.add(simulator);
        return simulators.size();
    }

    synchronized void record(int simulator, EventTrace.Entry entry) {
        try {
            if (events == null) {
                events = open();
            }
            // Plain writes, no String.format: this runs for every event of a recorded run.
            events.write('s');
            events.write(Integer.toString(simulator));
            events.write(" #");
            events.write(Long.toString(entry.number()));
            events.write(" [");
            events.write(Long.toString(entry.time()));
            events.write(" ms] ");
            events.write(entry.owner());
            events.write(": ");
            events.write(entry.what());
            events.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run's trace " + traceFile(dir, key, runNumber), e);
        }
    }

    /** Claims the first free run number in the folder (run 1, then run 2) and opens its trace. */
    private BufferedWriter open() throws IOException {
        Files.createDirectories(dir);
        runNumber = 1;
        while (Files.exists(traceFile(dir, key, runNumber))) {
            runNumber++;
        }
        GZIPOutputStream gzip = new GZIPOutputStream(Files.newOutputStream(traceFile(dir, key, runNumber)), 1 << 16) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        };
        return new BufferedWriter(new OutputStreamWriter(gzip, StandardCharsets.UTF_8), 1 << 16);
    }

    /** When the test ends: the trace is closed and each simulator's fingerprint written beside it. */
    @Override
    public synchronized void close() throws IOException {
        if (events == null) {
            return; // no simulator ran an event
        }
        events.close();
        StringBuilder fingerprints = new StringBuilder();
        for (int i = 0; i < simulators.size(); i++) {
            Simulator sim = simulators.get(i);
            fingerprints.append(String.format(Locale.ROOT, "simulator %d: events=%d fingerprint=%s%n", i + 1,
                    sim.eventsProcessed(), sim.fingerprintHex()));
        }
        Files.writeString(fingerprintFile(dir, key, runNumber), fingerprints, StandardCharsets.UTF_8);
    }
}
