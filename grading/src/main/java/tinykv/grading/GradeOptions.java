package tinykv.grading;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import tinykv.labs.LabPart;

/**
 * What one grading run does. Every field has a command-line flag ({@link #parse}) and a make variable.
 *
 * @param impl         skeleton or reference: named in replay commands
 * @param labs         the lab parts to grade, or empty for every part present (LAB=2b, LAB=2a)
 * @param seeds        how many seeds each {@code @Seeded} test runs over (SEEDS)
 * @param salt         what the seeds are drawn from (SALT): change it to draw other seeds
 * @param out          where the reports go (target/grade)
 * @param heap         the heap cap of each forked JVM, in -Xmx form (HEAP)
 * @param partTimeout  the wall-clock budget of one lab part, over all its forks (PART_TIMEOUT, seconds)
 * @param testTimeout  the wall-clock limit of one test run, JUnit's timeout inside the fork (TEST_TIMEOUT)
 * @param budget       the wall-clock budget of the whole grade; parts not reached in it are not run (BUDGET)
 * @param requireFull  exit non-zero below full marks (REQUIRE_FULL=1)
 * @param tags         the JUnit tags that are lab parts: every {@link LabPart} unless a test says otherwise
 * @param compileError a compiler log: the submission did not compile, every test gets that verdict
 * @param coverage     attach each part's line coverage of the student classes (needs the JaCoCo agent)
 * @param forStudents  the report goes to students before the due date (batch grading, Gradescope): visible
 *                     tests carry no captured output, and the summary counts only visible tests
 * @param jobs         how many lab parts are graded at once, each in its own forks (JOBS; default: one per
 *                     core, as many as the memory holds; 0 in {@link #defaults()} until a build decides); batch
 *                     grading shares them among the submissions it grades at once ({@link #withJobs})
 */
public record GradeOptions(String impl, List<LabPart> labs, int seeds, String salt, Path out, String heap,
        Duration partTimeout, Duration testTimeout, Duration budget, boolean requireFull, List<String> tags,
        Optional<Path> compileError, boolean coverage, boolean forStudents, int jobs) {

    public static final String DEFAULT_SALT = "tinykv-labs";

    public static GradeOptions defaults() {
        return new GradeOptions("skeleton", List.of(), 3, DEFAULT_SALT, Path.of("target", "grade"), "1g",
                Duration.ofMinutes(20), Duration.ofSeconds(60), Duration.ofHours(3), false, List.of(LabPart.allTags()),
                Optional.empty(), false, false, 0);
    }

    /**
     * Flags: --impl --lab --seeds --salt --out --heap --part-timeout --test-timeout --budget (seconds) --jobs
     * --tags, --compile-error FILE, and the switches --require-full --coverage --for-students. A flag given
     * an empty value keeps its default, so make can pass every variable whether set or not.
     */
    public static GradeOptions parse(String... args) {
        Builder o = new Builder(defaults());
        List<String> a = new ArrayList<>(Arrays.asList(args));
        while (!a.isEmpty()) {
            String flag = a.remove(0);
            switch (flag) {
                case "--require-full" -> o.requireFull = true;
                case "--coverage" -> o.coverage = true;
                case "--for-students" -> o.forStudents = true;
                default -> {
                    if (a.isEmpty()) {
                        throw new IllegalArgumentException(flag + " needs a value");
                    }
                    String v = a.remove(0).trim();
                    if (!v.isEmpty()) {
                        o.set(flag, v);
                    }
                }
            }
        }
        return o.build();
    }

    public GradeOptions withOut(Path out) {
        Builder b = new Builder(this);
        b.out = out;
        return b.build();
    }

    public GradeOptions withCompileError(Path log) {
        Builder b = new Builder(this);
        b.compileError = Optional.of(log);
        return b.build();
    }

    /** The same grade with {@code jobs} parts at once (batch grading shares JOBS among the submissions at once). */
    public GradeOptions withJobs(int jobs) {
        Builder b = new Builder(this);
        b.jobs = jobs;
        return b.build();
    }

    public GradeOptions withBudget(Duration budget) {
        Builder b = new Builder(this);
        b.budget = budget;
        return b.build();
    }

    /** The record's fields, settable one at a time while flags are read. */
    private static final class Builder {
        String impl;
        List<LabPart> labs;
        int seeds;
        String salt;
        Path out;
        String heap;
        Duration partTimeout;
        Duration testTimeout;
        Duration budget;
        boolean requireFull;
        List<String> tags;
        Optional<Path> compileError;
        boolean coverage;
        boolean forStudents;
        int jobs;

        Builder(GradeOptions o) {
            impl = o.impl;
            labs = o.labs;
            seeds = o.seeds;
            salt = o.salt;
            out = o.out;
            heap = o.heap;
            partTimeout = o.partTimeout;
            testTimeout = o.testTimeout;
            budget = o.budget;
            requireFull = o.requireFull;
            tags = o.tags;
            compileError = o.compileError;
            coverage = o.coverage;
            forStudents = o.forStudents;
            jobs = o.jobs;
        }

        void set(String flag, String v) {
            switch (flag) {
                case "--impl" -> impl = v;
                case "--lab" -> labs = LabPart.select(v);
                case "--seeds" -> seeds = positive(flag, v);
                case "--salt" -> salt = v;
                case "--out" -> out = Path.of(v);
                case "--heap" -> heap = heap(v);
                case "--part-timeout" -> partTimeout = Duration.ofSeconds(positive(flag, v));
                case "--test-timeout" -> testTimeout = Duration.ofSeconds(positive(flag, v));
                case "--budget" -> budget = Duration.ofSeconds(positive(flag, v));
                case "--tags" -> tags = List.of(v.split(","));
                case "--compile-error" -> compileError = Optional.of(Path.of(v));
                case "--jobs" -> jobs = positive(flag, v);
                default -> throw new IllegalArgumentException("unknown flag " + flag);
            }
        }

        GradeOptions build() {
            if (jobs == 0) { // not given: one per core, as many as fit
                jobs = Math.min(Runtime.getRuntime().availableProcessors(),
                        JobsFit.fitting(heap, JobsFit.physicalMemory()));
            } else {
                JobsFit.check(jobs, heap);
            }
            return new GradeOptions(impl, labs, seeds, salt, out, heap, partTimeout, testTimeout, budget, requireFull,
                    tags, compileError, coverage, forStudents, jobs);
        }
    }

    private static String heap(String value) {
        if (!value.toLowerCase(Locale.ROOT).matches("[1-9][0-9]*[kmg]")) {
            throw new IllegalArgumentException("--heap must be a size such as 512m or 1g, was '" + value + "'");
        }
        return value;
    }

    private static int positive(String flag, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // Reported below.
        }
        throw new IllegalArgumentException(flag + " must be a positive whole number, was '" + value + "'");
    }

    /**
     * The seeds a {@code @Seeded} test runs over: drawn from the salt, the same for every test and every
     * submission, so a grade is reproducible and a failing seed replays with {@code make ... SEED=n}.
     */
    public List<Long> seedList() {
        SplittableRandom random = new SplittableRandom(stableHash(salt));
        List<Long> drawn = new ArrayList<>();
        while (drawn.size() < seeds) {
            long seed = 1 + random.nextInt(999_999);
            if (!drawn.contains(seed)) {
                drawn.add(seed);
            }
        }
        return drawn;
    }

    private static long stableHash(String text) {
        long hash = 1125899906842597L;
        for (int i = 0; i < text.length(); i++) {
            hash = 31 * hash + text.charAt(i);
        }
        return hash;
    }
}
