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
            for (long index = firstPresent(task); index < task.endIndex(); index++) {
                deletes.deleteMeta(Keys.raftLogKey(task.regionId(), index));
            }
        }
        if (!deletes.isEmpty()) {
            raftEngine.write(deletes);
        }
    }

    /**
     * The index of the task's first entry still in the engine, or its end if none is: deletions start there,
     * not at a start index that may lie far below what a snapshot or an earlier deletion already removed.
     */
    private long firstPresent(RaftLogGcTask task) {
        byte[] end = Keys.raftLogKey(task.regionId(), task.endIndex());
        try (CfIterator it = raftEngine.iterator(ColumnFamilies.DEFAULT)) {
            it.seek(Keys.raftLogKey(task.regionId(), task.startIndex()));
            if (it.valid() && Arrays.compareUnsigned(it.key(), end) < 0) {
                return Keys.raftLogIndex(it.key());
            }
        }
        return task.endIndex();
    }
}
