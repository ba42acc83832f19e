package tinykv.kv.raftstore;

import java.util.List;
import java.util.Optional;
import tinykv.kv.engine.Engines;
import tinykv.kv.engine.WriteBatch;
import tinykv.kv.raftstore.meta.Keys;
import tinykv.kv.raftstore.meta.MetaStates;
import tinykv.kv.raftstore.snap.RegionWorker;
import tinykv.proto.eraftpb.Entry;
import tinykv.proto.eraftpb.Snapshot;
import tinykv.proto.eraftpb.SnapshotMetadata;
import tinykv.proto.metapb.Region;
import tinykv.proto.raft_serverpb.PeerState;
import tinykv.proto.raft_serverpb.RaftTruncatedState;
import tinykv.raft.Ready;

/**
 * A region's raft storage on this store: what Raft reads (in {@link PeerStorageBase}) and what you write
 * here, persisting each {@link Ready} before its messages leave (lab 2B), snapshots included (lab 2C).
 */
public class PeerStorage extends PeerStorageBase {

    public PeerStorage(Engines engines, RegionWorker regionWorker, Region region, String tag) {
        super(engines, regionWorker, region, tag);
    }

    /**
     * Lab 2B. Adds {@code entries} (consecutive, from a Ready) to the raft log in {@code raftBatch}, deletes
     * any older entries after the last new one (they were never committed: a new leader overwrote them),
     * and updates {@link #raftState}'s last index and term. Nothing is written to an engine here.
     */
    public void append(List<Entry> entries, WriteBatch raftBatch) {
        if (entries.isEmpty()) {
            return;
        }
        long regionId = region.getId();
        for (Entry entry : entries) {
            raftBatch.setMeta(Keys.raftLogKey(regionId, entry.getIndex()), entry);
        }
        Entry last = entries.get(entries.size() - 1);
        for (long stale = last.getIndex() + 1; stale <= raftState.getLastIndex(); stale++) {
            raftBatch.deleteMeta(Keys.raftLogKey(regionId, stale));
        }
        raftState = raftState.toBuilder().setLastIndex(last.getIndex()).setLastTerm(last.getTerm()).build();
    }

    /**
     * Lab 2B. Persists what {@code ready} asks to: its entries (through {@link #append}) and its hard state,
     * with the new {@link #raftState}, in one write to the raft engine.
     *
     * <p>Lab 2C. If the ready carries a snapshot, apply it first ({@link #applySnapshot}) and write its kv
     * batch, and return what it changed; otherwise return empty.
     */
    public Optional<ApplySnapResult> saveReadyState(Ready ready) {
        if (ready.entries().isEmpty() && ready.hardState().isEmpty() && ready.snapshot().isEmpty()) {
            return Optional.empty();
        }
        WriteBatch raftBatch = new WriteBatch();
        Optional<ApplySnapResult> applied = Optional.empty();
        if (ready.snapshot().isPresent()) {
            WriteBatch kvBatch = new WriteBatch();
            applied = Optional.of(applySnapshot(ready.snapshot().get(), kvBatch, raftBatch));
            engines.kv().write(kvBatch);
        }
        append(ready.entries(), raftBatch);
        ready.hardState().ifPresent(hardState -> raftState = raftState.toBuilder().setHardState(hardState).build());
        raftBatch.setMeta(Keys.raftStateKey(region.getId()), raftState);
        engines.raft().write(raftBatch);
        return applied;
    }

    /**
     * Lab 2C. Makes this peer's storage the snapshot's: if the peer has data already, clear its raft log and
     * states ({@link #clearMeta}); set {@link #raftState}'s last index and term and {@link #applyState}'s applied
     * index and truncated state to the snapshot's index and term; take the snapshot's region
     * ({@link #snapshotRegion}) and save it as {@code PeerState.Normal} and the apply state in {@code kvBatch};
     * then have the region worker write the data ({@link #applySnapshotData}). The caller writes both batches.
     *
     * <p>Lab 3B. A peer that missed a split may be sent a snapshot of a smaller range than it holds: also
     * delete the data of the keys the old region covered and the snapshot's does not ({@link #clearExtraData}).
     */
    public ApplySnapResult applySnapshot(Snapshot snapshot, WriteBatch kvBatch, WriteBatch raftBatch) {
        Region snapRegion = snapshotRegion(snapshot);
        Region previous = region;
        if (isInitialized()) {
            clearMeta(kvBatch, raftBatch);
            clearExtraData(kvBatch, previous, snapRegion);
        }
        SnapshotMetadata metadata = snapshot.getMetadata();
        raftState = raftState.toBuilder().setLastIndex(metadata.getIndex()).setLastTerm(metadata.getTerm()).build();
        applyState = applyState.toBuilder().setAppliedIndex(metadata.getIndex())
                .setTruncatedState(RaftTruncatedState.newBuilder().setIndex(metadata.getIndex())
                        .setTerm(metadata.getTerm()))
                .build();
        region = snapRegion;
        kvBatch.setMeta(Keys.applyStateKey(snapRegion.getId()), applyState);
        MetaStates.writeRegionState(kvBatch, snapRegion, PeerState.Normal);
        applySnapshotData(snapshot, snapRegion);
        return new ApplySnapResult(previous, snapRegion);
    }
}
