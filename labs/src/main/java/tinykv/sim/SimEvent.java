package tinykv.sim;

import tinykv.runtime.Timer;

/**
 * One entry of the simulator's event queue. Events run in (time, sequence) order: the sequence number is
 * handed out as events are scheduled, so two events for the same virtual millisecond run in the order
 * they were scheduled, the same way in every run.
 *
 * <p>Cancelling only marks the event; the queue skips it when its turn comes (cheaper than removing it
 * from the middle of a heap, and it never runs, counts or enters the fingerprint).
 */
final class SimEvent implements Timer, Comparable<SimEvent> {
    final long time;
    final long sequence;
    final String owner;
    final String what;
    final Runnable task;
    /** The store loop the event belongs to, or null for a harness event (client, test); a halted loop's events never run. */
    private final StoreLoop loop;
    private boolean cancelled;

    SimEvent(long time, long sequence, String owner, String what, Runnable task, StoreLoop loop) {
        this.time = time;
        this.sequence = sequence;
        this.owner = owner;
        this.what = what;
        this.task = task;
        this.loop = loop;
    }

    @Override
    public void cancel() {
        cancelled = true;
    }

    /** False once cancelled or once its store loop halted: such an event is dropped, as a crash drops it. */
    boolean isLive() {
        return !cancelled && (loop == null || !loop.isHalted());
    }

    @Override
    public int compareTo(SimEvent other) {
        int byTime = Long.compare(time, other.time);
        return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
    }
}
