package tinykv.kv.raftstore.snap;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import tinykv.kv.engine.ColumnFamilies;
import tinykv.kv.engine.EngineSnapshot;
import tinykv.kv.engine.Engines;
import tinykv.kv.engine.WriteBatch;
import tinykv.kv.raftstore.meta.Keys;
import tinykv.proto.eraftpb.ConfState;
import tinykv.proto.eraftpb.Snapshot;
import tinykv.proto.eraftpb.SnapshotMetadata;
import tinykv.proto.metapb.Region;
import tinykv.proto.raft_serverpb.RaftSnapshotData;
import tinykv.runtime.EventLoop;
import tinykv.runtime.Log;
import tinykv.runtime.Mailbox;
import tinykv.runtime.MailboxHandler;

/**
 * The region worker (TinyKV's {@code region_task.go}): generates snapshots in the background and applies
 * received ones. Generation is a task on its mailbox, so a leader's raft worker never waits for a scan;
 * applying is a call the peer makes and returns from once the data is in the engine (TinyKV's raft worker
 * blocks on the region worker for the same thing).
 */
public final class RegionWorker {

    /**
     * Generate a snapshot of {@code region} from {@code kvSnapshot}, an engine snapshot taken together with
     * the apply state that gives the snapshot's {@code index} (and {@code term}).
     */
    public record GenerateTask(SnapKey key, Region region, ConfState confState, EngineSnapshot kvSnapshot) {}

    private final Engines engines;
    private final SnapManager snapManager;
    private final Log log;
    private final Mailbox<GenerateTask> tasks;
    /** Regions with a generation queued or running. */
    private final Set<Long> generating = new TreeSet<>();

    public RegionWorker(Engines engines, SnapManager snapManager, EventLoop loop) {
        this.engines = engines;
        this.snapManager = snapManager;
        this.log = Log.of(loop, "region worker");
        MailboxHandler<GenerateTask> handler = this::generateAll;
        this.tasks = loop.mailbox("region worker", handler);
    }

    public SnapManager snapManager() {
        return snapManager;
    }

    /** Queues the generation; {@link SnapManager#latestGenerated} has the snapshot once it is done. */
    public void requestSnapshot(GenerateTask task) {
        generating.add(task.key().regionId());
        tasks.send(task);
    }

    public boolean isGenerating(long regionId) {
        return generating.contains(regionId);
    }

    private void generateAll(List<GenerateTask> batch) {
        for (GenerateTask task : batch) {
            try (EngineSnapshot kv = task.kvSnapshot()) {
                SnapshotContent content = SnapshotContent.scan(kv, task.region());
                Snapshot raftSnapshot = Snapshot.newBuilder()
                        .setMetadata(SnapshotMetadata.newBuilder().setIndex(task.key().index())
                                .setTerm(task.key().term()).setConfState(task.confState()))
                        .setData(RaftSnapshotData.newBuilder().setRegion(task.region()).setFileSize(content.size())
                                .setMeta(content.meta()).build().toByteString())
                        .build();
                snapManager.putGenerated(task.key(), raftSnapshot, content);
            } finally {
                generating.remove(task.key().regionId());
            }
        }
    }

    /**
     * Replaces the region's data in every column family with the received snapshot's, in one write.
     *
     * @throws IllegalStateException if this store does not hold the snapshot (it was never received whole)
     */
    public void applySnapshot(SnapKey key, Region region) {
        SnapshotContent content = snapManager.content(key).orElseThrow(() -> new IllegalStateException(
                "region " + region.getId() + ": " + key + " is to be applied, but this store does not hold it"));
        // The data goes here, the apply state and the raft state in the writes that end this handling: no crash
        // may fall between them (a restart would find a log and an applied index that do not join up).
        engines.holdCrashesForThisHandling("region " + region.getId() + " applies " + key);
        byte[] start = Keys.dataKey(region.getStartKey().toByteArray());
        byte[] end = Keys.dataEndKey(region.getEndKey().toByteArray());
        WriteBatch batch = new WriteBatch();
        for (String cf : ColumnFamilies.KV) {
            batch.deleteRangeCF(cf, start, end);
        }
        content.writeTo(batch);
        engines.kv().write(batch);
        snapManager.applied(key);
        log.info("region %d: applied %s (%d bytes)", region.getId(), key, content.size());
    }
}
