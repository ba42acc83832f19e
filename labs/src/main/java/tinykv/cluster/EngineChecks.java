package tinykv.cluster;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import tinykv.kv.engine.CfIterator;
import tinykv.kv.engine.ColumnFamilies;
import tinykv.kv.engine.Engines;
import tinykv.kv.raftstore.RegionChecks;
import tinykv.kv.raftstore.meta.Keys;
import tinykv.kv.storage.KeyRange;
import tinykv.kv.raftstore.meta.MetaStates;
import tinykv.proto.metapb.Region;
import tinykv.proto.raft_serverpb.RaftApplyState;
import tinykv.sim.Simulator;

/**
 * Checks on what a store's engines hold, read directly rather than through raft: a key's value (retried for
 * a while, like TinyKV's 300 looks 20 ms apart, since a follower applies late), and lab 2C's log checks.
 */
final class EngineChecks {
    /** TinyKV's engine checks: 300 looks, 20 ms apart. */
    private static final int ENGINE_CHECKS = 300;
    private static final long ENGINE_CHECK_MS = 20;

    private final Simulator sim;
    private final StoreProcesses stores;
    private final ClusterRequests requests;

    EngineChecks(Simulator sim, StoreProcesses stores, ClusterRequests requests) {
        this.sim = sim;
        this.stores = stores;
        this.requests = requests;
    }

    void mustGetCfEqual(long storeId, String cf, byte[] key, byte[] value) {
        mustHoldWithin("store " + storeId + " holds " + cf + " " + KeyText.of(key) + " = " + KeyText.of(value),
                () -> read(storeId, cf, key).map(v -> Arrays.equals(v, value)).orElse(false),
                () -> "it holds " + read(storeId, cf, key).map(KeyText::of).orElse("nothing"));
    }

    void mustGetCfNone(long storeId, String cf, byte[] key) {
        mustHoldWithin("store " + storeId + " holds no " + cf + " " + KeyText.of(key),
                () -> read(storeId, cf, key).isEmpty(),
                () -> "it holds " + read(storeId, cf, key).map(KeyText::of).orElse("nothing"));
    }

    private Optional<byte[]> read(long storeId, String cf, byte[] key) {
        return StoreStorage.readData(stores.engines(storeId), cf, key);
    }

    private void mustHoldWithin(String what, BooleanSupplier check, Supplier<String> actual) {
        for (int i = 0; i < ENGINE_CHECKS; i++) {
            if (check.getAsBoolean()) {
                return;
            }
            sim.runFor(Duration.ofMillis(ENGINE_CHECK_MS));
        }
        throw sim.checkFailed(new AssertionError("expected " + what + " within " + ENGINE_CHECKS * ENGINE_CHECK_MS
                + " ms of virtual time, but " + actual.get()));
    }

    /** No running store keeps more than {@code 2 * limit} applied entries of any region, regions in key order. */
    void checkRaftLogsTrimmed(long limit) {
        byte[] key = new byte[0];
        while (true) {
            Region region = requests.getRegion(key);
            for (long storeId : stores.runningStoreIds()) {
                Optional<RaftApplyState> state = MetaStates.applyState(stores.engines(storeId).kv(), region.getId());
                if (state.isEmpty()) {
                    continue;
                }
                long applied = state.get().getAppliedIndex();
                long truncated = state.get().getTruncatedState().getIndex();
                if (applied - truncated > 2 * limit) {
                    throw sim.checkFailed(new AssertionError("logs were not trimmed on store " + storeId + ", region "
                            + region.getId() + ": applied index " + applied + " - truncated index " + truncated
                            + " > 2 * " + limit));
                }
            }
            key = region.getEndKey().toByteArray();
            if (key.length == 0) {
                return;
            }
        }
    }

    /** The store's raft engine holds no log entry of the region at or below its truncated index. */
    void checkCompactedEntriesDeleted(long storeId, long regionId) {
        Engines engines = stores.engines(storeId);
        long truncated = MetaStates.applyState(engines.kv(), regionId)
                .orElseThrow(() -> new AssertionError("store " + storeId + " has no apply state for region " + regionId))
                .getTruncatedState().getIndex();
        try (CfIterator it = engines.raft().iterator(ColumnFamilies.DEFAULT)) {
            it.seek(Keys.raftLogKey(regionId, 0));
            if (it.valid() && Arrays.compareUnsigned(it.key(), Keys.raftLogKey(regionId, truncated + 1)) < 0) {
                throw sim.checkFailed(new AssertionError("store " + storeId + " still holds raft log entry " + Keys.raftLogIndex(it.key())
                        + " of region " + regionId + ", at or below its truncated index " + truncated
                        + ": compacted entries must go to the raft-log GC"));
            }
        }
    }

    static final String NO_OPEN_RESOURCES = "once the cluster is quiet, no engine snapshot, iterator or region "
            + "reader is left open";

    /** {@link #NO_OPEN_RESOURCES} on every running store: what a handling opens, it closes (or hands on, once). */
    void checkNoOpenResources() {
        for (long storeId : stores.runningStoreIds()) {
            Engines engines = stores.engines(storeId);
            int open = engines.kv().openResourceCount() + engines.raft().openResourceCount();
            if (open > 0) {
                // A plain assertion: the check runs at the quiet point, and the cluster still shuts down after it.
                throw new AssertionError(NO_OPEN_RESOURCES + ": store " + storeId + " has " + open + " open ("
                        + engines.kv().openResourceCount() + " on its kv engine, " + engines.raft().openResourceCount()
                        + " on its raft engine): close every iterator and snapshot with try-with-resources (virtual time "
                        + sim.now() / 1000.0 + "s, seed " + sim.seed() + ")");
            }
        }
    }

    /**
     * The running store holds a peer of exactly the regions the scheduler has a peer of on it, each with the
     * scheduler's range and epoch (the store caught up on every split and membership change).
     */
    void mustHoldRegionsOfScheduler(long storeId, TestScheduler scheduler) {
        mustHoldWithin("store " + storeId + " holds the regions the scheduler places on it",
                () -> heldRegions(storeId).equals(expectedRegions(storeId, scheduler)),
                () -> "it holds " + heldRegions(storeId) + " where the scheduler has " + expectedRegions(storeId, scheduler));
    }

    private List<String> heldRegions(long storeId) {
        return stores.running(storeId).orElseThrow().peerStatuses().stream()
                .map(peer -> describe(peer.region())).sorted().toList();
    }

    private static List<String> expectedRegions(long storeId, TestScheduler scheduler) {
        return scheduler.regions().stream().filter(region -> RegionChecks.findPeer(region, storeId).isPresent())
                .map(EngineChecks::describe).sorted().toList();
    }

    /** {@code region 2 [6b31, +inf) {version 2, confVer 1}}. */
    private static String describe(Region region) {
        return "region " + region.getId() + " " + KeyRange.of(region) + " {version "
                + region.getRegionEpoch().getVersion() + ", confVer " + region.getRegionEpoch().getConfVer() + "}";
    }

}
