package tinykv.scheduler.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tinykv.labs.Points;
import tinykv.proto.metapb.Peer;
import tinykv.proto.metapb.Region;
import tinykv.proto.metapb.RegionEpoch;
import tinykv.proto.schedulerpb.RegionHeartbeatRequest;
import tinykv.proto.schedulerpb.StoreStats;
import tinykv.scheduler.core.RegionInfo;

/**
 * Lab 3C: region heartbeats arriving on several threads at once (TinyKV's {@code TestConcurrentHandleRegion3C}).
 * The scheduler in this kit runs on one event loop, but its heartbeat entry point is guarded so that it
 * may also be called from many threads; this test does so, with 2000 heartbeats of distinct regions, and
 * then checks that every one was taken in and that the picture is consistent.
 *
 * <p>Differs from TinyKV: besides "every heartbeat succeeds", it checks the state left behind (TinyKV
 * checks only that no heartbeat returned an error).
 */
@Points(1)
@Tag("lab3c")
@DisplayName("3C concurrent region heartbeats")
class ConcurrentHeartbeats3CTest {
    private static final int CONCURRENT = 2000;
    private static final int THREADS = 4;
    private static final long MIB = 1 << 20;

    @Test
    void concurrentHandleRegion3C() throws InterruptedException {
        RaftCluster cluster = ClusterFixtures.newCluster(3);
        // Every store heartbeats, and reports one region over the whole key space (no epoch yet).
        for (long storeId = 1; storeId <= 3; storeId++) {
            cluster.handleStoreHeartbeat(StoreStats.newBuilder().setStoreId(storeId).setCapacity(1000 * MIB)
                    .setAvailable(1000 * MIB).build());
            Peer peer = cluster.allocPeer(storeId);
            cluster.handleRegionHeartbeat(RegionHeartbeatRequest.newBuilder().setLeader(peer)
                    .setRegion(Region.newBuilder().setId(cluster.allocId()).addPeers(peer)).build());
        }

        List<RegionInfo> regions = new ArrayList<>();
        for (int i = 0; i < CONCURRENT; i++) {
            Peer peer = cluster.allocPeer(1);
            Region region = Region.newBuilder().setId(cluster.allocId()).addPeers(peer)
                    .setStartKey(i == 0 ? ByteString.EMPTY : key(i))
                    .setEndKey(i == CONCURRENT - 1 ? ByteString.EMPTY : key(i + 1))
                    .setRegionEpoch(RegionEpoch.newBuilder().setConfVer(1).setVersion(1)).build();
            regions.add(RegionInfo.of(region, peer));
        }

        List<Callable<Void>> heartbeats = regions.stream().<Callable<Void>>map(region -> () -> {
            cluster.handleRegionHeartbeat(region);
            return null;
        }).toList();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            for (Future<Void> done : threads.invokeAll(heartbeats)) {
                try {
                    done.get();
                } catch (ExecutionException e) {
                    throw new AssertionError("a concurrent region heartbeat failed: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(cluster.getRegionCount()).as("regions after %d concurrent heartbeats of distinct regions "
                + "covering the key space", CONCURRENT).isEqualTo(CONCURRENT);
        for (RegionInfo region : regions) {
            assertThat(cluster.getRegion(region.id())).as("region %d by id", region.id()).contains(region);
            assertThat(cluster.getRegionInfoByKey(region.startKey())).as("region by the start key of %s", region)
                    .contains(region);
        }
        ClusterFixtures.checkRegions(cluster.core(), regions);
        assertThat(cluster.getStore(1).orElseThrow().regionCount()).as("region count of store 1").isEqualTo(CONCURRENT);
        assertThat(cluster.getStore(2).orElseThrow().regionCount()).as("region count of store 2, whose whole-space "
                + "region the others replaced").isZero();
    }

    /** TinyKV's keys: the number right-aligned in five characters, so that numbers sort as keys. */
    private static ByteString key(int i) {
        return ByteString.copyFromUtf8(String.format(Locale.ROOT, "%5d", i));
    }
}
