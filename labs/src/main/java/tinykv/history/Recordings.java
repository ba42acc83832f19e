package tinykv.history;

import java.util.ArrayList;
import java.util.List;

/**
 * The runs recorded since the current test began, for the extension that draws their timelines when the test
 * fails ({@link TimelineOnFailure}). Static because the cluster a test builds and the JUnit extension that
 * sees its failure share no object, and JUnit runs the test body on a thread of its own (the timeout's), so a
 * thread-local would not reach. The kit runs one test at a time per JVM; the list is cleared before each.
 */
public final class Recordings {
    private static final List<RunRecord> RUNS = new ArrayList<>();

    private Recordings() {}

    public static synchronized void add(RunRecord run) {
        RUNS.add(run);
    }

    /** The runs recorded since the last call, which forgets them. */
    public static synchronized List<RunRecord> takeAll() {
        List<RunRecord> all = List.copyOf(RUNS);
        RUNS.clear();
        return all;
    }
}
