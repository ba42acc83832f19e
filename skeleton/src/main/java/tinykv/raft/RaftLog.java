package tinykv.raft;

import java.util.ArrayList;
import java.util.List;
import tinykv.Todo;
import tinykv.proto.eraftpb.Entry;
import tinykv.proto.eraftpb.Snapshot;

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
        throw new Todo("lab2aa", "new RaftLog(Storage)");
    }

    // ---- Queries ----

    /** The index of the last entry (the snapshot's index when there are no entries). */
    long lastIndex() {
        throw new Todo("lab2aa", "RaftLog.lastIndex()");
    }

    /**
     * The term of entry {@code i}; 0 for index 0.
     *
     * @throws StorageException.Compacted   if {@code i} was compacted away
     * @throws StorageException.Unavailable if {@code i > lastIndex()}
     */
    long term(long i) {
        throw new Todo("lab2aa", "RaftLog.term(long)");
    }

    /** Every entry not compacted, without any dummy entry. */
    List<Entry> allEntries() {
        throw new Todo("lab2aa", "RaftLog.allEntries()");
    }

    /** The entries not yet persisted: those after {@link #stabled}. */
    List<Entry> unstableEntries() {
        throw new Todo("lab2ab", "RaftLog.unstableEntries()");
    }

    /** The entries committed but not yet applied: {@code (applied, committed]}. */
    List<Entry> nextEnts() {
        throw new Todo("lab2ab", "RaftLog.nextEnts()");
    }

    // ---- Compaction (lab 2C) ----

    /** Drops from memory the entries that storage has compacted away (its first index moved on). */
    void maybeCompact() {
        throw new Todo("lab2ac", "RaftLog.maybeCompact()");
    }
}
