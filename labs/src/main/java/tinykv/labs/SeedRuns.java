package tinykv.labs;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * {@code make <lab> RUNS=n}: runs each selected staged test over n seeds (SEED, SEED+1, ...; SEED defaults
 * to 1) in this JVM, one JUnit Platform run per seed, and lists every seed that failed with the command that
 * replays it. A test passes "on n seeds" only if it passed on each.
 *
 * <p>Driven by system properties: {@code tinykv.runs} (n), {@code tinykv.runs.tags} (the lab part's JUnit tag
 * expression), {@code tinykv.runs.test} (TEST=, optional), {@code tinykv.seed} (the first seed).
 */
public final class SeedRuns {
    public static final String RUNS = "tinykv.runs";
    public static final String TAGS = "tinykv.runs.tags";
    public static final String TEST = "tinykv.runs.test";
    /** The tag of the one test that runs the seeds ({@code make lab2b RUNS=n} runs only it). */
    public static final String WRAPPER_TAG = "runs";

    /** How one test fared over the seeds. */
    public record TestRecord(String name, String labPart, List<Long> failedSeeds, int runs) {}

    private final int runs;
    private final String tags;
    private final String tests;
    private final long firstSeed;

    public SeedRuns(int runs, String tags, String tests, long firstSeed) {
        if (runs < 1) {
            throw new IllegalArgumentException("RUNS must be at least 1, was " + runs);
        }
        this.runs = runs;
        this.tags = tags;
        this.tests = tests;
        this.firstSeed = firstSeed;
    }

    public static SeedRuns fromSystemProperties() {
        String runs = System.getProperty(RUNS, "").trim();
        try {
            return new SeedRuns(Integer.parseInt(runs), System.getProperty(TAGS, "").trim(),
                    System.getProperty(TEST, "").trim(), Seeds.current());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("RUNS must be a whole number, was '" + runs + "'", e);
        }
    }

    /** Runs everything; returns each test's record, by test name. */
    public Map<String, TestRecord> run() {
        Map<String, TestRecord> records = new TreeMap<>();
        String savedSeed = System.getProperty(Seeds.PROPERTY);
        String savedTest = System.getProperty(TestNameFilter.PROPERTY);
        try {
            if (!tests.isEmpty()) {
                System.setProperty(TestNameFilter.PROPERTY, tests);
            }
            for (int i = 0; i < runs; i++) {
                long seed = firstSeed + i;
                System.setProperty(Seeds.PROPERTY, Long.toString(seed));
                int failed = runOneSeed(seed, records);
                System.out.printf("[runs] seed %d (%d of %d): %s%n", seed, i + 1, runs,
                        failed == 0 ? "all passed" : failed + " failed");
            }
        } finally {
            restore(Seeds.PROPERTY, savedSeed);
            restore(TestNameFilter.PROPERTY, savedTest);
        }
        return records;
    }

    private int runOneSeed(long seed, Map<String, TestRecord> records) {
        int[] failed = {0};
        java.util.Set<String> seedsSeen = new java.util.TreeSet<>();
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (!test.isTest() || !(test.getSource().orElse(null) instanceof MethodSource method)) {
                    return;
                }
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
        LauncherFactory.create(config).execute(request().selectors(selectPackage("tinykv"))
                .filters(TagFilter.includeTags(tags)).build(), listener);
        return failed[0];
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
                replays.add("make " + record.labPart() + ("reference".equals(impl) ? " IMPL=reference" : "")
                        + " TEST=" + record.name() + " SEED=" + seed);
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
