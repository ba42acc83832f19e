package tinykv.determinism;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The determinism rules ({@link DeterminismRules}) on the student's compiled classes: the classes directly in
 * the student packages ({@code tinykv/raft}, ...; see {@code LabPart.studentPackages}), taken from the first
 * class-path entry that holds each package (the harness's entries aside), as the JVM would load them. It reads class files only, never runs
 * them, so it is safe on any submission; and it reads only those few packages, so it costs a fraction of a
 * second.
 *
 * <p>Used before every lab run ({@code LabLauncher}, with a cache: an unchanged set of class files that passed
 * is not read again) and in every grade ({@code tinykv.grading.Grader}); {@code make test} checks the same
 * rules on every main class ({@code DeterminismTest}).
 */
public final class StudentClassRules {
    /** The command that checks the rules alone, as the messages name it. */
    public static final String CHECK_ALONE = "run `make test` to check the rules alone";

    private StudentClassRules() {}

    /** One broken rule: what the rule says, and each place that breaks it (class, method, line). */
    public record Violation(String rule, List<String> places) {
        /** The violation as every report prints it: the rule, then each place that breaks it. */
        public String text() {
            StringBuilder text = new StringBuilder("rule: ").append(rule);
            places.forEach(place -> text.append('\n').append(place));
            return text.toString();
        }
    }

    /** The rules on the classes of {@code packages} found on the class path (entries in their order). */
    public static List<Violation> check(List<Path> classpath, Collection<String> packages) {
        Set<Location> locations = new LinkedHashSet<>();
        for (String folder : new TreeSet<>(packages)) {
            firstHolding(classpath, folder).ifPresent(locations::add);
        }
        if (locations.isEmpty()) {
            return List.of();
        }
        JavaClasses classes = new ClassFileImporter().withImportOption(directlyIn(packages)).importLocations(locations);
        if (classes.isEmpty()) {
            return List.of(); // the packages hold only sub-packages there: nothing of the student's to check
        }
        List<Violation> violations = new ArrayList<>();
        for (ArchRule rule : DeterminismRules.ALL) {
            EvaluationResult result = rule.evaluate(classes);
            if (result.hasViolation()) {
                violations.add(new Violation(rule.getDescription(), result.getFailureReport().getDetails()));
            }
        }
        return violations;
    }

    /**
     * {@link #check} for the lab loop, which compiles into one directory and keeps its class files' times:
     * when the class files of the packages are those of the last clean check ({@code cache}), nothing is read
     * and the answer is "no violation". A check that finds one leaves the cache unwritten.
     */
    public static List<Violation> checkCached(Path classes, Collection<String> packages, Path cache) {
        String stamp = stamp(classes, packages);
        try {
            if (Files.isRegularFile(cache) && Files.readString(cache, StandardCharsets.UTF_8).equals(stamp)) {
                return List.of();
            }
            List<Violation> violations = check(List.of(classes), packages);
            if (violations.isEmpty()) {
                Files.createDirectories(cache.getParent());
                Files.writeString(cache, stamp, StandardCharsets.UTF_8);
            } else {
                Files.deleteIfExists(cache);
            }
            return violations;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the determinism check's cache " + cache, e);
        }
    }

    /** The class-path entries of a class-path string ({@code a.jar:dir}). */
    public static List<Path> entries(String classpath) {
        return Stream.of(classpath.split(File.pathSeparator)).filter(entry -> !entry.isBlank()).map(Path::of).toList();
    }

    /** The violations as the kit's console prints them, before any test runs. */
    public static String consoleReport(List<Violation> violations) {
        StringBuilder text = new StringBuilder("\nDeterminism rules: your code breaks " + violations.size()
                + (violations.size() == 1 ? " rule" : " rules") + "; no test ran\n");
        for (Violation violation : violations) {
            text.append("  [XX] ").append(violation.rule()).append('\n');
            violation.places().forEach(place -> text.append("       ").append(place).append('\n'));
        }
        return text.append("       Why: ").append(DeterminismRules.WHY).append(".\n       ")
                .append(CHECK_ALONE).append(".\n").toString();
    }

    /** The violations as a grade's report says them (one part's, or the whole submission's). */
    public static String gradeReport(List<Violation> violations) {
        StringBuilder text = new StringBuilder();
        for (Violation violation : violations) {
            text.append(violation.text()).append('\n');
        }
        return text.append("Why: ").append(DeterminismRules.WHY).append(".\nNone of this part's runs can be trusted")
                .append(" to replay from its seed, so the part scores 0; ").append(CHECK_ALONE).append(" (in your kit).")
                .toString();
    }

    /**
     * The package's classes as the JVM loads them: the first entry that holds the package, skipping the
     * harness's entries (the labs module and its tests, which put their own classes in the student packages,
     * such as {@code tinykv.raft.RaftTestSupport}, and may use what the rules forbid).
     */
    private static Optional<Location> firstHolding(List<Path> classpath, String folder) {
        for (Path entry : classpath) {
            if (holds(entry, HARNESS)) {
                continue;
            }
            if (Files.isDirectory(entry)) {
                Path dir = entry.resolve(folder);
                if (Files.isDirectory(dir)) {
                    return Optional.of(Location.of(dir));
                }
            } else if (Files.isRegularFile(entry) && entry.toString().endsWith(".jar") && jarHolds(entry, folder)) {
                return Optional.of(Location.of(URI.create("jar:" + entry.toUri() + "!/" + folder + "/")));
            }
        }
        return Optional.empty();
    }

    /** The harness's own package: an entry that holds it is the labs module's (main or tests), not student code. */
    private static final String HARNESS = "tinykv/labs";

    private static boolean holds(Path entry, String folder) {
        if (Files.isDirectory(entry)) {
            return Files.isDirectory(entry.resolve(folder));
        }
        return Files.isRegularFile(entry) && entry.toString().endsWith(".jar") && jarHolds(entry, folder);
    }

    private static boolean jarHolds(Path jar, String folder) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().anyMatch(e -> e.getName().startsWith(folder + "/") && e.getName().endsWith(".class"));
        } catch (IOException e) {
            return false;
        }
    }

    /** Only classes directly in one of the packages: a student package's sub-packages are provided code. */
    private static ImportOption directlyIn(Collection<String> packages) {
        return location -> {
            String uri = location.asURI().toString();
            for (String folder : packages) {
                int at = uri.lastIndexOf("/" + folder + "/");
                if (at >= 0 && uri.indexOf('/', at + folder.length() + 2) < 0) {
                    return true;
                }
            }
            return false;
        };
    }

    /** The class files of the packages in {@code classes}, each with its size and time: what the cache compares. */
    private static String stamp(Path classes, Collection<String> packages) {
        StringBuilder stamp = new StringBuilder();
        for (String folder : new TreeSet<>(packages)) {
            Path dir = classes.resolve(folder);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                    stamp.append(classes.relativize(file)).append(' ').append(Files.size(file)).append(' ')
                            .append(Files.getLastModifiedTime(file).toMillis()).append('\n');
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir, e);
            }
        }
        return stamp.toString();
    }
}
