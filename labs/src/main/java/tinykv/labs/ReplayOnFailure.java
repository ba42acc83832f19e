package tinykv.labs;

import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Adds to every failing lab test the one command that replays it exactly (same test, same seed). The
 * original failure is rethrown unchanged; the command rides along as a suppressed exception, which JUnit
 * and Surefire print right under the stack trace.
 *
 * <p>Registered for every test through {@code META-INF/services} (JUnit's extension auto-detection).
 */
public final class ReplayOnFailure implements TestExecutionExceptionHandler {

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        labPart(context).ifPresent(part -> failure.addSuppressed(new ReplayCommand(command(part, context))));
        throw failure;
    }

    private static Optional<String> labPart(ExtensionContext context) {
        return context.getTags().stream().filter(tag -> tag.startsWith("lab")).sorted().findFirst();
    }

    private static String command(String labPart, ExtensionContext context) {
        return Replay.command(labPart, System.getProperty("tinykv.impl"), context.getRequiredTestMethod().getName(),
                OptionalLong.of(SeedParameter.seedOf(context)));
    }

    /** Carries the replay command; it has no stack trace of its own, only the message. */
    static final class ReplayCommand extends RuntimeException {
        ReplayCommand(String command) {
            super("Replay this failure exactly with: " + command, null, false, false);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
