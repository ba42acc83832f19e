package tinykv.kv.raftstore;

/**
 * Delete the region's raft log entries in [{@code startIndex}, {@code endIndex}) from the raft engine (lab
 * 2C). A start of 0 means "from the first entry there is": after a restart the peer does not know where
 * earlier deletions stopped.
 */
public record RaftLogGcTask(long regionId, long startIndex, long endIndex) {}
