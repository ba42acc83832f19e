package tinykv.scheduler.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tinykv.labs.Seeds;
import tinykv.proto.metapb.Peer;
import tinykv.proto.metapb.Region;
import tinykv.proto.metapb.RegionEpoch;
import tinykv.proto.metapb.Store;
import tinykv.scheduler.core.BasicCluster;
import tinykv.scheduler.core.RegionInfo;
import tinykv.scheduler.core.StoreInfo;
import tinykv.scheduler.core.StoreStatus;
import tinykv.scheduler.schedule.ScheduleConfig;
import tinykv.sim.Simulator;

/** Clusters, regions and checks for the region-heartbeat tests (TinyKV's helpers in {@code cluster_test.go}). */
final class ClusterFixtures {
    static final long CLUSTER_ID = 1;

    private ClusterFixtures() {}

    /** A cluster on a simulator loop, bootstrapped with stores 1..n if n > 0 (none otherwise). */
    static RaftCluster newCluster(int stores) {
        RaftCluster cluster = new RaftCluster(CLUSTER_ID, ScheduleConfig.DEFAULT,
                new Simulator(Seeds.current()).newLoop("scheduler"));
        if (stores > 0) {
            Region first = Region.newBuilder().setId(1000).addPeers(Peer.newBuilder().setId(1001).setStoreId(1)).build();
            cluster.bootstrap(store(1), first);
            for (long id = 2; id <= stores; id++) {
                cluster.putStore(store(id));
            }
        }
        return cluster;
    }

    static Store store(long id) {
        return Store.newBuilder().setId(id).setAddress("127.0.0.1:" + (20160 + id)).build();
    }

    /**
     * TinyKV's {@code newTestRegions}: regions 1..n, region i with keys {@code [i-1, i)} and np peers
     * (ids from (i-1)·np + 1) on stores i, i+1, ... (mod n, from 1), the first leading, at epoch (2, 2).
     */
    static List<RegionInfo> newTestRegions(int n, int np) {
        List<RegionInfo> regions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<Peer> peers = new ArrayList<>();
            for (int j = 0; j < np; j++) {
                peers.add(Peer.newBuilder().setId((long) i * np + j + 1).setStoreId((i + j) % n + 1).build());
            }
            Region meta = Region.newBuilder().setId(i + 1).addAllPeers(peers)
                    .setStartKey(ByteString.copyFrom(new byte[] {(byte) i}))
                    .setEndKey(ByteString.copyFrom(new byte[] {(byte) (i + 1)}))
                    .setRegionEpoch(RegionEpoch.newBuilder().setConfVer(2).setVersion(2)).build();
            regions.add(RegionInfo.of(meta, peers.get(0)));
        }
        return regions;
    }

    /** TinyKV's {@code NewTestRegionInfo}: region 0 over the keys given, no peers, epoch (0, 0). */
    static RegionInfo newTestRegionInfo(ByteString start, ByteString end) {
        return RegionInfo.withoutLeader(Region.newBuilder().setStartKey(start).setEndKey(end)
                .setRegionEpoch(RegionEpoch.getDefaultInstance()).build());
    }

    /**
     * TinyKV's {@code SplitRegions}: each region splits at the middle of its one-byte keys; of n regions,
     * region r's left half gets id r + n, its right half r + 2n, both one version up.
     */
    static List<RegionInfo> splitRegions(List<RegionInfo> regions) {
        int n = regions.size();
        List<RegionInfo> results = new ArrayList<>();
        for (RegionInfo region : regions) {
            int start = region.startKey().isEmpty() ? 0 : Byte.toUnsignedInt(region.startKey().byteAt(0));
            int end = region.endKey().isEmpty() ? 255 : Byte.toUnsignedInt(region.endKey().byteAt(0));
            ByteString middle = ByteString.copyFrom(new byte[] {(byte) (start / 2 + end / 2)});
            results.add(withId(region, region.id() + n).withEndKey(middle).withIncVersion());
            results.add(withId(region, region.id() + 2L * n).withStartKey(middle).withIncVersion());
        }
        return results;
    }

    /**
     * TinyKV's {@code MergeRegions}: neighbours merge in pairs (a last odd one merges with itself) into a
     * region with id left + n, the higher version of the two plus one.
     */
    static List<RegionInfo> mergeRegions(List<RegionInfo> regions) {
        int n = regions.size();
        List<RegionInfo> results = new ArrayList<>();
        for (int i = 0; i < n; i += 2) {
            RegionInfo left = regions.get(i);
            RegionInfo right = i + 1 < n ? regions.get(i + 1) : left;
            RegionEpoch newer = left.epoch().getVersion() > right.epoch().getVersion() ? left.epoch() : right.epoch();
            Region meta = Region.newBuilder().setId(left.id() + n).setStartKey(left.startKey())
                    .setEndKey(right.endKey()).setRegionEpoch(newer).build();
            results.add(RegionInfo.withoutLeader(meta).withIncVersion());
        }
        return results;
    }

    private static Map<Long, RegionInfo> byId(Collection<RegionInfo> regions) {
        Map<Long, RegionInfo> byId = new TreeMap<>();
        regions.forEach(region -> byId.put(region.id(), region));
        return byId;
    }

    private static RegionInfo withId(RegionInfo region, long id) {
        return region.withMeta(region.meta().toBuilder().setId(id).build());
    }

    /**
     * TinyKV's {@code checkRegions}: the cluster knows exactly {@code regions}, and its per-store leader,
     * follower and region counts and indexes agree with them. Differs from TinyKV: also every store's
     * statistics must agree with the regions (TinyKV checks that only in RegionGetStoresInfo).
     */
    static void checkRegions(BasicCluster core, Collection<RegionInfo> regions) {
        Map<Long, Integer> regionCount = new TreeMap<>();
        Map<Long, Integer> leaderCount = new TreeMap<>();
        Map<Long, Integer> followerCount = new TreeMap<>();
        for (RegionInfo region : regions) {
            for (Peer peer : region.peers()) {
                long store = peer.getStoreId();
                regionCount.merge(store, 1, Integer::sum);
                if (region.isLeader(peer)) {
                    leaderCount.merge(store, 1, Integer::sum);
                    assertThat(core.getLeader(store, region.id())).as("%s in store %d's leaders", region, store)
                            .contains(region);
                } else {
                    followerCount.merge(store, 1, Integer::sum);
                    assertThat(core.getFollower(store, region.id())).as("%s in store %d's followers", region, store)
                            .contains(region);
                }
            }
        }
        assertThat(byId(core.getRegions())).as("the regions the scheduler knows, by id").isEqualTo(byId(regions));
        assertThat(core.treeLength()).as("regions in the key-range tree").isEqualTo(regions.size());
        regionCount.forEach((store, count) -> assertThat(core.getStoreRegionCount(store))
                .as("regions with a peer on store %d", store).isEqualTo(count));
        leaderCount.forEach((store, count) -> assertThat(core.getStoreLeaderCount(store))
                .as("regions led from store %d", store).isEqualTo(count));
        followerCount.forEach((store, count) -> assertThat(core.getStoreFollowerCount(store))
                .as("regions with a follower on store %d", store).isEqualTo(count));
        assertThat(core.getMetaRegions()).as("the region metas the scheduler knows, in id order")
                .isEqualTo(byId(regions).values().stream().map(RegionInfo::meta).toList());
        for (StoreInfo store : core.getStores()) {
            long id = store.id();
            StoreStatus counted = new StoreStatus(core.getStoreLeaderCount(id), core.getStoreRegionCount(id),
                    core.getStorePendingPeerCount(id), core.getStoreLeaderRegionSize(id), core.getStoreRegionSize(id));
            assertThat(store.status()).as("statistics of store %d (updateStoreStatus after the heartbeat?)", id)
                    .isEqualTo(counted);
        }
    }
}
