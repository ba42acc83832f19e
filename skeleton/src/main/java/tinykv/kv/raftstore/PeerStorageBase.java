package tinykv.kv.raftstore;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import tinykv.kv.engine.CfIterator;
import tinykv.kv.engine.ColumnFamilies;
import tinykv.kv.engine.EngineSnapshot;
import tinykv.kv.engine.Engines;
import tinykv.kv.engine.WriteBatch;
import tinykv.kv.raftstore.meta.Keys;
import tinykv.kv.raftstore.meta.MetaStates;
import tinykv.kv.raftstore.snap.RegionWorker;
import tinykv.kv.raftstore.snap.SnapKey;
import tinykv.kv.storage.KeyRange;
import tinykv.proto.eraftpb.Entry;
import tinykv.proto.eraftpb.HardState;
import tinykv.proto.eraftpb.Snapshot;
import tinykv.proto.metapb.Region;
import tinykv.proto.raft_serverpb.RaftApplyState;
import tinykv.proto.raft_serverpb.RaftLocalState;
import tinykv.proto.raft_serverpb.RaftSnapshotData;
import tinykv.proto.raft_serverpb.RegionLocalState;
import tinykv.raft.RestartState;
import tinykv.raft.Storage;
import tinykv.raft.StorageException;

/**
 * The provided half of {@link PeerStorage}: a region's raft log and states as Raft's {@link Storage}
 * (TinyKV's {@code peer_storage.go}, minus what students write).
 *
 * <p>Where things live (see {@link Keys}): in the raft engine, the log entries under
 * {@code raftLogKey(region, index)} and the {@link RaftLocalState} (hard state, last index and term)
 * under {@code raftStateKey}; in the kv engine, the {@link RaftApplyState} (applied index, truncated
 * index and term) under {@code applyStateKey}, and the region itself under {@code regionStateKey}.
 *
 * <p>Invariant: {@code truncatedIndex <= appliedIndex <= committed <= lastIndex}.
 */
public abstract class PeerStorageBase implements Storage {
    protected final Engines engines;
    protected final RegionWorker regionWorker;
    protected final String tag;
    /** The region as this peer last applied it. */
    protected Region region;
    /** The persisted raft state: hard state, last log index and term. Replace it as you persist. */
    protected RaftLocalState raftState;
    /** The persisted apply state: applied index, truncated index and term. */
    protected RaftApplyState applyState;

    protected PeerStorageBase(Engines engines, RegionWorker regionWorker, Region region, String tag) {
        this.engines = engines;
        this.regionWorker = regionWorker;
        this.region = region;
        this.tag = tag;
        this.raftState = MetaStates.initRaftLocalState(engines.raft(), region);
        this.applyState = MetaStates.initApplyState(engines.kv(), region);
        // Every peer starts here, at a restart too: refuse a state that was persisted in the wrong order.
        RestartState.check(tag, raftState.getHardState(), raftState.getLastIndex(), raftState.getLastTerm(),
                applyState.getAppliedIndex());
    }

    // ---- Storage, for Raft ----

    @Override
    public InitialState initialState() {
        HardState hardState = raftState.getHardState();
        if (hardState.equals(HardState.getDefaultInstance())) {
            if (isInitialized()) {
                throw new IllegalStateException(tag + ": initialized, but the hard state is empty");
            }
            return new InitialState(hardState, RegionChecks.confStateOf(Region.getDefaultInstance()));
        }
        return new InitialState(hardState, RegionChecks.confStateOf(region));
    }

    @Override
    public List<Entry> entries(long lo, long hi) {
        checkRange(lo, hi);
        List<Entry> entries = new ArrayList<>((int) (hi - lo));
        byte[] end = Keys.raftLogKey(region.getId(), hi);
        try (CfIterator it = engines.raft().iterator(ColumnFamilies.DEFAULT)) {
            long expected = lo;
            for (it.seek(Keys.raftLogKey(region.getId(), lo)); it.valid(); it.next()) {
                if (Arrays.compareUnsigned(it.key(), end) >= 0) {
                    break;
                }
                Entry entry = Protos.parse(Entry.parser(), it.value(), "raft log entry");
                if (entry.getIndex() != expected) {
                    break; // a hole: the log was truncated under us
                }
                entries.add(entry);
                expected++;
            }
        }
        if (entries.size() != hi - lo) {
            throw new StorageException.Unavailable(lo + entries.size(), raftState.getLastIndex());
        }
        return entries;
    }

    @Override
    public long term(long i) {
        if (i == truncatedIndex()) {
            return truncatedTerm();
        }
        checkRange(i, i + 1);
        if (truncatedTerm() == raftState.getLastTerm() || i == raftState.getLastIndex()) {
            return raftState.getLastTerm();
        }
        return MetaStates.raftEntry(engines.raft(), region.getId(), i)
                .orElseThrow(() -> new StorageException.Unavailable(i, raftState.getLastIndex()))
                .getTerm();
    }

    @Override
    public long lastIndex() {
        return raftState.getLastIndex();
    }

    @Override
    public long firstIndex() {
        return truncatedIndex() + 1;
    }

    /**
     * The newest snapshot of this region that still joins up with the log (its index is not below the
     * truncated index) and was taken at the region's current epoch (lab 3B: one from before a membership
     * change would not make a new peer a member). If there is none, the region worker is asked to generate one
     * from the data and states as they are now, and raft is told to ask again later: generating scans the
     * whole region.
     */
    @Override
    public Snapshot snapshot() {
        long regionId = region.getId();
        Optional<Snapshot> latest = regionWorker.snapManager().latestGenerated(regionId);
        if (latest.isPresent() && latest.get().getMetadata().getIndex() >= truncatedIndex()
                && snapshotRegion(latest.get()).getRegionEpoch().equals(region.getRegionEpoch())) {
            return latest.get();
        }
        if (!regionWorker.isGenerating(regionId)) {
            requestSnapshot();
        }
        throw new StorageException.SnapshotTemporarilyUnavailable();
    }

    private void requestSnapshot() {
        long regionId = region.getId();
        EngineSnapshot kv = engines.kv().snapshot();
        // The apply state and the region are read from the same engine snapshot as the data will be.
        RaftApplyState applied = MetaStates.applyState(kv, regionId).orElseThrow(
                () -> new IllegalStateException(tag + ": no apply state to take a snapshot at"));
        Region atSnapshot = MetaStates.regionLocalState(kv, regionId).map(RegionLocalState::getRegion).orElse(region);
        long index = applied.getAppliedIndex();
        regionWorker.requestSnapshot(new RegionWorker.GenerateTask(new SnapKey(regionId, term(index), index), atSnapshot,
                RegionChecks.confStateOf(atSnapshot), kv));
    }

    // ---- applying a snapshot (lab 2C) ----

    /** The region a snapshot from raft holds, as its sender had it. */
    protected static Region snapshotRegion(Snapshot snapshot) {
        return Protos.parse(RaftSnapshotData.parser(), snapshot.getData().toByteArray(), "snapshot data").getRegion();
    }

    /**
     * Has the region worker replace this region's data in the kv engine with the snapshot's (received
     * whole before raft ever saw the snapshot), and returns once it is written.
     */
    protected void applySnapshotData(Snapshot snapshot, Region snapshotRegion) {
        regionWorker.applySnapshot(SnapKey.of(snapshotRegion.getId(), snapshot.getMetadata()), snapshotRegion);
    }

    // ---- state, for the raftstore ----

    /** Whether this peer has its region's data (a new peer waits for a snapshot first). */
    public boolean isInitialized() {
        return region.getPeersCount() > 0;
    }

    public Region region() {
        return region;
    }

    public void setRegion(Region region) {
        this.region = region;
    }

    public RaftLocalState raftState() {
        return raftState;
    }

    public RaftApplyState applyState() {
        return applyState;
    }

    /** Sets the apply state in memory; persist it in the same write batch as the data it describes. */
    public void setApplyState(RaftApplyState applyState) {
        this.applyState = applyState;
    }

    public long appliedIndex() {
        return applyState.getAppliedIndex();
    }

    public long truncatedIndex() {
        return applyState.getTruncatedState().getIndex();
    }

    public long truncatedTerm() {
        return applyState.getTruncatedState().getTerm();
    }

    /** Deletes this region's raft log, raft state and apply state (the peer is being destroyed). */
    public void clearMeta(WriteBatch kvBatch, WriteBatch raftBatch) {
        long regionId = region.getId();
        kvBatch.deleteMeta(Keys.regionStateKey(regionId));
        kvBatch.deleteMeta(Keys.applyStateKey(regionId));
        MetaStates.deleteRaftLogAndState(raftBatch, regionId, raftState.getLastIndex());
    }

    /**
     * Lab 3B. Deletes, in {@code kvBatch}, the data of the keys {@code previous} covered and {@code now} does
     * not: a peer that missed a split and is sent a snapshot of its region's smaller range must not keep the
     * split-off part (another region's now) as stale data.
     */
    protected void clearExtraData(WriteBatch kvBatch, Region previous, Region now) {
        KeyRange before = KeyRange.of(previous);
        KeyRange after = KeyRange.of(now);
        if (KeyRange.compare(before.start(), after.start()) < 0) {
            deleteData(kvBatch, before.start(), after.start());
        }
        if (!after.isUnbounded() && (before.isUnbounded() || KeyRange.compare(after.end(), before.end()) < 0)) {
            deleteData(kvBatch, after.end(), before.end());
        }
    }

    private static void deleteData(WriteBatch kvBatch, ByteString start, ByteString end) {
        byte[] from = Keys.dataKey(start.toByteArray());
        byte[] to = Keys.dataEndKey(end.toByteArray());
        for (String cf : ColumnFamilies.KV) {
            kvBatch.deleteRangeCF(cf, from, to);
        }
    }

    /** Deletes this region's data in every column family. */
    public void clearData() {
        WriteBatch batch = new WriteBatch();
        deleteData(batch, region.getStartKey(), region.getEndKey());
        engines.kv().write(batch);
    }

    private void checkRange(long lo, long hi) {
        if (lo > hi) {
            throw new IllegalArgumentException(tag + ": entries from " + lo + " to " + hi + ": low is above high");
        }
        if (lo <= truncatedIndex()) {
            throw new StorageException.Compacted(lo, firstIndex());
        }
        if (hi > raftState.getLastIndex() + 1) {
            throw new StorageException.Unavailable(hi - 1, raftState.getLastIndex());
        }
    }
}
