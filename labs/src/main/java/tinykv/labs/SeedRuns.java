package tinykv.labs;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import tinykv.sim.RunTrace;
import tinykv.sim.TraceDiff;

/**
 * {@code make <lab> RUNS=n}: runs each selected staged test over n seeds (SEED, SEED+1, ...; SEED defaults
 * to 1) in this JVM, one JUnit Platform run per seed, and lists every seed that failed with the command that
 * replays it. A test passes "on n seeds" only if it passed on each.
 *
 * <p>Driven by system properties: {@code tinykv.runs} (n), {@code tinykv.runs.tags} (the lab part's JUnit tag
 * expression), {@code tinykv.runs.test} (TEST=, optional), {@code tinykv.seed} (the first seed). Each seed
 * reaches the tests as the configuration parameter {@code tinykv.seed} of that seed's launcher request.
 */
public final class SeedRuns {
    public static final String RUNS = "tinykv.runs";
    public static final String TAGS = "tinykv.runs.tags";
    public static final String TEST = "tinykv.runs.test";
    /** {@code CHECK_DETERMINISM=1}: the first seed runs twice, and two different runs of a test fail it. */
    public static final String DETERMINISM = "tinykv.runs.determinism";
    /** The tag of the one test that runs the seeds ({@code make lab2b RUNS=n} runs only it). */
    public static final String WRAPPER_TAG = "runs";

    /** How one test fared over the seeds. */
    public record TestRecord(String name, String labPart, List<Long> failedSeeds, int runs) {}

    /** A test whose two runs of one seed differed: {@link TraceDiff}'s report of how. */
    public record Nondeterminism(String test, long seed, String report) {}

    /** The seeds of a share of a parallel run ({@link ParallelSeedRuns}): this JVM runs only these. */
    public static final String SEEDS = "tinykv.runs.seeds";
    /** {@code JOBS=m}: the seeds are shared among m JVMs. */
    public static final String JOBS = "tinykv.runs.jobs";

    private final List<Long> seeds;
    private final String tags;
    private final String tests;
    private final boolean checkDeterminism;
    private final List<Nondeterminism> nondeterministic = new ArrayList<>();

    public SeedRuns(int runs, String tags, String tests, long firstSeed) {
        this(runs, tags, tests, firstSeed, false);
    }

    public SeedRuns(int runs, String tags, String tests, long firstSeed, boolean checkDeterminism) {
        this(seeds(runs, firstSeed), tags, tests, checkDeterminism);
    }

    /** Runs exactly these seeds, in this order; the determinism check (if asked) reruns the first. */
    public SeedRuns(List<Long> seeds, String tags, String tests, boolean checkDeterminism) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("no seed to run");
        }
        this.seeds = List.copyOf(seeds);
        this.tags = tags;
        this.tests = tests;
        this.checkDeterminism = checkDeterminism;
    }

    /** SEED, SEED+1, ... : RUNS seeds from the first. */
    public static List<Long> seeds(int runs, long firstSeed) {
        if (runs < 1) {
            throw new IllegalArgumentException("RUNS must be at least 1, was " + runs);
        }
        return java.util.stream.LongStream.range(firstSeed, firstSeed + runs).boxed().toList();
    }

    public static SeedRuns fromSystemProperties() {
        String runs = System.getProperty(RUNS, "").trim();
        String share = System.getProperty(SEEDS, "").trim();
        try {
            List<Long> seeds = share.isEmpty() ? seeds(Integer.parseInt(runs), Seeds.current())
                    : java.util.Arrays.stream(share.split(",")).map(Long::parseLong).toList();
            return new SeedRuns(seeds, System.getProperty(TAGS, "").trim(), System.getProperty(TEST, "").trim(),
                    Boolean.getBoolean(DETERMINISM));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("RUNS must be a whole number, was '" + runs + "'", e);
        }
    }

    /** Runs everything; returns each test's record, by test name. */
    public Map<String, TestRecord> run() {
        Map<String, TestRecord> records = new TreeMap<>();
        String savedTest = System.getProperty(TestNameFilter.PROPERTY);
        try {
            if (!tests.isEmpty()) {
                System.setProperty(TestNameFilter.PROPERTY, tests);
            }
            for (int i = 0; i < seeds.size(); i++) {
                long seed = seeds.get(i);
                Optional<Path> traces = checkDeterminism && i == 0 ? Optional.of(traceFolder()) : Optional.empty();
                Map<String, MethodSource> ran = new TreeMap<>();
                int failed = runOneSeed(seed, records, traces, ran);
                System.out.printf("[runs] seed %d (%d of %d): %s%n", seed, i + 1, seeds.size(),
                        failed == 0 ? "all passed" : failed + " failed");
                if (traces.isPresent()) {
                    compareWithRerun(seed, traces.get(), ran);
                    deleteTree(traces.get()); // each comparison deleted its runs' files; anything left goes too
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the folder of the runs' traces", e);
        } finally {
            restore(TestNameFilter.PROPERTY, savedTest);
        }
        return records;
    }

    /**
     * Runs the seed's tests again in this JVM, with no record kept, and compares each test's two runs event by
     * event ({@link TraceDiff}, the grader's check too). Tests without a simulator record nothing and pass.
     */
    private void compareWithRerun(long seed, Path traces, Map<String, MethodSource> first) {
        runOneSeed(seed, new TreeMap<>(), Optional.of(traces), new TreeMap<>());
        for (Map.Entry<String, MethodSource> test : first.entrySet()) {
            MethodSource method = test.getValue();
            TraceDiff.compare(traces, method.getClassName(), method.getMethodName(), seed).ifPresent(report ->
                    nondeterministic.add(new Nondeterminism(method.getMethodName(), seed, report)));
        }
        System.out.printf("[runs] seed %d run again to check determinism: %s%n", seed, nondeterministic.isEmpty()
                ? "every test ran the same way" : nondeterministic.size() + " test(s) ran differently");
    }

    /** The tests whose two runs of the first seed differed ({@code CHECK_DETERMINISM=1}). */
    public List<Nondeterminism> nondeterministic() {
        return List.copyOf(nondeterministic);
    }

    /** A fresh temporary folder for the two runs' traces (each file is deleted once compared, then the folder). */
    private static Path traceFolder() {
        try {
            return Files.createTempDirectory("tinykv-determinism-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a folder for the runs' traces", e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private int runOneSeed(long seed, Map<String, TestRecord> records, Optional<Path> traces,
            Map<String, MethodSource> tests) {
        int[] failed = {0};
        int[] ran = {0};
        List<String> containerFailures = new ArrayList<>();
        java.util.Set<String> seedsSeen = new java.util.TreeSet<>();
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (!test.isTest() && result.getStatus() == TestExecutionResult.Status.FAILED) {
                    // An engine or class that failed as a whole (discovery, a @BeforeAll): its tests never ran.
                    containerFailures.add(test.getDisplayName() + ": "
                            + result.getThrowable().map(SeedRuns::firstLine).orElse("(no message)"));
                    return;
                }
                if (!test.isTest() || !(test.getSource().orElse(null) instanceof MethodSource method)) {
                    return;
                }
                ran[0]++;
                tests.put(method.getClassName() + "#" + method.getMethodName(), method);
                String labPart = test.getTags().stream().map(tag -> tag.getName())
                        .filter(tag -> tag.startsWith("lab")).sorted().findFirst().orElse("test");
                TestRecord record = records.computeIfAbsent(method.getMethodName(),
                        name -> new TestRecord(name, labPart, new ArrayList<>(), 0));
                boolean passed = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL;
                List<Long> failures = record.failedSeeds();
                if (!passed && !failures.contains(seed)) {
                    failures.add(seed);
                    failed[0]++;
                    System.out.printf("[runs] %s FAILED with seed %d: %s%n", method.getMethodName(), seed,
                            result.getThrowable().map(SeedRuns::firstLine).orElse("(no message)"));
                }
                // A parameterized test has several cases per seed: count the seed once.
                if (seedsSeen.add(record.name())) {
                    records.put(record.name(), new TestRecord(record.name(), labPart, failures, record.runs() + 1));
                }
            }
        };
        LauncherConfig config = LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build();
        LauncherDiscoveryRequestBuilder request = request().selectors(selectPackage("tinykv"))
                .filters(TagFilter.includeTags(tags)).configurationParameter(Seeds.PROPERTY, Long.toString(seed));
        traces.ifPresent(dir -> request.configurationParameter(RunTrace.DIR, dir.toString()));
        LauncherFactory.create(config).execute(request.build(), listener);
        if (!containerFailures.isEmpty() || (ran[0] == 0 && !records.isEmpty())) {
            // A seed that ran nothing has not passed: say why, and count it as failed.
            throw new IllegalStateException("seed " + seed + " ran " + ran[0] + " tests"
                    + (containerFailures.isEmpty() ? "" : "; failed as a whole: " + String.join("; ", containerFailures)));
        }
        return failed[0];
    }

    /**
     * The closing report: each test's pass count and every failing seed with its replay command, then each test
     * that ran two different ways on one seed.
     */
    public static String report(Map<String, TestRecord> records, String impl, List<Nondeterminism> nondeterministic) {
        StringBuilder report = new StringBuilder(report(records, impl));
        for (Nondeterminism case_ : nondeterministic) {
            report.append("[runs] NOT DETERMINISTIC: ").append(case_.test()).append(": ")
                    .append(case_.report().strip().replace("\n", "\n       ")).append('\n');
        }
        return report.toString();
    }

    /** The closing report: each test's pass count and every failing seed with its replay command. */
    public static String report(Map<String, TestRecord> records, String impl) {
        StringBuilder report = new StringBuilder();
        List<String> replays = new ArrayList<>();
        for (TestRecord record : records.values()) {
            int passed = record.runs() - record.failedSeeds().size();
            report.append(String.format("[runs] %-40s passed %d of %d seeds%s%n", record.name(), passed, record.runs(),
                    record.failedSeeds().isEmpty() ? "" : "; failed with seeds " + record.failedSeeds()));
            for (long seed : record.failedSeeds()) {
                replays.add(Replay.command(record.labPart(), impl, record.name(), OptionalLong.of(seed)));
            }
        }
        if (records.isEmpty()) {
            report.append("[runs] no test was selected\n");
        }
        if (!replays.isEmpty()) {
            report.append("[runs] replay a failure exactly with:\n");
            replays.forEach(command -> report.append("  ").append(command).append('\n'));
        }
        return report.toString();
    }

    private static String firstLine(Throwable failure) {
        String text = String.valueOf(failure);
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }
}
