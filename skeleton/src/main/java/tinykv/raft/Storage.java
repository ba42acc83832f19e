package tinykv.raft;

import java.util.List;
import tinykv.proto.eraftpb.ConfState;
import tinykv.proto.eraftpb.Entry;
import tinykv.proto.eraftpb.HardState;
import tinykv.proto.eraftpb.Snapshot;

/**
 * Where Raft reads its persisted state: the stable log, the hard state and the latest snapshot. Raft
 * never writes here; the application persists what a {@link Ready} asks for.
 *
 * <p>The log in storage starts after the latest snapshot: entries {@code [firstIndex, lastIndex]} are
 * available, and the term of entry {@code firstIndex - 1} (the snapshot's last entry) is kept too.
 */
public interface Storage {

    /** The persisted state to start from: the hard state and the membership of the latest snapshot. */
    InitialState initialState();

    /**
     * The entries {@code [lo, hi)}.
     *
     * @throws StorageException.Compacted   if {@code lo < firstIndex()}
     * @throws StorageException.Unavailable if {@code hi > lastIndex() + 1}
     */
    List<Entry> entries(long lo, long hi);

    /**
     * The term of entry {@code i}, for {@code firstIndex() - 1 <= i <= lastIndex()}.
     *
     * @throws StorageException.Compacted   if {@code i < firstIndex() - 1}
     * @throws StorageException.Unavailable if {@code i > lastIndex()}
     */
    long term(long i);

    /** The index of the last entry in storage (the snapshot's index when the log is empty). */
    long lastIndex();

    /** The index of the first entry that {@link #entries} may return: the snapshot's index + 1. */
    long firstIndex();

    /**
     * The most recent snapshot.
     *
     * @throws StorageException.SnapshotTemporarilyUnavailable if it is being generated; ask again later
     */
    Snapshot snapshot();

    /** The state a Raft node starts from. */
    record InitialState(HardState hardState, ConfState confState) {}
}
