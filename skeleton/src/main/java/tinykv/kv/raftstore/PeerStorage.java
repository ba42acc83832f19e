package tinykv.kv.raftstore;

import java.util.List;
import tinykv.Todo;
import tinykv.kv.engine.Engines;
import tinykv.kv.engine.WriteBatch;
import tinykv.proto.eraftpb.Entry;
import tinykv.proto.metapb.Region;
import tinykv.raft.Ready;

/**
 * A region's raft storage on this store: what Raft reads (in {@link PeerStorageBase}) and what you write
 * here, persisting each {@link Ready} before its messages leave (lab 2B).
 */
public class PeerStorage extends PeerStorageBase {

    public PeerStorage(Engines engines, Region region, String tag) {
        super(engines, region, tag);
    }

    /**
     * Lab 2B. Adds {@code entries} (consecutive, from a Ready) to the raft log in {@code raftBatch}, deletes
     * any older entries after the last new one (they were never committed: a new leader overwrote them),
     * and updates {@link #raftState}'s last index and term. Nothing is written to an engine here.
     */
    public void append(List<Entry> entries, WriteBatch raftBatch) {
        throw new Todo("lab2b", "PeerStorage.append()");
    }

    /**
     * Lab 2B. Persists what {@code ready} asks to: its entries (through {@link #append}) and its hard state,
     * with the new {@link #raftState}, in one write to the raft engine.
     */
    public void saveReadyState(Ready ready) {
        throw new Todo("lab2b", "PeerStorage.saveReadyState()");
    }
}
