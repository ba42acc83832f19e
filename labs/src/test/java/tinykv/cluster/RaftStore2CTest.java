package tinykv.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static tinykv.cluster.GenericTest.Option.CRASH;
import static tinykv.cluster.GenericTest.Option.CRASH_MINORITY;
import static tinykv.cluster.GenericTest.Option.CRASH_POINTS;
import static tinykv.cluster.GenericTest.Option.PARTITIONS;
import static tinykv.cluster.GenericTest.Option.UNRELIABLE;
import static tinykv.cluster.GenericTest.clients;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import tinykv.kv.engine.ColumnFamilies;
import tinykv.kv.engine.Engines;
import tinykv.kv.raftstore.SnapshotConfig;
import tinykv.kv.raftstore.StoreConfig;
import tinykv.kv.raftstore.meta.MetaStates;
import tinykv.kv.raftstore.snap.SnapshotTraffic;
import tinykv.labs.Points;
import tinykv.labs.Seeded;
import tinykv.proto.raft_serverpb.RaftApplyState;
import tinykv.proto.raft_serverpb.RaftMessage;
import tinykv.sim.Envelope;
import tinykv.sim.Filter;
import tinykv.sim.PartitionFilter;
import tinykv.sim.Simulator;

/**
 * Lab 2C: raft-log GC and snapshots in the raftstore (TinyKV's {@code test_raftstore/test_test.go}, the 2C
 * tests). A leader compacts its log once more than {@code raftLogGcCountLimit} applied entries pile up, so a
 * follower that falls behind can only catch up by a snapshot, which travels in chunks on the snapshot channel.
 * Every test checks, after each round, that no store keeps more than twice the limit of applied entries.
 * {@code make lab2c TEST=<name> SEED=<n>} replays a run exactly.
 */
@Tag("lab2c")
@Points(1)
@Seeded
@DisplayName("Lab 2C: raft-log GC and snapshots in the raftstore")
class RaftStore2CTest {
    private static final int GC_LIMIT = 100;

    private static void generic(TestInfo info, GenericTest test) {
        test.run(info.getTestMethod().orElseThrow().getName(), Simulator.forCurrentSeed());
    }

    /**
     * A store cut off while the others write is brought up to date by a snapshot (lock-CF keys included, a
     * deleted key gone), and still has the data after a restart (TinyKV's TestOneSnapshot2C).
     */
    @Test
    @DisplayName("a store cut off while the log is compacted catches up by a snapshot (TestOneSnapshot2C)")
    void oneSnapshot2C(TestInfo info) {
        Simulator sim = Simulator.forCurrentSeed();
        StoreConfig config = StoreConfig.forTests().withRaftLogGcCountLimit(10);
        try (Cluster cluster = new Cluster(3, config, sim)) {
            cluster.start();
            String cf = ColumnFamilies.LOCK;
            cluster.mustPutCF(cf, bytes("k1"), bytes("v1"));
            cluster.mustPutCF(cf, bytes("k2"), bytes("v2"));
            cluster.mustGetCfEqual(1, cf, bytes("k1"), bytes("v1"));
            cluster.mustGetCfEqual(1, cf, bytes("k2"), bytes("v2"));

            for (long store : cluster.storeIds()) {
                RaftApplyState state = applyState(cluster, store);
                assertThat(state.getTruncatedState().getIndex())
                        .as("store %d's truncated index before any compaction", store)
                        .isEqualTo(MetaStates.RAFT_INIT_LOG_INDEX);
                assertThat(state.getTruncatedState().getTerm())
                        .as("store %d's truncated term before any compaction", store)
                        .isEqualTo(MetaStates.RAFT_INIT_LOG_TERM);
            }

            cluster.addFilter(new PartitionFilter<>(Set.of(1L), Set.of(2L, 3L)));
            // Enough writes for the majority to compact its log past everything store 1 has.
            for (int i = 100; i < 115; i++) {
                cluster.mustPutCF(cf, bytes("k" + i), bytes("v" + i));
            }
            cluster.mustDeleteCF(cf, bytes("k2"));
            sim.runFor(Duration.ofMillis(500));
            cluster.mustGetCfNone(1, cf, bytes("k100"));
            cluster.clearFilters();

            // Now the snapshot must be applied on store 1.
            cluster.mustGetCfEqual(1, cf, bytes("k1"), bytes("v1"));
            cluster.mustGetCfEqual(1, cf, bytes("k100"), bytes("v100"));
            cluster.mustGetCfNone(1, cf, bytes("k2"));

            cluster.stopServer(1);
            cluster.startServer(1);

            cluster.mustGetCfEqual(1, cf, bytes("k1"), bytes("v1"));
            cluster.checkRaftLogsTrimmed(config.raftLogGcCountLimit());
        } finally {
            System.out.println(sim.summaryLine(info.getTestMethod().orElseThrow().getName()));
        }
    }

    @Test
    @DisplayName("one client, restarts, log GC at 100 entries (TestSnapshotRecover2C)")
    void snapshotRecover2C(TestInfo info) {
        generic(info, clients(1).with(CRASH).maxRaftLog(GC_LIMIT));
    }

    @Test
    @DisplayName("twenty clients, restarts, log GC at 100 entries (TestSnapshotRecoverManyClients2C)")
    void snapshotRecoverManyClients2C(TestInfo info) {
        generic(info, clients(20).with(CRASH).maxRaftLog(GC_LIMIT));
    }

    /**
     * Our own: the persist scenario with log GC, every store stopping at a crash point inside its work; a store
     * that comes back behind a compacted log catches up by snapshot. A handling that applies a snapshot is cut
     * only once it ends (its writes span both engines; the handout says why).
     */
    @Test
    @DisplayName("five clients, every store crashes at a crash point, log GC at 100 entries")
    void snapshotCrashPoints2C(TestInfo info) {
        generic(info, clients(5).with(CRASH_POINTS).maxRaftLog(GC_LIMIT));
    }

    /** Our own: up to two stores at a time crash at crash points and restart while the others serve, log GC on. */
    @Test
    @DisplayName("five clients, a minority of stores crashing at crash points and restarting, log GC at 100")
    void snapshotCrashMinority2C(TestInfo info) {
        generic(info, clients(5).with(CRASH_MINORITY).maxRaftLog(GC_LIMIT));
    }

    @Test
    @DisplayName("five clients, 10% drops, log GC at 100 entries (TestSnapshotUnreliable2C)")
    void snapshotUnreliable2C(TestInfo info) {
        generic(info, clients(5).with(UNRELIABLE).maxRaftLog(GC_LIMIT));
    }

    @Test
    @DisplayName("five clients, 10% drops, restarts, log GC at 100 entries (TestSnapshotUnreliableRecover2C)")
    void snapshotUnreliableRecover2C(TestInfo info) {
        generic(info, clients(5).with(UNRELIABLE, CRASH).maxRaftLog(GC_LIMIT));
    }

    @Test
    @DisplayName("five clients, drops, restarts, partitions, log GC at 100 (TestSnapshotUnreliableRecoverConcurrentPartition2C)")
    void snapshotUnreliableRecoverConcurrentPartition2C(TestInfo info) {
        generic(info, clients(5).with(UNRELIABLE, CRASH, PARTITIONS).maxRaftLog(GC_LIMIT));
    }

    /**
     * A snapshot transfer cut off by a partition after a few chunks is abandoned by both ends and nothing of
     * it is applied (checked after every event: the store's keys are always what some prefix of the writes
     * left); once the partition heals, a new transfer completes and the store has every key. At the end, no
     * store keeps compacted entries in its raft engine.
     */
    @Test
    @DisplayName("a snapshot transfer cut off by a partition is never applied half, and completes after healing")
    void snapshotTransferCutOffByPartitionIsNeverAppliedHalf(TestInfo info) {
        Simulator sim = Simulator.forCurrentSeed();
        StoreConfig config = StoreConfig.forTests().withRaftLogGcCountLimit(10)
                .withSnapshotConfig(SnapshotConfig.forTests().withChunkBytes(1024));
        int keys = 60;
        try (Cluster cluster = new Cluster(3, config, sim)) {
            cluster.start();
            cluster.mustPut(bytes("warm-up"), bytes("v"));
            // Cut off a follower, so that the clients' writes go straight to a leader in the majority.
            long leader = cluster.leaderOfRegion(1).orElseThrow(() -> new AssertionError("no leader")).getStoreId();
            long cutOff = leader == 3 ? 2 : 3;
            Set<Long> others = new TreeSet<>(cluster.storeIds());
            others.remove(cutOff);
            cluster.addFilter(new PartitionFilter<>(Set.of(cutOff), others));
            byte[] value = new byte[200];
            Arrays.fill(value, (byte) 'x');
            // Written in descending key order: a snapshot holds keys in ascending order, so part of one
            // would hold low keys without the higher ones written before them.
            for (int i = keys - 1; i >= 0; i--) {
                cluster.mustPut(key(i), value);
            }
            sim.runFor(Duration.ofMillis(500)); // the majority compacts past everything store 3 has
            cluster.clearFilters();

            // Let the first three chunks of a transfer to the store through, then cut the store off.
            ChunkCutter cutter = new ChunkCutter(cutOff, 3);
            cluster.addSnapshotFilter(cutter);
            cluster.addFilter(cutter.raftMessages());
            sim.checkAfterEachEvent("store " + cutOff + " holds what some prefix of the writes left", () -> {
                int gap = firstGapAfterHeldKey(cluster.engines(cutOff), keys);
                if (gap >= 0) {
                    throw new AssertionError("store " + cutOff + " holds " + text(key(gap - 1)) + " but not "
                            + text(key(gap)) + ", which was written before it: a snapshot applied in part");
                }
            });
            sim.mustRunUntil("a snapshot transfer to store " + cutOff + " is cut off", cutter::hasCut,
                    Duration.ofSeconds(5));
            sim.runFor(Duration.ofSeconds(4)); // both ends give the transfer up within 3 s

            // The key written last is only in a snapshot larger than the three chunks that got through.
            assertThat(StoreStorage.readData(cluster.engines(cutOff), ColumnFamilies.DEFAULT, key(0)))
                    .as("store %d's copy of the key written last, while cut off mid-transfer", cutOff).isEmpty();
            assertThat(cluster.snapshotStats(cutOff).partialTransfersDropped())
                    .as("partial transfers store %d dropped", cutOff).isGreaterThanOrEqualTo(1);
            assertThat(others.stream().mapToLong(store -> cluster.snapshotStats(store).transfersAbandoned()).sum())
                    .as("transfers the senders abandoned").isGreaterThanOrEqualTo(1);

            cluster.clearFilters();
            for (int i = 0; i < keys; i++) {
                cluster.mustGetEqual(cutOff, key(i), value);
            }
            assertThat(cluster.snapshotStats(cutOff).applied()).as("snapshots store %d applied after healing", cutOff)
                    .isGreaterThanOrEqualTo(1);
            sim.mustRunUntil("a sender hears that its snapshot arrived whole",
                    () -> others.stream().mapToLong(store -> cluster.snapshotStats(store).transfersCompleted()).sum() > 0,
                    Duration.ofSeconds(1));
            cluster.checkRaftLogsTrimmed(config.raftLogGcCountLimit());
            for (long store : cluster.storeIds()) {
                cluster.checkCompactedEntriesDeleted(store, 1);
            }
        } finally {
            System.out.println(sim.summaryLine(info.getTestMethod().orElseThrow().getName()));
        }
    }

    /**
     * Keys written in descending order leave, at any moment, every key from some point up: returns the first
     * missing key above a held one, or -1 if there is none.
     */
    private static int firstGapAfterHeldKey(Engines engines, int keys) {
        boolean held = false;
        for (int i = 0; i < keys; i++) {
            boolean present = StoreStorage.readData(engines, ColumnFamilies.DEFAULT, key(i)).isPresent();
            if (held && !present) {
                return i;
            }
            held |= present;
        }
        return -1;
    }

    /**
     * Passes snapshot chunks to a store until a transfer of at least twice {@code chunksAllowed} chunks sends
     * its chunk number {@code chunksAllowed}; from then on, cuts the store off from everyone, on the snapshot
     * channel and (through {@link #raftMessages()}) on the network.
     */
    private static final class ChunkCutter implements Filter<SnapshotTraffic> {
        private final long store;
        private final int chunksAllowed;
        private boolean cut;

        ChunkCutter(long store, int chunksAllowed) {
            this.store = store;
            this.chunksAllowed = chunksAllowed;
        }

        @Override
        public boolean before(Envelope<SnapshotTraffic> envelope, RandomGenerator random) {
            if (!cut && envelope.toStore() == store && envelope.message() instanceof SnapshotTraffic.Chunk chunk
                    && chunk.chunkCount() >= 2 * chunksAllowed && chunk.seq() >= chunksAllowed) {
                cut = true;
            }
            return !(cut && touches(envelope));
        }

        Filter<RaftMessage> raftMessages() {
            return new Filter<>() {
                @Override
                public boolean before(Envelope<RaftMessage> envelope, RandomGenerator random) {
                    return !(cut && touches(envelope));
                }

                @Override
                public String toString() {
                    return "cut store " + store + " off with its snapshot transfer";
                }
            };
        }

        private boolean touches(Envelope<?> envelope) {
            return envelope.toStore() == store || envelope.fromStore() == store;
        }

        boolean hasCut() {
            return cut;
        }

        @Override
        public String toString() {
            return "cut store " + store + " off once a transfer to it has sent " + chunksAllowed + " chunks";
        }
    }

    private static RaftApplyState applyState(Cluster cluster, long store) {
        return MetaStates.applyState(cluster.engines(store).kv(), 1)
                .orElseThrow(() -> new AssertionError("store " + store + " has no apply state for region 1"));
    }

    private static byte[] key(int i) {
        return bytes(String.format("key%03d", i));
    }

    private static String text(byte[] key) {
        return new String(key, UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }
}
