package tinykv.sim;

import java.util.List;
import java.util.Locale;

/**
 * A simulated run that went wrong: a task or handler threw, a condition did not hold within its virtual
 * budget, or a safety limit (the event budget, livelock) ended the run. The message says who, when (virtual
 * time), with which seed, and lists the last events before the failure; the original exception, if any,
 * is the cause. {@code tinykv.labs.ReplayOnFailure} adds the replay command when it reaches the test.
 *
 * <p>An {@link AssertionError}, so JUnit reports it as a test failure, not as an error in the harness.
 */
public final class SimulationFailure extends AssertionError {
    private final long seed;
    private final long virtualTime;

    SimulationFailure(String headline, long seed, long virtualTime, List<EventTrace.Entry> lastEvents,
            List<String> notes, Throwable cause) {
        super(report(headline, seed, virtualTime, lastEvents, notes, cause), cause);
        this.seed = seed;
        this.virtualTime = virtualTime;
    }

    /** The seed of the failed run; {@code SEED=} this replays it. */
    public long seed() {
        return seed;
    }

    /** Virtual milliseconds at the failure. */
    public long virtualTime() {
        return virtualTime;
    }

    /**
     * The cause first (its first line is all that Maven's summary and an IDE's test list show), then where it
     * happened: who was running what, the virtual time and seed, the rest of the cause chain, the last events.
     */
    private static String report(String headline, long seed, long virtualTime, List<EventTrace.Entry> lastEvents,
            List<String> notes, Throwable cause) {
        StringBuilder report = new StringBuilder();
        if (cause == null) {
            report.append(headline);
        } else {
            report.append(describe(cause)).append(String.format(Locale.ROOT, "%n  in: %s", headline));
        }
        report.append(String.format(Locale.ROOT, "%n  at virtual time %.3fs, seed %d", virtualTime / 1000.0, seed));
        // The raftstore names its region and peer in exception messages; show every message of the chain.
        for (Throwable t = cause == null ? null : cause.getCause(); t != null; t = t.getCause()) {
            report.append(String.format(Locale.ROOT, "%n  caused by %s", t));
        }
        report.append(String.format(Locale.ROOT, "%n  last %d events, oldest first (the last one failed):",
                lastEvents.size()));
        for (EventTrace.Entry event : lastEvents) {
            report.append(String.format(Locale.ROOT, "%n    %s", event));
        }
        if (!notes.isEmpty()) {
            report.append(String.format(Locale.ROOT, "%n  the last %d notes (crash points taken), oldest first:", notes.size()));
            notes.forEach(note -> report.append(String.format(Locale.ROOT, "%n    %s", note)));
        }
        report.append(String.format(Locale.ROOT, "%n  replay with SEED=%d (the exact command is printed below)", seed));
        return report.toString();
    }

    /** An assertion's own words; any other exception with its type, which is part of what went wrong. */
    private static String describe(Throwable cause) {
        return cause instanceof AssertionError && cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }
}
