package tinykv.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Draws the timeline of every cluster run of a failing test, and names its file in the failure, right under
 * the replay command: {@code labs/target/timelines/<test>-seed<seed>.html}. With {@code -Dtinykv.timeline=1}
 * ({@code make lab2b TIMELINE=1}) passing runs get theirs too. Registered for every test through
 * {@code META-INF/services}, after {@code ReplayOnFailure}.
 */
public final class TimelineOnFailure implements BeforeEachCallback, TestExecutionExceptionHandler, AfterEachCallback {
    public static final String PROPERTY = "tinykv.timeline";

    @Override
    public void beforeEach(ExtensionContext context) {
        Recordings.takeAll(); // runs recorded outside a test (or by one that ended abruptly) are not this test's
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        List<Path> written = write(context, Recordings.takeAll());
        for (Path path : written) {
            failure.addSuppressed(new TimelineNote(path));
        }
        throw failure;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<RunRecord> runs = Recordings.takeAll();
        if (isOn(System.getProperty(PROPERTY)) && context.getExecutionException().isEmpty()) {
            for (Path path : write(context, runs)) {
                System.out.println("Timeline of this run: " + path);
            }
        }
    }

    static boolean isOn(String value) {
        return value != null && !value.isBlank() && !value.equals("0") && !value.equalsIgnoreCase("false");
    }

    private static List<Path> write(ExtensionContext context, List<RunRecord> runs) {
        if (runs.isEmpty()) {
            return List.of(); // not a cluster test: nothing to draw, and no folder to make
        }
        String test = context.getTestMethod().map(java.lang.reflect.Method::getName).orElse("test");
        Path dir = timelineDirectory();
        try {
            Files.createDirectories(dir);
            java.util.ArrayList<Path> paths = new java.util.ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                RunRecord run = runs.get(i);
                String name = test + "-seed" + run.seed() + (i == 0 ? "" : "-" + (i + 1)) + ".html";
                Path path = dir.resolve(name).toAbsolutePath().normalize();
                Files.writeString(path, TimelineHtml.render(test, run));
                paths.add(path);
            }
            return paths;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the timeline under " + dir, e);
        }
    }

    /** {@code labs/target/timelines}, from the repository's root (make) or from the labs module (Maven, the IDE). */
    static Path timelineDirectory() {
        Path labs = Files.isDirectory(Path.of("labs", "src")) ? Path.of("labs") : Path.of("");
        return labs.resolve("target").resolve("timelines");
    }

    /** Names the timeline under the failure; no stack trace of its own. */
    static final class TimelineNote extends RuntimeException {
        TimelineNote(Path path) {
            super("Timeline of this run (open it in a browser): " + path, null, false, false);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
