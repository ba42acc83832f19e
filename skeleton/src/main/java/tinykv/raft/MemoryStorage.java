package tinykv.raft;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import tinykv.proto.eraftpb.ConfState;
import tinykv.proto.eraftpb.Entry;
import tinykv.proto.eraftpb.HardState;
import tinykv.proto.eraftpb.Snapshot;
import tinykv.proto.eraftpb.SnapshotMetadata;

/**
 * A {@link Storage} in memory, for tests and examples. The application writes to it what each
 * {@link Ready} asks to persist ({@link #append}, {@link #setHardState}, {@link #applySnapshot}).
 *
 * <p>{@code entries.get(0)} is a dummy entry that stands for the last entry of the latest snapshot: its
 * index and term are the snapshot's, so {@code entries.get(i)} has log index {@code i + offset()}.
 * A new storage holds only the dummy entry at index 0, term 0.
 */
public final class MemoryStorage implements Storage {
    private HardState hardState = HardState.getDefaultInstance();
    private Snapshot snapshot = emptySnapshot();
    private List<Entry> entries = new ArrayList<>(List.of(Entry.getDefaultInstance()));

    /** An empty storage: no entries, no snapshot, term 0. */
    public MemoryStorage() {}

    /**
     * A storage whose log is exactly {@code entries}; the first one is the dummy entry that stands for
     * the snapshot (often {@code Entry.getDefaultInstance()}). Tests use this to start from a given log.
     */
    public static MemoryStorage withEntries(List<Entry> entries) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("entries must start with the dummy entry");
        }
        MemoryStorage storage = new MemoryStorage();
        storage.entries = new ArrayList<>(entries);
        return storage;
    }

    // ---- Storage ----

    @Override
    public InitialState initialState() {
        return new InitialState(hardState, snapshot.getMetadata().getConfState());
    }

    @Override
    public List<Entry> entries(long lo, long hi) {
        if (lo <= offset()) {
            throw new StorageException.Compacted(lo, firstIndex());
        }
        if (hi > lastIndex() + 1) {
            throw new StorageException.Unavailable(hi - 1, lastIndex());
        }
        if (lo > hi) {
            throw new IllegalArgumentException("invalid range: lo " + lo + " > hi " + hi);
        }
        return List.copyOf(entries.subList(position(lo), position(hi)));
    }

    @Override
    public long term(long i) {
        if (i < offset()) {
            throw new StorageException.Compacted(i, firstIndex());
        }
        if (i > lastIndex()) {
            throw new StorageException.Unavailable(i, lastIndex());
        }
        return entries.get(position(i)).getTerm();
    }

    @Override
    public long lastIndex() {
        return offset() + entries.size() - 1;
    }

    @Override
    public long firstIndex() {
        return offset() + 1;
    }

    @Override
    public Snapshot snapshot() {
        return snapshot;
    }

    // ---- what the application persists ----

    public void setHardState(HardState hardState) {
        this.hardState = requireNonNull(hardState, "hardState");
    }

    public HardState hardState() {
        return hardState;
    }

    /**
     * Appends entries, replacing any stored entries from {@code entries.get(0).getIndex()} on. Entries at
     * or below the snapshot are ignored.
     *
     * @throws IllegalArgumentException if the entries leave a gap after the last stored entry, or are not
     *     consecutive
     */
    public void append(List<Entry> newEntries) {
        if (newEntries.isEmpty()) {
            return;
        }
        requireConsecutive(newEntries);
        long first = firstIndex();
        long newFirst = newEntries.get(0).getIndex();
        long newLast = newFirst + newEntries.size() - 1;
        if (newLast < first) {
            return;
        }
        if (newFirst < first) {
            newEntries = newEntries.subList((int) (first - newFirst), newEntries.size());
            newFirst = first;
        }
        if (newFirst > lastIndex() + 1) {
            throw new IllegalArgumentException(
                    "missing log entries: the last index is " + lastIndex() + ", the append starts at " + newFirst);
        }
        entries.subList(position(newFirst), entries.size()).clear();
        entries.addAll(newEntries);
    }

    /**
     * Replaces the whole contents of this storage with the snapshot: the log restarts after it.
     *
     * @throws StorageException.SnapshotOutOfDate if the snapshot is not newer than the one held
     */
    public void applySnapshot(Snapshot snap) {
        long index = snap.getMetadata().getIndex();
        long held = snapshot.getMetadata().getIndex();
        if (held >= index) {
            throw new StorageException.SnapshotOutOfDate(index, held);
        }
        snapshot = snap;
        entries = new ArrayList<>(List.of(dummy(index, snap.getMetadata().getTerm())));
    }

    /**
     * Makes the snapshot that {@link #snapshot()} returns from now on, covering the log up to index {@code i}.
     *
     * @param confState the membership at {@code i}, or {@code null} to keep the previous snapshot's
     * @throws StorageException.SnapshotOutOfDate if {@code i} is not above the current snapshot
     * @throws StorageException.Unavailable       if {@code i} is beyond the last index
     */
    public Snapshot createSnapshot(long i, ConfState confState, com.google.protobuf.ByteString data) {
        long held = snapshot.getMetadata().getIndex();
        if (i <= held) {
            throw new StorageException.SnapshotOutOfDate(i, held);
        }
        if (i > lastIndex()) {
            throw new StorageException.Unavailable(i, lastIndex());
        }
        SnapshotMetadata.Builder metadata = snapshot.getMetadata().toBuilder().setIndex(i).setTerm(term(i));
        if (confState != null) {
            metadata.setConfState(confState);
        }
        snapshot = Snapshot.newBuilder().setMetadata(metadata).setData(data).build();
        return snapshot;
    }

    /**
     * Discards the entries before {@code compactIndex}; entry {@code compactIndex} becomes the new dummy.
     * The application must not compact beyond what it has applied.
     *
     * @throws StorageException.Compacted   if {@code compactIndex} is already compacted
     * @throws StorageException.Unavailable if {@code compactIndex} is beyond the last index
     */
    public void compact(long compactIndex) {
        if (compactIndex <= offset()) {
            throw new StorageException.Compacted(compactIndex, firstIndex());
        }
        if (compactIndex > lastIndex()) {
            throw new StorageException.Unavailable(compactIndex, lastIndex());
        }
        Entry newDummy = entries.get(position(compactIndex));
        List<Entry> kept = new ArrayList<>(entries.size() - position(compactIndex));
        kept.add(dummy(newDummy.getIndex(), newDummy.getTerm()));
        kept.addAll(entries.subList(position(compactIndex) + 1, entries.size()));
        entries = kept;
    }

    // ---- helpers ----

    /** The index of the dummy entry: the last index covered by the snapshot. */
    private long offset() {
        return entries.get(0).getIndex();
    }

    private int position(long index) {
        return (int) (index - offset());
    }

    private static Entry dummy(long index, long term) {
        return Entry.newBuilder().setIndex(index).setTerm(term).build();
    }

    private static Snapshot emptySnapshot() {
        return Snapshot.newBuilder()
                .setMetadata(SnapshotMetadata.newBuilder().setConfState(ConfState.getDefaultInstance()))
                .build();
    }

    private static void requireConsecutive(List<Entry> newEntries) {
        for (int i = 1; i < newEntries.size(); i++) {
            if (newEntries.get(i).getIndex() != newEntries.get(i - 1).getIndex() + 1) {
                throw new IllegalArgumentException("entries are not consecutive at position " + i + ": "
                        + newEntries.get(i - 1).getIndex() + " then " + newEntries.get(i).getIndex());
            }
        }
    }
}
