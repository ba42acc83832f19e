package tinykv.kv.raftstore.snap;

import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tinykv.proto.eraftpb.Snapshot;
import tinykv.runtime.EventLoop;
import tinykv.runtime.Log;

/**
 * The snapshots one store holds (TinyKV's {@code SnapManager}), in memory: those its region worker generated
 * for its leaders to send, and those it received whole and has yet to apply.
 *
 * <p>A snapshot is deleted once applied, when a newer one of its region is generated, or when nobody has
 * used it for {@code keepUnused} (the store's snapshot GC tick asks). One being sent is never deleted.
 */
public final class SnapManager {

    /** What a store's snapshots have been through, for tests and reports. */
    public record Stats(int held, long generated, long received, long applied, long deleted,
            long transfersStarted, long transfersCompleted, long transfersAbandoned, long chunksSent,
            long chunksResent, long partialTransfersDropped, long corruptTransfersDropped) {}

    private static final class Held {
        final Snapshot raftSnapshot; // empty for a received snapshot: its raft message carries the metadata
        final SnapshotContent content;
        int senders;
        long lastUsed;

        Held(Snapshot raftSnapshot, SnapshotContent content, long now) {
            this.raftSnapshot = raftSnapshot;
            this.content = content;
            this.lastUsed = now;
        }
    }

    private final EventLoop loop;
    private final Log log;
    private final TreeMap<SnapKey, Held> held = new TreeMap<>();
    private long generated;
    private long received;
    private long applied;
    private long deleted;
    long transfersStarted;
    long transfersCompleted;
    long transfersAbandoned;
    long chunksSent;
    long chunksResent;
    long partialTransfersDropped;
    long corruptTransfersDropped;

    public SnapManager(EventLoop loop) {
        this.loop = loop;
        this.log = Log.of(loop, "snapshots");
    }

    /** Keeps a snapshot the region worker generated; older unused ones of the region go. */
    void putGenerated(SnapKey key, Snapshot raftSnapshot, SnapshotContent content) {
        deleteOlderUnused(key);
        held.put(key, new Held(raftSnapshot, content, loop.now()));
        generated++;
        log.info("generated %s: %d bytes", key, content.size());
    }

    /** Keeps a snapshot received whole from another store, until it is applied. */
    void putReceived(SnapKey key, SnapshotContent content) {
        if (held.putIfAbsent(key, new Held(Snapshot.getDefaultInstance(), content, loop.now())) == null) {
            received++;
        }
    }

    /** The newest snapshot generated here for the region, as raft sends it. */
    public Optional<Snapshot> latestGenerated(long regionId) {
        Map.Entry<SnapKey, Held> last = held.floorEntry(new SnapKey(regionId, Long.MAX_VALUE, Long.MAX_VALUE));
        while (last != null && last.getKey().regionId() == regionId) {
            if (last.getValue().raftSnapshot.hasMetadata()) {
                last.getValue().lastUsed = loop.now();
                return Optional.of(last.getValue().raftSnapshot);
            }
            last = held.lowerEntry(last.getKey());
        }
        return Optional.empty();
    }

    public Optional<SnapshotContent> content(SnapKey key) {
        return Optional.ofNullable(held.get(key)).map(h -> h.content);
    }

    /** A transfer of the snapshot starts: it is not deleted until {@link #release}. */
    void acquire(SnapKey key) {
        Held h = held.get(key);
        if (h != null) {
            h.senders++;
            h.lastUsed = loop.now();
        }
    }

    void release(SnapKey key) {
        Held h = held.get(key);
        if (h != null) {
            h.senders--;
            h.lastUsed = loop.now();
        }
    }

    /** The snapshot is in the engine now: its copy here is no longer needed. */
    void applied(SnapKey key) {
        Held h = held.get(key);
        if (h != null && h.senders == 0) {
            held.remove(key);
        }
        applied++;
    }

    /** Deletes every snapshot unused for {@code keepUnusedMs}; returns how many. */
    public int gc(long keepUnusedMs) {
        int before = held.size();
        held.entrySet().removeIf(e -> e.getValue().senders == 0 && loop.now() - e.getValue().lastUsed >= keepUnusedMs);
        int removed = before - held.size();
        if (removed > 0) {
            deleted += removed;
            log.info("deleted %d unused snapshots", removed);
        }
        return removed;
    }

    private void deleteOlderUnused(SnapKey newer) {
        Iterator<Map.Entry<SnapKey, Held>> it = held.headMap(newer, false).descendingMap().entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<SnapKey, Held> e = it.next();
            if (e.getKey().regionId() != newer.regionId()) {
                break;
            }
            if (e.getValue().senders == 0 && e.getValue().raftSnapshot.hasMetadata()) {
                it.remove();
                deleted++;
            }
        }
    }

    public Stats stats() {
        return new Stats(held.size(), generated, received, applied, deleted, transfersStarted, transfersCompleted,
                transfersAbandoned, chunksSent, chunksResent, partialTransfersDropped, corruptTransfersDropped);
    }
}
