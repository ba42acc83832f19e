package tinykv.kv.raftstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tinykv.kv.engine.CfIterator;
import tinykv.kv.engine.ColumnFamilies;
import tinykv.kv.engine.Engine;
import tinykv.kv.engine.EngineLocation;
import tinykv.kv.engine.Engines;
import tinykv.kv.engine.WriteBatch;
import tinykv.kv.raftstore.meta.Keys;
import tinykv.proto.eraftpb.Entry;
import tinykv.proto.eraftpb.HardState;
import tinykv.proto.raft_serverpb.RaftLocalState;

/**
 * The raft-log GC worker (lab 2C, TinyKV's {@code raftlog_gc.go}): a {@link RaftLogGcTask} deletes exactly
 * the region's entries in [start, end) from the raft engine, with start 0 meaning "from the first entry
 * there is", and touches nothing else.
 */
@DisplayName("RaftLogGcWorker: deletes compacted raft log entries")
class RaftLogGcWorkerTest {

    private static final long REGION = 5;
    /** Regions next to {@link #REGION} in key order, whose entries sit just before and after its own. */
    private static final long REGION_BEFORE = 4;
    private static final long REGION_AFTER = 6;
    private static final RaftLocalState RAFT_STATE = RaftLocalState.newBuilder().setLastIndex(20).setLastTerm(3)
            .setHardState(HardState.newBuilder().setTerm(3).setVote(1).setCommit(20)).build();

    private EngineLocation location;
    private Engine raft;
    private RaftLogGcWorker worker;

    @BeforeEach
    void openRaftEngine() {
        location = EngineLocation.inMemory("store 1");
        raft = Engines.open(location).raft();
        worker = new RaftLogGcWorker(raft);
    }

    @AfterEach
    void destroy() {
        location.close();
    }

    @Test
    @DisplayName("a task deletes exactly the entries [start, end) of its region")
    void deletesExactlyStartToEnd() {
        writeLog(REGION, 3, 20);

        worker.handle(List.of(new RaftLogGcTask(REGION, 6, 15)));

        assertThat(logIndexes(REGION)).as("region %d's entries after deleting [6, 15) of 3..20", REGION)
                .containsExactlyElementsOf(concat(range(3, 6), range(15, 21)));
    }

    @Test
    @DisplayName("other regions' entries and every raft state stay as they were")
    void leavesOtherRegionsAndRaftStatesAlone() {
        for (long region : new long[] {REGION_BEFORE, REGION, REGION_AFTER}) {
            writeLog(region, 1, 20);
            raft.putMeta(Keys.raftStateKey(region), RAFT_STATE);
        }

        worker.handle(List.of(new RaftLogGcTask(REGION, 1, 21)));

        assertThat(logIndexes(REGION)).as("region %d's entries after deleting all of them", REGION).isEmpty();
        assertThat(logIndexes(REGION_BEFORE)).as("entries of region %d, just before in key order", REGION_BEFORE)
                .containsExactlyElementsOf(range(1, 21));
        assertThat(logIndexes(REGION_AFTER)).as("entries of region %d, just after in key order", REGION_AFTER)
                .containsExactlyElementsOf(range(1, 21));
        for (long region : new long[] {REGION_BEFORE, REGION, REGION_AFTER}) {
            assertThat(raft.getMeta(Keys.raftStateKey(region), RaftLocalState.parser()))
                    .as("raft state of region %d", region).contains(RAFT_STATE);
        }
    }

    @Test
    @DisplayName("start 0 deletes from the first entry present (here 10, after an earlier GC) up to end")
    void startZeroMeansFromTheFirstEntryPresent() {
        writeLog(REGION_BEFORE, 1, 20);
        writeLog(REGION, 10, 20);
        raft.putMeta(Keys.raftStateKey(REGION), RAFT_STATE);

        worker.handle(List.of(new RaftLogGcTask(REGION, 0, 15)));

        assertThat(logIndexes(REGION)).as("region %d's entries 10..20 after deleting [0, 15)", REGION)
                .containsExactlyElementsOf(range(15, 21));
        assertThat(logIndexes(REGION_BEFORE)).as("entries of region %d", REGION_BEFORE)
                .containsExactlyElementsOf(range(1, 21));
        assertThat(raft.getMeta(Keys.raftStateKey(REGION), RaftLocalState.parser())).as("raft state")
                .contains(RAFT_STATE);
    }

    @Test
    @DisplayName("start 0 with no entry below end deletes nothing, not even the next region's entries")
    void startZeroWithNothingBelowEndDeletesNothing() {
        writeLog(REGION, 10, 20);
        writeLog(REGION_AFTER, 1, 20);

        worker.handle(List.of(new RaftLogGcTask(REGION, 0, 8)));
        worker.handle(List.of(new RaftLogGcTask(REGION_BEFORE, 0, 8))); // a region with no log at all

        assertThat(logIndexes(REGION)).as("region %d's entries, all at or above end 8", REGION)
                .containsExactlyElementsOf(range(10, 21));
        assertThat(logIndexes(REGION_AFTER)).as("entries of region %d", REGION_AFTER)
                .containsExactlyElementsOf(range(1, 21));
    }

    @Test
    @DisplayName("a batch of tasks for several regions deletes each region's own range")
    void batchOfTasksForSeveralRegions() {
        writeLog(REGION_BEFORE, 1, 20);
        writeLog(REGION, 1, 20);
        writeLog(REGION_AFTER, 1, 20);

        worker.handle(List.of(new RaftLogGcTask(REGION, 1, 5), new RaftLogGcTask(REGION_AFTER, 0, 12),
                new RaftLogGcTask(REGION, 5, 8)));

        assertThat(logIndexes(REGION_BEFORE)).as("entries of region %d, not named by any task", REGION_BEFORE)
                .containsExactlyElementsOf(range(1, 21));
        assertThat(logIndexes(REGION)).as("region %d after [1, 5) then [5, 8)", REGION)
                .containsExactlyElementsOf(range(8, 21));
        assertThat(logIndexes(REGION_AFTER)).as("region %d after [0, 12)", REGION_AFTER)
                .containsExactlyElementsOf(range(12, 21));
    }

    @Test
    @DisplayName("an empty range (start = end) deletes nothing")
    void emptyRangeDeletesNothing() {
        writeLog(REGION, 1, 20);

        worker.handle(List.of(new RaftLogGcTask(REGION, 7, 7)));

        assertThat(logIndexes(REGION)).as("region %d's entries", REGION).containsExactlyElementsOf(range(1, 21));
    }

    // ---- helpers ----

    /** Entries first..last (inclusive) of a region, as peer storage appends them. */
    private void writeLog(long regionId, long first, long last) {
        WriteBatch batch = new WriteBatch();
        for (long index = first; index <= last; index++) {
            batch.setMeta(Keys.raftLogKey(regionId, index), Entry.newBuilder().setTerm(3).setIndex(index).build());
        }
        raft.write(batch);
    }

    /** The indexes of the region's log entries in the raft engine, in key order; checks each entry's own index. */
    private List<Long> logIndexes(long regionId) {
        List<Long> indexes = new ArrayList<>();
        byte[] prefix = Keys.raftLogPrefix(regionId);
        try (CfIterator it = raft.iterator(ColumnFamilies.DEFAULT)) {
            for (it.seek(prefix); it.valid() && startsWith(it.key(), prefix); it.next()) {
                long index = Keys.raftLogIndex(it.key());
                assertThat(raft.getMeta(it.key(), Entry.parser())).as("entry under the key of index %d", index)
                        .hasValueSatisfying(entry -> assertThat(entry.getIndex()).isEqualTo(index));
                indexes.add(index);
            }
        }
        return indexes;
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length
                && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** from..to-1. */
    private static List<Long> range(long from, long toExclusive) {
        return LongStream.range(from, toExclusive).boxed().toList();
    }

    private static List<Long> concat(List<Long> first, List<Long> second) {
        List<Long> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
