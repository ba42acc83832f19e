package tinykv.kv.raftstore;

import java.util.Arrays;
import java.util.List;
import tinykv.kv.engine.CfIterator;
import tinykv.kv.engine.ColumnFamilies;
import tinykv.kv.engine.Engine;
import tinykv.kv.engine.WriteBatch;
import tinykv.kv.raftstore.meta.Keys;
import tinykv.runtime.MailboxHandler;

/**
 * The raft-log GC worker (TinyKV's {@code raftlog_gc.go}): deletes compacted raft log entries from the raft
 * engine in the background, so that applying a {@code CompactLog} costs the raft worker one small write. The
 * entries are already below the truncated index, so no reader looks at them any more.
 */
final class RaftLogGcWorker implements MailboxHandler<RaftLogGcTask> {
    private final Engine raftEngine;

    RaftLogGcWorker(Engine raftEngine) {
        this.raftEngine = raftEngine;
    }

    @Override
    public void handle(List<RaftLogGcTask> batch) {
        WriteBatch deletes = new WriteBatch();
        for (RaftLogGcTask task : batch) {
            long start = task.startIndex() == 0 ? firstIndex(task.regionId(), task.endIndex()) : task.startIndex();
            for (long index = start; index < task.endIndex(); index++) {
                deletes.deleteMeta(Keys.raftLogKey(task.regionId(), index));
            }
        }
        if (!deletes.isEmpty()) {
            raftEngine.write(deletes);
        }
    }

    /** The index of the region's first log entry still in the engine, or {@code endIndex} if none is below it. */
    private long firstIndex(long regionId, long endIndex) {
        byte[] end = Keys.raftLogKey(regionId, endIndex);
        try (CfIterator it = raftEngine.iterator(ColumnFamilies.DEFAULT)) {
            it.seek(Keys.raftLogKey(regionId, 0));
            if (it.valid() && Arrays.compareUnsigned(it.key(), end) < 0) {
                return Keys.raftLogIndex(it.key());
            }
        }
        return endIndex;
    }
}
