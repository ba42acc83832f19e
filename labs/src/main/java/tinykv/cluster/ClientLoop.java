package tinykv.cluster;

/**
 * A workload client's life cycle as a state machine of simulator events: once started, each operation, when
 * it completes, issues the next, until stopped; the operation in flight still completes. Subclasses say what one
 * operation is ({@link #issueOne}) and call {@link #completed} when its answer is in.
 */
abstract class ClientLoop {
    private long operations;
    private boolean stopRequested;
    private boolean idle = true;

    /** Operations completed. */
    final long operations() {
        return operations;
    }

    /** True once stopped and no operation is in flight. */
    final boolean isIdle() {
        return idle;
    }

    final void start() {
        stopRequested = false;
        idle = false;
        next();
    }

    /** Issues no new operation; the one in flight still completes. */
    final void stop() {
        stopRequested = true;
    }

    /** Sends one operation; its answer calls {@link #completed}. */
    abstract void issueOne();

    final void completed() {
        operations++;
        next();
    }

    private void next() {
        if (stopRequested) {
            idle = true;
            return;
        }
        issueOne();
    }
}
