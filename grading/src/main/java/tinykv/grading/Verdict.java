package tinykv.grading;

/** How one run of a test ended, as the grader names it in every report. */
public enum Verdict {
    PASSED("passed"),
    FAILED("failed"),
    NOT_IMPLEMENTED("not implemented (reached a TODO)"),
    TIMED_OUT("timed out"),
    EXITED_JVM("exited the JVM"),
    OUT_OF_MEMORY("out of memory"),
    STACK_OVERFLOW("stack overflow"),
    THREAD_LEFT_RUNNING("left a thread running"),
    CRASHED("crashed the test JVM"),
    NOT_RUN("not run"),
    /** A student class of the part breaks a determinism rule (tinykv.determinism): the part's tests do not run. */
    BREAKS_DETERMINISM_RULE("breaks a determinism rule"),
    /** Two runs of the test's first seed differed (tinykv.sim.TraceDiff). */
    NOT_DETERMINISTIC("not deterministic"),
    DOES_NOT_COMPILE("does not compile"),
    NOTHING_SUBMITTED("no student file submitted");

    private final String label;

    Verdict(String label) {
        this.label = label;
    }

    /** The words a report shows: {@code timed out}. */
    public String label() {
        return label;
    }
}
