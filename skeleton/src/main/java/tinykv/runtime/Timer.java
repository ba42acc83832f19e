package tinykv.runtime;

/** A task scheduled on an {@link EventLoop}. */
public interface Timer {

    /** Makes sure the task will not run. Cancelling twice, or after it ran, does nothing. */
    void cancel();
}
