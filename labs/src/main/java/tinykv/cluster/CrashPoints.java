package tinykv.cluster;

import java.util.function.Consumer;
import java.util.function.Supplier;
import tinykv.kv.engine.Engine;
import tinykv.kv.engine.WriteObserver;
import tinykv.proto.eraftpb.MessageType;
import tinykv.proto.raft_serverpb.RaftMessage;
import tinykv.sim.Simulator;
import tinykv.sim.StoreCrash;

/**
 * The crash points of one store: after each write to its engines and after each message it sends. Armed with
 * a {@link CrashPlan}, it stops the store at the plan's point, in the middle of the handling under way: the
 * write or send just made stays, nothing after it runs (a {@link StoreCrash} unwinds the handler), and the
 * store is down until the test restarts it. Unarmed, a point costs one compare.
 *
 * <p>Only the store's own events count (not, say, a harness check reading its engines). A handling that applies
 * a snapshot holds its crash until it ends ({@link #holdCrashesForThisHandling}), since its writes span both
 * engines and no order of them survives a cut (the handout says so).
 */
final class CrashPoints implements WriteObserver {
    private final String owner;
    private final Simulator sim;
    /** Stops the store now (halts its loop; its engines close once the event ends); given where it stopped. */
    private final Consumer<String> stopHere;
    private CrashPlan plan;
    private int seen;
    private boolean holding;
    /** A crash that fell while holding, taken when the handling ends. */
    private String heldCrash;
    /** Stopped at a point: every write from then on is refused, every send is already dropped. */
    private boolean down;

    CrashPoints(long storeId, Simulator sim, Consumer<String> stopHere) {
        this.owner = "store " + storeId;
        this.sim = sim;
        this.stopHere = stopHere;
    }

    /** The store will crash as {@code plan} says, counting its points from now. */
    void arm(CrashPlan plan) {
        this.plan = plan;
        this.seen = 0;
    }

    void disarm() {
        plan = null;
    }

    boolean isArmed() {
        return plan != null;
    }

    /** The store starts again: nothing armed, nothing refused. */
    void restarted() {
        plan = null;
        down = false;
        heldCrash = null;
    }

    @Override
    public void beforeWrite(Engine engine) {
        if (down) {
            throw new StoreCrash(owner + " is down: its write to " + engine.name() + " never happens");
        }
    }

    @Override
    public void afterWrite(Engine engine) {
        if (counts()) {
            point(() -> "its write to the " + engine.name(), false);
        }
    }

    /** After a raft message left the store. */
    void afterSend(RaftMessage message) {
        if (counts()) {
            MessageType type = message.getMessage().getMsgType();
            boolean ack = type == MessageType.MsgRequestVoteResponse || type == MessageType.MsgAppendResponse;
            point(() -> "it sent " + type + " to peer " + message.getToPeer().getId() + " of region "
                    + message.getRegionId() + " in term " + message.getMessage().getTerm(), ack);
        }
    }

    /** After a snapshot chunk or acknowledgement left the store. */
    void afterSnapshotTraffic(Supplier<String> what) {
        if (counts()) {
            point(() -> "it sent " + what.get(), false);
        }
    }

    @Override
    public void holdCrashesForThisHandling(String why) {
        if (!holding) {
            holding = true;
            sim.afterThisEvent(this::release);
        }
    }

    /** Whether this is a crash point of an armed store, in an event of its own; unarmed, one compare. */
    private boolean counts() {
        return plan != null && !down && sim.currentOwner().map(owner::equals).orElse(false);
    }

    private void point(Supplier<String> what, boolean ack) {
        seen++;
        if (!(plan.afterAck() && ack) && seen < plan.points()) {
            return;
        }
        String where = "after " + what.get() + " (crash point " + seen + " of the plan: " + plan + ")";
        plan = null;
        if (holding) {
            heldCrash = where;
            return;
        }
        down = true;
        stopHere.accept(where);
        throw new StoreCrash(owner + " crashed " + where);
    }

    private void release() {
        holding = false;
        if (heldCrash != null) {
            String where = heldCrash + ", taken when its snapshot handling ended";
            heldCrash = null;
            down = true;
            stopHere.accept(where);
        }
    }
}
