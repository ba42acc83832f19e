package tinykv.scheduler.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tinykv.kv.storage.KeyRange;
import tinykv.proto.metapb.Peer;
import tinykv.proto.metapb.Region;
import tinykv.proto.metapb.RegionEpoch;

/**
 * The scheduler's region indexes (provided code): the key-range tree and the per-store sets agree after
 * every add, replace and remove (TinyKV's {@code testRegionsInfoSuite}), overlaps are found and taken out,
 * and lookups by key follow {@link KeyRange}'s rules.
 */
@Tag("kit")
@DisplayName("Kit: the scheduler's region tree and indexes")
class RegionsInfoKitTest {
    private static final int N = 10;
    private static final int NP = 3;

    /** Regions 0..n-1, region i over {@code [i, i+1)} with np peers on stores i, i+1, ... (mod n). */
    private static List<RegionInfo> newTestRegions() {
        List<RegionInfo> regions = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            List<Peer> peers = new ArrayList<>();
            for (int j = 0; j < NP; j++) {
                peers.add(Peer.newBuilder().setId((long) i * NP + j).setStoreId((i + j) % N).build());
            }
            Region meta = Region.newBuilder().setId(i).addAllPeers(peers).setStartKey(key(i)).setEndKey(key(i + 1))
                    .setRegionEpoch(RegionEpoch.newBuilder().setConfVer(2).setVersion(2)).build();
            regions.add(RegionInfo.of(meta, peers.get(0)).withApproximateSize(i + 1));
        }
        return regions;
    }

    @Test
    @DisplayName("adding, replacing and removing regions keeps every index in step (TinyKV's RegionsInfo test)")
    void indexesAgree() {
        RegionsInfo cache = new RegionsInfo();
        List<RegionInfo> regions = newTestRegions();
        for (int i = 0; i < N; i++) {
            RegionInfo region = regions.get(i);
            assertThat(cache.getRegion(i)).as("region %d before it is added", i).isEmpty();
            assertThat(cache.searchRegion(key(i))).as("region of key %d before region %d is added", i, i).isEmpty();

            cache.addRegion(region);
            assertThat(cache.getRegion(i)).contains(region);
            assertThat(cache.searchRegion(key(i))).contains(region);
            assertThat(cache.searchPrevRegion(key(i))).as("region before region %d", i)
                    .isEqualTo(i == 0 ? java.util.Optional.empty() : java.util.Optional.of(regions.get(i - 1)));

            RegionInfo newLeader = region.withLeader(region.peers().get(NP - 1));
            cache.setRegion(newLeader);
            assertThat(cache.getRegion(i)).contains(newLeader);
            assertThat(cache.getLeader(region.peers().get(NP - 1).getStoreId(), i)).contains(newLeader);
            assertThat(cache.getFollower(region.peers().get(0).getStoreId(), i)).contains(newLeader);

            cache.removeRegion(newLeader);
            assertThat(cache.getRegion(i)).isEmpty();
            assertThat(cache.searchRegion(key(i))).isEmpty();
            assertThat(cache.getStoreRegionCount(region.peers().get(0).getStoreId())).as("regions of store %d "
                    + "after region %d left", region.peers().get(0).getStoreId(), i).isEqualTo(Math.min(i, NP - 1));

            cache.addRegion(region);
            assertThat(cache.getRegionCount()).isEqualTo(i + 1);
        }
        SplittableRandom random = new SplittableRandom(1);
        for (int store = 0; store < N; store++) {
            long id = store;
            assertThat(cache.randLeaderRegion(id, random, RegionInfo.healthRegion()))
                    .as("a region led from store %d", store).hasValueSatisfying(r ->
                            assertThat(r.leaderStoreId()).contains(id));
            assertThat(cache.randFollowerRegion(id, random, RegionInfo.healthRegion()))
                    .as("a region followed on store %d", store).hasValueSatisfying(r -> {
                        assertThat(r.leaderStoreId()).isNotEqualTo(java.util.Optional.of(id));
                        assertThat(r.storePeer(id)).isPresent();
                    });
            assertThat(cache.getStoreRegionCount(id)).isEqualTo(NP);
            assertThat(cache.getStoreRegionSize(id)).isEqualTo(
                    regions.stream().filter(r -> r.storePeer(id).isPresent()).mapToLong(RegionInfo::approximateSize).sum());
        }

        // A region widened over its left neighbour takes the neighbour out.
        RegionInfo widened = regions.get(N - 1).withStartKey(regions.get(N - 2).startKey());
        assertThat(cache.addRegion(widened)).as("regions overlapped by %s", widened)
                .extracting(RegionInfo::id).contains((long) N - 2);
        assertThat(cache.getRegion(N - 2)).as("region %d after %s", N - 2, widened).isEmpty();
        assertThat(cache.getRegion(N - 1)).contains(widened);
        assertThat(cache.getRegionCount()).isEqualTo(N - 1);
        assertThat(cache.treeLength()).isEqualTo(N - 1);

        // Regions with pending peers are not healthy.
        for (RegionInfo region : cache.getRegions()) {
            cache.setRegion(region.withPendingPeers(region.peers()));
        }
        for (int store = 0; store < N; store++) {
            assertThat(cache.randLeaderRegion(store, random, RegionInfo.healthRegion())).isEmpty();
            assertThat(cache.randFollowerRegion(store, random, RegionInfo.healthRegion())).isEmpty();
            assertThat(cache.randPendingRegion(store, random, RegionInfo.healthRegionAllowPending())).isPresent();
        }
    }

    @Test
    @DisplayName("a region over the whole key space overlaps every region; scans and searches follow the ranges")
    void overlapsAndScans() {
        RegionsInfo cache = new RegionsInfo();
        newTestRegions().forEach(cache::addRegion);
        RegionInfo whole = RegionInfo.withoutLeader(Region.newBuilder().setId(100).build());
        assertThat(cache.getOverlaps(whole)).hasSize(N);
        assertThat(cache.scanRange(new KeyRange(key(3), key(6)), 0)).extracting(RegionInfo::id)
                .containsExactly(3L, 4L, 5L);
        assertThat(cache.scanRange(new KeyRange(key(3), ByteString.EMPTY), 2)).extracting(RegionInfo::id)
                .containsExactly(3L, 4L);
        assertThat(cache.searchRegion(key(N))).as("region of a key after every region").isEmpty();

        assertThat(cache.addRegion(whole)).hasSize(N);
        assertThat(cache.getRegions()).containsExactly(whole);
        assertThat(cache.getStoreRegionCount(0)).as("regions of store 0 after the whole-space region").isZero();
        assertThat(cache.searchRegion(key(200))).contains(whole);
    }

    private static ByteString key(int i) {
        return ByteString.copyFrom(new byte[] {(byte) i});
    }
}
