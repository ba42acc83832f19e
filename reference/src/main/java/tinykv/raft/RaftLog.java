package tinykv.raft;

import java.util.ArrayList;
import java.util.List;
import tinykv.proto.eraftpb.Entry;
import tinykv.proto.eraftpb.Snapshot;
import tinykv.proto.eraftpb.SnapshotMetadata;

/**
 * The log of one Raft node: the stable entries in {@link Storage} plus the entries not yet persisted.
 *
 * <pre>
 *   snapshot/first ..... applied ..... committed ..... stabled ..... last
 *   --------|-----------------------------------------------------------|
 *                              entries in memory
 * </pre>
 *
 * Invariant: {@code applied <= committed <= lastIndex()} and {@code stabled <= lastIndex()}. For
 * simplicity keep in {@link #entries} every entry that is not compacted, stable or not. Lab 2AA/2AB, and
 * 2C for snapshots and compaction.
 */
public class RaftLog {

    // ---- State the tests read: keep these names ----

    /** The stable log, hard state and snapshot. */
    final Storage storage;

    /** The highest index known to be stored on a quorum (Raft §5.3). */
    long committed;
    /** The highest index handed to the application to apply. {@code applied <= committed}. */
    long applied;
    /** Entries up to this index are persisted in {@link #storage}. */
    long stabled;

    /** Every entry not yet compacted, in index order, without any dummy entry. */
    List<Entry> entries = new ArrayList<>();

    /** (Lab 2C) A snapshot received but not yet handed to the application, or {@code null}. */
    Snapshot pendingSnapshot;

    // ---- Construction ----

    /**
     * A log that starts from what {@code storage} holds: its entries are stable, and committed and
     * applied start at the snapshot's index (the hard state's commit is restored by {@link Raft}).
     */
    RaftLog(Storage storage) {
        this.storage = storage;
        long first = storage.firstIndex();
        long last = storage.lastIndex();
        entries.addAll(storage.entries(first, last + 1));
        // Everything up to the snapshot was committed and applied before it was taken.
        committed = first - 1;
        applied = first - 1;
        stabled = last;
    }

    // ---- Queries ----

    /** The index of the last entry (the snapshot's index when there are no entries). */
    long lastIndex() {
        if (!entries.isEmpty()) {
            return entries.get(entries.size() - 1).getIndex();
        }
        if (pendingSnapshot != null) {
            return pendingSnapshot.getMetadata().getIndex();
        }
        return storage.lastIndex();
    }

    /**
     * The term of entry {@code i}; 0 for index 0.
     *
     * @throws StorageException.Compacted   if {@code i} was compacted away
     * @throws StorageException.Unavailable if {@code i > lastIndex()}
     */
    long term(long i) {
        if (i > lastIndex()) {
            throw new StorageException.Unavailable(i, lastIndex());
        }
        if (!entries.isEmpty() && i >= firstInMemory()) {
            return entries.get(position(i)).getTerm();
        }
        // Below the entries in memory: the entry just before them is the last one of a snapshot, the
        // one received (not yet in storage) if any, else the one storage holds.
        if (pendingSnapshot != null) {
            return pendingSnapshotTerm(i);
        }
        return storage.term(i);
    }

    /** Every entry not compacted, without any dummy entry. */
    List<Entry> allEntries() {
        return List.copyOf(entries);
    }

    /** The entries not yet persisted: those after {@link #stabled}. */
    List<Entry> unstableEntries() {
        return slice(stabled + 1, lastIndex() + 1);
    }

    /** The entries committed but not yet applied: {@code (applied, committed]}. */
    List<Entry> nextEnts() {
        return slice(applied + 1, committed + 1);
    }

    // ---- Compaction (lab 2C) ----

    /** Drops from memory the entries that storage has compacted away (its first index moved on). */
    void maybeCompact() {
        long first = storage.firstIndex();
        if (!entries.isEmpty() && entries.get(0).getIndex() < first) {
            entries.removeIf(entry -> entry.getIndex() < first);
        }
    }

    // ---- Helpers ----

    /** The term of entry {@code i}, which lies at or below the pending snapshot's last entry. */
    private long pendingSnapshotTerm(long i) {
        SnapshotMetadata snapshot = pendingSnapshot.getMetadata();
        if (i < snapshot.getIndex()) {
            throw new StorageException.Compacted(i, snapshot.getIndex() + 1);
        }
        return snapshot.getTerm();
    }

    /** The entries {@code [lo, hi)} that are in memory, as a copy. */
    private List<Entry> slice(long lo, long hi) {
        if (entries.isEmpty()) {
            return List.of();
        }
        long from = Math.max(lo, firstInMemory());
        if (from >= hi) {
            return List.of();
        }
        return List.copyOf(entries.subList(position(from), position(hi)));
    }

    private long firstInMemory() {
        return entries.get(0).getIndex();
    }

    /** Where entry {@code i} sits in {@link #entries}. */
    private int position(long i) {
        return (int) (i - firstInMemory());
    }
}
