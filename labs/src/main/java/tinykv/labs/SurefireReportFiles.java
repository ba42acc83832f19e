package tinykv.labs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One text report per test class in {@code labs/target/surefire-reports}, as Surefire writes it
 * ({@code <class>.txt}: the counts, then each failure with its stack trace), so that the handouts' "the full
 * output of each test class lands in labs/target/surefire-reports" holds for the lab targets too.
 */
final class SurefireReportFiles {
    private static final String RULE = "-------------------------------------------------------------------------------";

    private final Path directory;

    SurefireReportFiles(Path directory) {
        this.directory = directory;
    }

    /** Starts the report of a test class with Surefire's header and counts. */
    static StringBuilder header(String className, int run, long failures, long errors, long skipped, String elapsed) {
        StringBuilder text = new StringBuilder();
        text.append(RULE).append('\n').append("Test set: ").append(className).append('\n').append(RULE).append('\n');
        text.append("Tests run: ").append(run).append(", Failures: ").append(failures).append(", Errors: ").append(errors)
                .append(", Skipped: ").append(skipped).append(", Time elapsed: ").append(elapsed)
                .append(failures + errors > 0 ? " <<< FAILURE!" : "").append(" -- in ").append(className).append('\n');
        return text;
    }

    /** Adds one failed test: its name, its time and its stack trace. */
    static void failure(StringBuilder text, String name, String elapsed, boolean assertion, String trace) {
        text.append(name).append(" -- Time elapsed: ").append(elapsed).append(assertion ? " <<< FAILURE!" : " <<< ERROR!")
                .append('\n').append(trace).append('\n');
    }

    void write(String className, CharSequence text) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve(className + ".txt"), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the test report of " + className, e);
        }
    }
}
