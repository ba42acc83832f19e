package tinykv.sim;

/**
 * Thrown at a crash point to stop a store in the middle of its handling: the stack unwinds, nothing after the
 * point runs, and the {@link Simulator} ends the event there as if the process had died (it does not fail the
 * run). An {@link Error}, so that code catching {@code Exception} does not swallow the crash; whoever placed the
 * crash point has already halted the store's loop, so anything a {@code finally} block still sends is lost.
 */
public final class StoreCrash extends Error {
    public StoreCrash(String where) {
        super(where, null, false, false); // no stack trace: it is control flow, not a bug
    }
}
