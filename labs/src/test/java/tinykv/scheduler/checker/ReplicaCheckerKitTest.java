package tinykv.scheduler.checker;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tinykv.proto.metapb.Peer;
import tinykv.proto.metapb.Region;
import tinykv.proto.metapb.RegionEpoch;
import tinykv.proto.metapb.Store;
import tinykv.proto.schedulerpb.StoreStats;
import tinykv.scheduler.core.RegionInfo;
import tinykv.scheduler.operator.OpKind;
import tinykv.scheduler.operator.OpStep;
import tinykv.scheduler.operator.Operator;
import tinykv.scheduler.schedule.ScheduleConfig;
import tinykv.scheduler.server.RaftCluster;
import tinykv.sim.Simulator;

/**
 * The replica checker the coordinator patrols the regions with: a region gets back to its number of
 * replicas, and a peer on a store down too long is replaced. Regions are put in directly (no heartbeat, so no
 * lab 3C code runs).
 */
@Tag("kit")
@DisplayName("Kit: the replica checker keeps each region at its replicas")
class ReplicaCheckerKitTest {
    private static final Duration MAX_STORE_DOWN_TIME = Duration.ofSeconds(5);

    private final Simulator sim = new Simulator(1);
    private final RaftCluster cluster = new RaftCluster(1, ScheduleConfig.DEFAULT.withMaxReplicas(3)
            .withMaxStoreDownTime(MAX_STORE_DOWN_TIME), sim.newLoop("scheduler"));
    private final ReplicaChecker checker = new ReplicaChecker();

    /** Five stores, all reporting now; store s holds {@code 10 - s} other regions of size 1 (store 5 the fewest). */
    @BeforeEach
    void fiveStores() {
        cluster.bootstrap(store(1), Region.newBuilder().setId(1).addPeers(peer(1, 1)).build());
        for (long id = 2; id <= 5; id++) {
            cluster.putStore(store(id));
        }
        heartbeat(1, 2, 3, 4, 5);
        for (long id = 1; id <= 5; id++) {
            for (int i = 0; i < 10 - id; i++) {
                long regionId = 1000 + 100 * id + i;
                put(regionId, peer(regionId * 10, id)); // a one-peer region, for the store's size only
            }
        }
    }

    @Test
    @DisplayName("a region with its replicas on stores that report gets no operator")
    void healthyRegionIsLeftAlone() {
        assertThat(checker.check(cluster, put(1, peer(11, 1), peer(12, 2), peer(13, 3)))).isEmpty();
    }

    @Test
    @DisplayName("a region short of a replica gets a peer on the store with the least data that holds none")
    void makesUpAMissingReplica() {
        Operator op = checker.check(cluster, put(1, peer(11, 1), peer(12, 2))).orElseThrow();
        assertThat(op.hasKind(OpKind.REPLICA)).isTrue();
        assertThat(op.steps()).singleElement().isInstanceOfSatisfying(OpStep.AddPeer.class,
                add -> assertThat(add.toStore()).isEqualTo(5));
    }

    @Test
    @DisplayName("a region with a replica too many loses a follower, the one on the store with the most data")
    void removesAnExtraReplica() {
        Operator op = checker.check(cluster, put(1, peer(11, 1), peer(12, 2), peer(13, 3), peer(14, 4))).orElseThrow();
        // Store 1 holds the most but leads the region; of the followers, store 2 holds the most.
        assertThat(op.steps()).containsExactly(new OpStep.RemovePeer(2));
    }

    @Test
    @DisplayName("a peer on a store silent longer than maxStoreDownTime is replaced; a store never heard is not down")
    void replacesAPeerOnADownStore() {
        sim.runFor(MAX_STORE_DOWN_TIME.plusSeconds(1));
        heartbeat(1, 2, 4, 5); // store 3 has been silent since the start
        Operator op = checker.check(cluster, put(1, peer(11, 1), peer(12, 2), peer(13, 3))).orElseThrow();
        assertThat(op.steps()).hasSize(2).first().isInstanceOfSatisfying(OpStep.AddPeer.class,
                add -> assertThat(add.toStore()).isEqualTo(5));
        assertThat(op.steps().get(1)).isEqualTo(new OpStep.RemovePeer(3));

        cluster.putStore(store(6)); // never reports: not taken for down, and never a target
        heartbeat(1, 2, 3, 4, 5);
        assertThat(checker.check(cluster, put(2, peer(21, 1), peer(22, 2), peer(26, 6)))).isEmpty();
    }

    @Test
    @DisplayName("with a replica too many and one of them on a down store, the down one goes")
    void removesTheDownPeerFirst() {
        sim.runFor(MAX_STORE_DOWN_TIME.plusSeconds(1));
        heartbeat(1, 2, 3, 5);
        Optional<Operator> op = checker.check(cluster, put(1, peer(11, 1), peer(12, 2), peer(13, 3), peer(14, 4)));
        assertThat(op.orElseThrow().steps()).containsExactly(new OpStep.RemovePeer(4));
    }

    // ---- helpers ----

    private void heartbeat(long... storeIds) {
        for (long id : storeIds) {
            cluster.handleStoreHeartbeat(StoreStats.newBuilder().setStoreId(id).build());
        }
    }

    /** Puts region {@code id} over the keys {@code [id, id + 1)} (8 bytes each), its first peer leading. */
    private RegionInfo put(long id, Peer... peers) {
        Region meta = Region.newBuilder().setId(id).addAllPeers(List.of(peers))
                .setStartKey(key(id)).setEndKey(key(id + 1))
                .setRegionEpoch(RegionEpoch.newBuilder().setConfVer(1).setVersion(1)).build();
        RegionInfo region = RegionInfo.of(meta, peers[0]).withApproximateSize(1);
        cluster.core().putRegion(region);
        region.storeIds().forEach(cluster.core()::updateStoreStatus);
        return region;
    }

    private static ByteString key(long id) {
        return ByteString.copyFrom(ByteBuffer.allocate(8).putLong(id).array());
    }

    private static Peer peer(long id, long storeId) {
        return Peer.newBuilder().setId(id).setStoreId(storeId).build();
    }

    private static Store store(long id) {
        return Store.newBuilder().setId(id).setAddress("store-" + id).build();
    }
}
