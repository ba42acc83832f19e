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
 * @param lab          one lab part ({@code 2b} or {@code lab2b}), or empty for every part present
 * @param seeds        how many seeds each {@code @Seeded} test runs over (SEEDS)
 * @param salt         what the seeds are drawn from (SALT): change it to draw other seeds
 * @param out          where the reports go (target/grade)
 * @param heap         the heap cap of each forked JVM, in -Xmx form
 * @param partTimeout  the wall-clock budget of one lab part, over all its forks
 * @param testTimeout  the wall-clock limit of one test run (JUnit's timeout inside the fork)
 * @param requireFull  exit non-zero below full marks (REQUIRE_FULL=1)
 * @param tags         the JUnit tags that are lab parts: every {@link LabPart} unless a test says otherwise
 * @param compileError a compiler log: the submission did not compile, every test gets that verdict
 * @param coverage     attach each part's line coverage of the student classes (needs the JaCoCo agent)
 */
public record GradeOptions(String impl, Optional<String> lab, int seeds, String salt, Path out, String heap,
        Duration partTimeout, Duration testTimeout, boolean requireFull, List<String> tags,
        Optional<Path> compileError, boolean coverage) {

    public static final String DEFAULT_SALT = "tinykv-labs";

    public static GradeOptions defaults() {
        return new GradeOptions("skeleton", Optional.empty(), 3, DEFAULT_SALT, Path.of("target", "grade"), "1g",
                Duration.ofMinutes(20), Duration.ofSeconds(60), false, List.of(LabPart.allTags()),
                Optional.empty(), false);
    }

    /** Flags: --impl --lab --seeds --salt --out --heap --part-timeout --test-timeout --require-full --tags --compile-error --coverage. */
    public static GradeOptions parse(String... args) {
        GradeOptions o = defaults();
        List<String> a = new ArrayList<>(Arrays.asList(args));
        while (!a.isEmpty()) {
            String flag = a.remove(0);
            if (flag.equals("--require-full")) {
                o = o.with(o.impl, o.lab, o.seeds, o.salt, o.out, o.heap, o.partTimeout, o.testTimeout, true, o.tags,
                        o.compileError, o.coverage);
                continue;
            }
            if (flag.equals("--coverage")) {
                o = o.with(o.impl, o.lab, o.seeds, o.salt, o.out, o.heap, o.partTimeout, o.testTimeout, o.requireFull,
                        o.tags, o.compileError, true);
                continue;
            }
            if (a.isEmpty()) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String v = a.remove(0).trim();
            o = switch (flag) {
                case "--impl" -> o.with(v, o.lab, o.seeds, o.salt, o.out, o.heap, o.partTimeout, o.testTimeout,
                        o.requireFull, o.tags, o.compileError, o.coverage);
                case "--lab" -> o.with(o.impl, v.isEmpty() ? Optional.empty() : Optional.of(partTag(v)), o.seeds,
                        o.salt, o.out, o.heap, o.partTimeout, o.testTimeout, o.requireFull, o.tags, o.compileError,
                        o.coverage);
                case "--seeds" -> o.with(o.impl, o.lab, positive(flag, v), o.salt, o.out, o.heap, o.partTimeout,
                        o.testTimeout, o.requireFull, o.tags, o.compileError, o.coverage);
                case "--salt" -> o.with(o.impl, o.lab, o.seeds, v.isEmpty() ? DEFAULT_SALT : v, o.out, o.heap,
                        o.partTimeout, o.testTimeout, o.requireFull, o.tags, o.compileError, o.coverage);
                case "--out" -> o.with(o.impl, o.lab, o.seeds, o.salt, Path.of(v), o.heap, o.partTimeout,
                        o.testTimeout, o.requireFull, o.tags, o.compileError, o.coverage);
                case "--heap" -> o.with(o.impl, o.lab, o.seeds, o.salt, o.out, v, o.partTimeout, o.testTimeout,
                        o.requireFull, o.tags, o.compileError, o.coverage);
                case "--part-timeout" -> o.with(o.impl, o.lab, o.seeds, o.salt, o.out, o.heap,
                        Duration.ofSeconds(positive(flag, v)), o.testTimeout, o.requireFull, o.tags, o.compileError,
                        o.coverage);
                case "--test-timeout" -> o.with(o.impl, o.lab, o.seeds, o.salt, o.out, o.heap, o.partTimeout,
                        Duration.ofSeconds(positive(flag, v)), o.requireFull, o.tags, o.compileError, o.coverage);
                case "--tags" -> o.with(o.impl, o.lab, o.seeds, o.salt, o.out, o.heap, o.partTimeout, o.testTimeout,
                        o.requireFull, List.of(v.split(",")), o.compileError, o.coverage);
                case "--compile-error" -> o.with(o.impl, o.lab, o.seeds, o.salt, o.out, o.heap, o.partTimeout,
                        o.testTimeout, o.requireFull, o.tags, Optional.of(Path.of(v)), o.coverage);
                default -> throw new IllegalArgumentException("unknown flag " + flag);
            };
        }
        return o;
    }

    private GradeOptions with(String impl, Optional<String> lab, int seeds, String salt, Path out, String heap,
            Duration partTimeout, Duration testTimeout, boolean requireFull, List<String> tags,
            Optional<Path> compileError, boolean coverage) {
        return new GradeOptions(impl, lab, seeds, salt, out, heap, partTimeout, testTimeout, requireFull, tags,
                compileError, coverage);
    }

    public GradeOptions withOut(Path out) {
        return with(impl, lab, seeds, salt, out, heap, partTimeout, testTimeout, requireFull, tags, compileError,
                coverage);
    }

    public GradeOptions withCompileError(Path log) {
        return with(impl, lab, seeds, salt, out, heap, partTimeout, testTimeout, requireFull, tags,
                Optional.of(log), coverage);
    }

    /** {@code 2b}, {@code 2B} and {@code lab2b} all name the tag {@code lab2b}. */
    static String partTag(String lab) {
        String lower = lab.toLowerCase(Locale.ROOT);
        return lower.startsWith("lab") ? lower : "lab" + lower;
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
