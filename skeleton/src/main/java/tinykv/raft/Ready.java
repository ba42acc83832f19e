package tinykv.raft;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import tinykv.proto.eraftpb.Entry;
import tinykv.proto.eraftpb.HardState;
import tinykv.proto.eraftpb.Message;
import tinykv.proto.eraftpb.Snapshot;

/**
 * Everything a {@link RawNode} asks its application to do, as one immutable value. The application
 * handles a Ready in this order (see {@code package-info.java}):
 *
 * <ol>
 *   <li>persist {@code hardState}, {@code entries} and {@code snapshot} (entries replace any stored
 *       entries from the same index on);
 *   <li>send {@code messages};
 *   <li>apply {@code committedEntries} to the state machine;
 *   <li>call {@link RawNode#advance(Ready)} with this same Ready.
 * </ol>
 *
 * @param softState        the new leader and role, or empty when they did not change
 * @param hardState        the term, vote and commit to persist, or empty when they did not change
 * @param entries          new log entries to persist (not yet committed, perhaps)
 * @param snapshot         a snapshot to persist and apply, or empty
 * @param committedEntries entries that are committed and may be applied
 * @param messages         messages to send once the entries above are persisted
 */
public record Ready(
        Optional<SoftState> softState,
        Optional<HardState> hardState,
        List<Entry> entries,
        Optional<Snapshot> snapshot,
        List<Entry> committedEntries,
        List<Message> messages) {

    public Ready {
        requireNonNull(softState, "softState");
        requireNonNull(hardState, "hardState");
        requireNonNull(snapshot, "snapshot");
        entries = List.copyOf(entries);
        committedEntries = List.copyOf(committedEntries);
        messages = List.copyOf(messages);
    }

    /** Whether this Ready asks for nothing at all. */
    public boolean isEmpty() {
        return softState.isEmpty()
                && hardState.isEmpty()
                && entries.isEmpty()
                && snapshot.isEmpty()
                && committedEntries.isEmpty()
                && messages.isEmpty();
    }
}
