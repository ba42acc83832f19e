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
