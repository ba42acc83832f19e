package tinykv.loop;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fast path of {@code make lab2aa} and the other lab targets: brings the classes up to date with the
 * sources (incrementally, in this JVM) and runs the lab's tests in this JVM, with the console of
 * {@code mvn surefire:test}. Maven stays the build of record; this uses it only for protoc and the class
 * path of jars ({@link MavenBase}), and reads nothing of the kit's own from {@code ~/.m2}.
 *
 * <p>Four units, compiled in this order, each into its own directory under {@code target/loop}: the
 * protobuf classes (shared by both implementations), the student's code base (the skeleton, or for
 * {@code --impl reference} the skeleton with {@code reference/src/main/java} laid over it), the labs harness,
 * and the staged tests (with the hidden ones where they exist). See {@link Unit} for what is recompiled.
 *
 * <p>Usage: {@code LabLoop --impl skeleton|reference --tags EXPR --mvn "mvn ..." [--fail-if-no-tests]}, run
 * from the repository's root; the JVM's system properties (tinykv.test, tinykv.seed, ...) reach the tests.
 * Exit status: the tests' (0 all passed, 1 otherwise), 1 on a compile error, Maven's if Maven failed.
 */
public final class LabLoop {
    private LabLoop() {}

    public static void main(String[] args) throws Exception {
        String impl = option(args, "--impl", "skeleton");
        String tags = option(args, "--tags", null);
        String mvn = option(args, "--mvn", "mvn");
        boolean failIfNoTests = List.of(args).contains("--fail-if-no-tests");
        if (!impl.equals("skeleton") && !impl.equals("reference")) {
            throw new IllegalArgumentException("--impl must be skeleton or reference, was '" + impl + "'");
        }
        Path repo = Path.of("").toAbsolutePath();
        Path loop = repo.resolve("target/loop");
        Files.createDirectories(loop.resolve(impl));
        List<Path> runtime;
        Path testClasses;
        Layout layout;
        // One build at a time per checkout (the protobuf unit is shared); each implementation's tests run alone.
        try (FileChannel implLock = FileChannel.open(loop.resolve(impl + ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock heldForRun = implLock.lock()) {
            try (FileChannel buildLock = FileChannel.open(loop.resolve("build.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock held = buildLock.lock()) {
                layout = build(repo, loop, impl, mvn);
                runtime = layout.runtimeClasspath();
                testClasses = layout.tests.output();
            } catch (CompileFailure failure) {
                failure.print(System.out);
                System.exit(1);
                return;
            } catch (MavenBase.BuildFailure failure) {
                System.exit(failure.status);
                return;
            }
            System.setProperty("tinykv.impl", impl);
            // The launcher checks the determinism rules on the student's classes here before any test runs.
            System.setProperty("tinykv.student.classes", layout.main.output().toString());
            if (System.getProperty("tinykv.seed") == null) {
                System.setProperty("tinykv.seed", "1");
            }
            Timer timer = new Timer();
            int status = runTests(runtime, testClasses, tags, failIfNoTests);
            timer.lap("tests");
            System.exit(status);
        }
    }

    private static Layout build(Path repo, Path loop, String impl, String mvn)
            throws IOException, InterruptedException, CompileFailure, MavenBase.BuildFailure {
        Timer timer = new Timer();
        MavenBase maven = new MavenBase(repo, loop);
        String key = maven.ensure(mvn);
        timer.lap("maven");
        Layout layout = new Layout(repo, loop, impl, maven);
        Javac javac = new Javac(release(repo));
        for (Unit unit : List.of(layout.protos, layout.main, layout.labs, layout.tests)) {
            key = unit.build(javac, key);
            timer.lap(unit.name());
        }
        return layout;
    }

    /** The tests run in a class loader of their own, over the units' outputs and the jars, as Surefire's fork would. */
    private static int runTests(List<Path> classpath, Path testClasses, String tags, boolean failIfNoTests)
            throws Exception {
        List<URL> urls = new ArrayList<>();
        for (Path entry : classpath) {
            urls.add(entry.toUri().toURL());
        }
        URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        Thread.currentThread().setContextClassLoader(loader);
        String reports = Path.of("labs/target/surefire-reports").toAbsolutePath().toString();
        String[] arguments = failIfNoTests
                ? new String[] {testClasses.toString(), tags, reports, "--fail-if-no-tests"}
                : new String[] {testClasses.toString(), tags, reports};
        try {
            return (int) loader.loadClass("tinykv.labs.LabLauncher").getMethod("run", String[].class)
                    .invoke(null, (Object) arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** The Java release the parent pom compiles for ({@code maven.compiler.release}), so both builds agree. */
    private static String release(Path repo) throws IOException {
        Matcher m = Pattern.compile("<maven\\.compiler\\.release>\\s*(\\d+)\\s*</maven\\.compiler\\.release>")
                .matcher(Files.readString(repo.resolve("pom.xml")));
        if (!m.find()) {
            throw new IllegalStateException("pom.xml sets no <maven.compiler.release>");
        }
        return m.group(1);
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        if (fallback == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return fallback;
    }

    /** With {@code -Dtinykv.loop.timing=true}, how long each step took, on standard error. */
    private static final class Timer {
        private final boolean on = Boolean.getBoolean("tinykv.loop.timing");
        private long last = System.nanoTime();

        void lap(String step) {
            long now = System.nanoTime();
            if (on) {
                System.err.printf("[loop] %s: %d ms%n", step, (now - last) / 1_000_000);
            }
            last = now;
        }
    }

    /** Where each unit's sources are and what it compiles against, for one implementation. */
    private static final class Layout {
        final Unit protos;
        final Unit main;
        final Unit labs;
        final Unit tests;
        private final Path repo;
        private final List<Path> labsJars;

        Layout(Path repo, Path loop, String impl, MavenBase maven) {
            this.repo = repo;
            this.labsJars = maven.labsJars();
            Path implDir = loop.resolve(impl);
            protos = new Unit("protos", List.of(maven.generatedProtos()), loop.resolve("protos/classes"),
                    maven.skeletonJars(), true);
            List<Path> mainRoots = new ArrayList<>(List.of(repo.resolve("skeleton/src/main/java")));
            if (impl.equals("reference")) {
                mainRoots.add(repo.resolve("reference/src/main/java"));
            }
            main = new Unit(impl, mainRoots, implDir.resolve("classes"), with(maven.skeletonJars(), protos.output()));
            labs = new Unit("labs", List.of(repo.resolve("labs/src/main/java")), implDir.resolve("labs-classes"),
                    with(labsJars, main.output(), protos.output()));
            tests = new Unit("labs tests", List.of(repo.resolve("labs/src/test/java"), repo.resolve("labs/src/hidden/java")),
                    implDir.resolve("test-classes"), with(labsJars, labs.output(), main.output(), protos.output()));
        }

        /** Surefire's order: test classes, main classes (each with its resources), then the jars. */
        List<Path> runtimeClasspath() {
            List<Path> entries = new ArrayList<>(List.of(tests.output(), repo.resolve("labs/src/test/resources"),
                    labs.output(), repo.resolve("labs/src/main/resources"), main.output(),
                    repo.resolve("skeleton/src/main/resources"), protos.output()));
            entries.removeIf(entry -> !Files.exists(entry));
            entries.addAll(labsJars);
            return entries;
        }

        private static List<Path> with(List<Path> jars, Path... directories) {
            List<Path> all = new ArrayList<>(List.of(directories));
            all.addAll(jars);
            return all;
        }
    }
}
