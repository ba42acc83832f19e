package tinykv.kv.raftstore;

/**
 * Delete the region's raft log entries in [{@code startIndex}, {@code endIndex}) from the raft engine (lab
 * 2C). Entries already gone are skipped, so a start of 0 (a restarted peer does not know where earlier
 * deletions stopped) costs no more than the entries that are left.
 */
public record RaftLogGcTask(long regionId, long startIndex, long endIndex) {}
