package tinykv.labs;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tinykv.Todo;

/**
 * How {@link LabConsole} shows one failure: the cause (its message as the test wrote it), a trace cut to the
 * kit's and the student's frames (no JUnit, no reflection), each {@code Caused by} the same way, and last, on a
 * line of its own, the command that replays it ({@link ReplayOnFailure}).
 */
final class FailureText {
    /** Enough frames to see the student's method, the kit's caller and the test; the report file has them all. */
    private static final int MAX_FRAMES = 12;

    private final Throwable failure;
    /** The test class: the trace ends at its frame (what the student's code was called from). */
    private final String testClass;

    FailureText(Throwable failure, String testClass) {
        this.failure = failure;
        this.testClass = testClass;
    }

    /** The TODO this failure stopped at, anywhere in its causes: "lab2aa: new Raft(Config)". */
    Optional<String> todo() {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof Todo todo) {
                return Optional.of(todo.labPart() + ": " + todo.method());
            }
        }
        return Optional.empty();
    }

    /** Failures with the same key are the same failure: the same TODO, or the same exception, message and place. */
    String causeKey() {
        return todo().map(todo -> "todo " + todo).orElseGet(() -> failure.getClass().getName() + " "
                + failure.getMessage() + " " + (failure.getStackTrace().length > 0 ? failure.getStackTrace()[0] : ""));
    }

    boolean isAssertion() {
        return failure instanceof AssertionError;
    }

    /** The lines to print: cause, short trace, causes; then {@link #replay()}. */
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        describe(failure, "", lines);
        for (Throwable suppressed : failure.getSuppressed()) {
            if (!(suppressed instanceof ReplayOnFailure.ReplayCommand)) {
                // A note with no trace of its own (the timeline's file) is a line of the report, not an error.
                describe(suppressed, suppressed.getStackTrace().length == 0 ? "" : "Suppressed: ", lines);
            }
        }
        return lines;
    }

    /** "Replay this failure exactly with: make ...", when the test belongs to a lab part. */
    Optional<String> replay() {
        for (Throwable suppressed : failure.getSuppressed()) {
            if (suppressed instanceof ReplayOnFailure.ReplayCommand command) {
                return Optional.of(command.getMessage());
            }
        }
        return Optional.empty();
    }

    /**
     * The failure's message; each cause whose words the message does not already hold (a simulation failure
     * repeats its causes); and the frames of the deepest cause, where the throw happened.
     */
    private void describe(Throwable t, String prefix, List<String> lines) {
        String text = headline(t);
        String[] message = text.split("\n", -1);
        lines.add(prefix + message[0]);
        lines.addAll(List.of(message).subList(1, message.length));
        Throwable root = t;
        for (Throwable cause = t.getCause(); cause != null && cause != root; cause = cause.getCause()) {
            if (!text.contains(cause.toString()) && !text.contains(headline(cause))) {
                lines.add("Caused by: " + cause);
            }
            root = cause;
        }
        lines.addAll(kitFrames(root));
    }

    /** An assertion's message as written; any other exception with its type, which is part of what went wrong. */
    private static String headline(Throwable t) {
        if (t instanceof AssertionError && t.getMessage() != null) {
            return t.getMessage();
        }
        return t.toString();
    }

    /**
     * The frames of the kit's and the student's classes, up to the test method that made the call, or up to
     * the simulator when the throw happened inside one of its events (what ran it is the same every time).
     */
    private List<String> kitFrames(Throwable t) {
        List<String> frames = new ArrayList<>();
        int hidden = 0;
        for (StackTraceElement frame : t.getStackTrace()) {
            if (!frame.getClassName().startsWith("tinykv.")) {
                continue;
            }
            if (frame.getClassName().startsWith("tinykv.sim.") && !frames.isEmpty()) {
                break;
            }
            if (frames.size() == MAX_FRAMES) {
                hidden++;
                continue;
            }
            frames.add("  at " + frame);
            if (frame.getClassName().replaceAll("\\$.*", "").equals(testClass)) {
                break;
            }
        }
        if (hidden > 0) {
            frames.add("  ... " + hidden + " more (the whole trace is in labs/target/surefire-reports)");
        }
        return frames;
    }

    /** The whole stack trace, as Java prints it, for the report file. */
    String fullTrace() {
        StringWriter text = new StringWriter();
        failure.printStackTrace(new PrintWriter(text));
        return text.toString().stripTrailing();
    }

    static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f s", millis / 1000.0);
    }
}
