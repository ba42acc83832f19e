package tinykv.kv.raftstore;

import com.google.protobuf.TextFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import tinykv.kv.storage.RegionReader;
import tinykv.proto.raft_cmdpb.RaftCmdResponse;

/**
 * Where the answer to one raft command goes. The proposer keeps it until the command is applied (or fails),
 * then calls {@link #done} exactly once; whoever sent the command is told through {@link #whenDone}.
 *
 * <p>Nothing ever waits on a callback: a test runs the simulator until {@link #isDone()} holds.
 */
public final class Callback {
    private RaftCmdResponse response;
    private RegionReader snapshot;
    private boolean done;
    private final List<Consumer<Callback>> listeners = new ArrayList<>(1);

    /** Completes the command with its response. Completing twice is a bug and throws. */
    public void done(RaftCmdResponse response) {
        complete(response, null);
    }

    /** Completes a {@code Snap} command: the response, and a reader of the region at the applied point. */
    public void done(RaftCmdResponse response, RegionReader snapshot) {
        complete(response, Objects.requireNonNull(snapshot, "snapshot"));
    }

    private void complete(RaftCmdResponse response, RegionReader snapshot) {
        Objects.requireNonNull(response, "response");
        if (done) {
            // One line each: the two answers are what a student compares to find the proposal matched twice.
            throw new IllegalStateException("callback completed twice; first with {"
                    + TextFormat.shortDebugString(this.response) + "} then with {"
                    + TextFormat.shortDebugString(response) + "}");
        }
        this.response = response;
        this.snapshot = snapshot;
        this.done = true;
        for (Consumer<Callback> listener : listeners) {
            listener.accept(this);
        }
        listeners.clear();
    }

    public boolean isDone() {
        return done;
    }

    /** The response; only once {@link #isDone()}. */
    public RaftCmdResponse response() {
        if (!done) {
            throw new IllegalStateException("the command has not completed yet");
        }
        return response;
    }

    /** The region reader a {@code Snap} command hands back; the receiver closes it. */
    public Optional<RegionReader> snapshot() {
        return Optional.ofNullable(snapshot);
    }

    /** Runs {@code listener} when the command completes (at once if it already has). */
    public void whenDone(Consumer<Callback> listener) {
        if (done) {
            listener.accept(this);
        } else {
            listeners.add(listener);
        }
    }
}
