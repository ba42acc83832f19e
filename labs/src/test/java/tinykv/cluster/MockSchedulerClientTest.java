package tinykv.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tinykv.proto.eraftpb.ConfChangeType;
import tinykv.proto.metapb.Peer;
import tinykv.proto.metapb.Region;
import tinykv.proto.metapb.RegionEpoch;
import tinykv.proto.metapb.Store;
import tinykv.proto.schedulerpb.RegionHeartbeatRequest;
import tinykv.proto.schedulerpb.RegionHeartbeatResponse;
import tinykv.scheduler.client.RegionAndLeader;
import tinykv.scheduler.client.SchedulerException;

/** The test cluster's scheduler: registry, epochs, operators, and answers that never re-enter the caller. */
@Tag("kit")
@DisplayName("Kit: the mock scheduler client")
class MockSchedulerClientTest {
    private final List<Runnable> deferred = new ArrayList<>();
    private final List<RegionHeartbeatResponse> answers = new ArrayList<>();
    private MockSchedulerClient scheduler;

    @BeforeEach
    void bootstrap() {
        scheduler = new MockSchedulerClient(0, 6, (what, task) -> deferred.add(task));
        scheduler.bootstrap(Store.newBuilder().setId(1).build(), region(1, "", "", 1, 1, 1, 2, 3));
        for (long storeId = 1; storeId <= 3; storeId++) {
            scheduler.putStore(Store.newBuilder().setId(storeId).build());
            scheduler.setRegionHeartbeatResponseHandler(storeId, answers::add);
        }
    }

    @Test
    @DisplayName("ids count up from the first id; a second bootstrap is refused")
    void idsAndBootstrap() {
        assertThat(scheduler.allocId()).isEqualTo(6);
        assertThat(scheduler.allocId()).isEqualTo(7);
        assertThatThrownBy(() -> scheduler.bootstrap(Store.newBuilder().setId(1).build(), Region.getDefaultInstance()))
                .isInstanceOf(SchedulerException.class);
        assertThat(scheduler.getStore(2)).isPresent();
        assertThatThrownBy(() -> scheduler.getStore(9)).isInstanceOf(SchedulerException.class);
    }

    @Test
    @DisplayName("a heartbeat registers the region and its leader; the answer arrives later, not inside the call")
    void heartbeatRegistersRegionAndAnswersLater() {
        assertThat(scheduler.getRegion(bytes("k"))).isEmpty();
        scheduler.regionHeartbeat(heartbeat(region(1, "", "", 1, 1, 1, 2, 3), 2));
        RegionAndLeader found = scheduler.getRegion(bytes("k")).orElseThrow();
        assertThat(found.region().getId()).isEqualTo(1);
        assertThat(found.leader()).contains(peer(2));
        assertThat(scheduler.getRegionById(1)).isPresent();
        assertThat(answers).isEmpty();
        runDeferred();
        assertThat(answers).hasSize(1);
        assertThat(answers.get(0).getTargetPeer()).isEqualTo(peer(2));
    }

    @Test
    @DisplayName("a split's halves replace the old range; a stale report of the old range is ignored")
    void splitReplacesOverlappingRegion() {
        scheduler.regionHeartbeat(heartbeat(region(1, "", "", 1, 1, 1, 2, 3), 1));
        scheduler.regionHeartbeat(heartbeat(region(1, "", "m", 2, 1, 1, 2, 3), 1));
        scheduler.regionHeartbeat(heartbeat(region(10, "m", "", 2, 1, 1, 2, 3), 2));
        assertThat(scheduler.getRegion(bytes("a")).orElseThrow().region().getId()).isEqualTo(1);
        assertThat(scheduler.getRegion(bytes("z")).orElseThrow().region().getId()).isEqualTo(10);
        assertThat(scheduler.getRegion(bytes("m")).orElseThrow().region().getId()).isEqualTo(10);

        // A stale report from a peer that missed the split (on store 3, which had not reported before) changes nothing.
        scheduler.regionHeartbeat(heartbeat(region(1, "", "", 1, 1, 1, 2, 3), 3));
        assertThat(scheduler.regions()).extracting(Region::getId).containsExactly(1L, 10L);
    }

    @Test
    @DisplayName("a region that starts in a gap but covers a known region replaces it only if newer")
    void reportStartingInAGapIsCheckedAgainstWhatItCovers() {
        scheduler.regionHeartbeat(heartbeat(region(10, "m", "", 2, 1, 1, 2, 3), 1));
        // Region 1's new half [, m) has not reported yet: [, m) is a gap. An old report of region 1 over the whole
        // key space starts in that gap and covers region 10: it is stale and changes nothing.
        scheduler.regionHeartbeat(heartbeat(region(1, "", "", 1, 1, 1, 2, 3), 2));
        assertThat(scheduler.regions()).extracting(Region::getId).containsExactly(10L);
        scheduler.regionHeartbeat(heartbeat(region(1, "", "m", 2, 1, 1, 2, 3), 1));
        assertThat(scheduler.regions()).extracting(Region::getId).containsExactly(1L, 10L);
    }

    @Test
    @DisplayName("one store reporting a region's epoch going back fails the run, naming region, store and epochs")
    void epochGoingBackOnOneStoreIsAFailure() {
        scheduler.regionHeartbeat(heartbeat(region(1, "", "m", 2, 1, 1, 2, 3), 1));
        assertThatThrownBy(() -> scheduler.regionHeartbeat(heartbeat(region(1, "", "", 1, 1, 1, 2, 3), 1)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("region 1: store 1 reported epoch conf_ver: 1 version: 1 after it had reported "
                        + "conf_ver: 1 version: 2");
    }

    @Test
    @DisplayName("unsigned key order: a key of byte 0xff sorts after every ASCII key")
    void unsignedKeyOrder() {
        scheduler.regionHeartbeat(heartbeat(region(1, "", "", 1, 1, 1, 2, 3), 1));
        Region left = region(1, "", "", 2, 1, 1, 2, 3).toBuilder().setEndKey(ByteString.copyFrom(new byte[] {(byte) 0x80}))
                .build();
        Region right = region(10, "", "", 2, 1, 1, 2, 3).toBuilder()
                .setStartKey(ByteString.copyFrom(new byte[] {(byte) 0x80})).build();
        scheduler.regionHeartbeat(heartbeat(left, 1));
        scheduler.regionHeartbeat(heartbeat(right, 1));
        assertThat(scheduler.getRegion(new byte[] {(byte) 0xff}).orElseThrow().region().getId()).isEqualTo(10);
        assertThat(scheduler.getRegion(bytes("z")).orElseThrow().region().getId()).isEqualTo(1);
    }

    @Test
    @DisplayName("an add-peer order is re-sent on every heartbeat until the peer is in and caught up")
    void addPeerIsResentUntilDone() {
        scheduler.regionHeartbeat(heartbeat(region(1, "", "", 1, 1, 1, 2), 1));
        Peer newPeer = Requests.newPeer(3, 3);
        scheduler.addPeer(1, newPeer);

        scheduler.regionHeartbeat(heartbeat(region(1, "", "", 1, 1, 1, 2), 1));
        scheduler.regionHeartbeat(heartbeat(region(1, "", "", 1, 1, 1, 2), 1));
        runDeferred();
        assertThat(answers).hasSize(3);
        assertThat(answers.get(1).getChangePeer().getChangeType()).isEqualTo(ConfChangeType.AddNode);
        assertThat(answers.get(2).getChangePeer().getPeer()).isEqualTo(newPeer);

        // Added but still catching up: no more orders, but not finished either.
        Region withPeer = region(1, "", "", 1, 2, 1, 2, 3);
        scheduler.regionHeartbeat(heartbeat(withPeer, 1).toBuilder().addPendingPeers(newPeer).build());
        scheduler.regionHeartbeat(heartbeat(withPeer, 1));
        runDeferred();
        assertThat(answers.subList(3, 5)).noneMatch(RegionHeartbeatResponse::hasChangePeer);
    }

    @Test
    @DisplayName("transfer-leader and remove-peer orders end once the region shows them done")
    void transferAndRemove() {
        scheduler.regionHeartbeat(heartbeat(region(1, "", "", 1, 1, 1, 2, 3), 1));
        scheduler.transferLeader(1, peer(3));
        scheduler.regionHeartbeat(heartbeat(region(1, "", "", 1, 1, 1, 2, 3), 1));
        scheduler.regionHeartbeat(heartbeat(region(1, "", "", 1, 1, 1, 2, 3), 3));
        scheduler.regionHeartbeat(heartbeat(region(1, "", "", 1, 1, 1, 2, 3), 3));
        runDeferred();
        assertThat(answers.get(1).getTransferLeader().getPeer()).isEqualTo(peer(3));
        assertThat(answers.subList(2, 4)).noneMatch(RegionHeartbeatResponse::hasTransferLeader);

        scheduler.removePeer(1, peer(2));
        scheduler.regionHeartbeat(heartbeat(region(1, "", "", 1, 1, 1, 2, 3), 3));
        scheduler.regionHeartbeat(heartbeat(region(1, "", "", 1, 2, 1, 3), 3));
        runDeferred();
        assertThat(answers.get(4).getChangePeer().getChangeType()).isEqualTo(ConfChangeType.RemoveNode);
        assertThat(answers.get(5).hasChangePeer()).isFalse();
        assertThat(scheduler.getRegionById(1).orElseThrow().region().getPeersCount()).isEqualTo(2);
    }

    @Test
    @DisplayName("two peers changed in one conf version is a raftstore bug and fails loudly")
    void twoPeerChangesAtOnceFail() {
        scheduler.regionHeartbeat(heartbeat(region(1, "", "", 1, 1, 1, 2, 3), 1));
        assertThatThrownBy(() -> scheduler.regionHeartbeat(heartbeat(region(1, "", "", 1, 2, 1), 1)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("more than one peer");
    }

    private void runDeferred() {
        List<Runnable> tasks = new ArrayList<>(deferred);
        deferred.clear();
        tasks.forEach(Runnable::run);
    }

    private static Peer peer(long id) {
        return Requests.newPeer(id, id);
    }

    /** A region whose peer i lives on store i. */
    private static Region region(long id, String start, String end, long version, long confVer, long... peers) {
        Region.Builder region = Region.newBuilder().setId(id).setStartKey(ByteString.copyFromUtf8(start))
                .setEndKey(ByteString.copyFromUtf8(end))
                .setRegionEpoch(RegionEpoch.newBuilder().setVersion(version).setConfVer(confVer));
        for (long peer : peers) {
            region.addPeers(peer(peer));
        }
        return region.build();
    }

    private static RegionHeartbeatRequest heartbeat(Region region, long leader) {
        return RegionHeartbeatRequest.newBuilder().setRegion(region).setLeader(peer(leader)).build();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
