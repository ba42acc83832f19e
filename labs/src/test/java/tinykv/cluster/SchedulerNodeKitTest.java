package tinykv.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tinykv.proto.metapb.Peer;
import tinykv.proto.metapb.Region;
import tinykv.proto.metapb.RegionEpoch;
import tinykv.proto.metapb.Store;
import tinykv.proto.schedulerpb.AskSplitResponse;
import tinykv.proto.schedulerpb.ErrorType;
import tinykv.proto.schedulerpb.RegionHeartbeatRequest;
import tinykv.proto.schedulerpb.StoreStats;
import tinykv.scheduler.client.SchedulerClient;
import tinykv.scheduler.client.SchedulerException;
import tinykv.scheduler.core.RegionInfo;
import tinykv.scheduler.core.StoreInfo;
import tinykv.scheduler.schedule.ScheduleConfig;
import tinykv.sim.PartitionFilter;
import tinykv.sim.Simulator;

/**
 * The real scheduler as a node of the simulated network (lab 3C's tests in the loop): what a store sends
 * arrives after the network's latency, or not at all across a partition, answers come back the same way,
 * and a refused request is answered with its error. No lab 3C code runs here (regions are put in directly).
 */
@Tag("kit")
@DisplayName("Kit: the scheduler node on the simulated network")
class SchedulerNodeKitTest {
    private final Simulator sim = new Simulator(1);
    private final SchedulerNode node = new SchedulerNode(sim, 0, 100, ScheduleConfig.DEFAULT);
    private final Region first = Region.newBuilder().setId(1).setRegionEpoch(RegionEpoch.newBuilder()
            .setVersion(1).setConfVer(1)).addPeers(Peer.newBuilder().setId(1).setStoreId(1)).build();

    @BeforeEach
    void bootstrap() {
        node.bootstrap(store(1), first);
        node.stopScheduling(); // the schedulers would run lab 3C code
        node.putStore(store(2));
        sim.store(1);
        sim.store(2);
    }

    @Test
    @DisplayName("a store heartbeat arrives after the latency; across a partition it never does")
    void storeHeartbeatsTravelTheNetwork() {
        SchedulerClient client = node.clientOfStore(2);
        client.storeHeartbeat(StoreStats.newBuilder().setStoreId(2).build());
        assertThat(lastHeartbeat(2)).as("not inside the call").isEqualTo(StoreInfo.NEVER);
        sim.runFor(Duration.ofMillis(10));
        assertThat(lastHeartbeat(2)).isBetween(1L, 10L);

        node.addFilter(new PartitionFilter<>(Set.of(2L), Set.of(SchedulerNode.NODE_ID)));
        client.storeHeartbeat(StoreStats.newBuilder().setStoreId(2).build());
        sim.runFor(Duration.ofSeconds(1));
        assertThat(lastHeartbeat(2)).isLessThanOrEqualTo(10L);
        assertThat(node.networkStats().filtered()).isEqualTo(1);
    }

    @Test
    @DisplayName("ask split: ids for a known region come back over the network; an unknown region gets its error")
    void askSplitIsAnsweredOverTheNetwork() {
        node.cluster().core().putRegion(RegionInfo.of(first, first.getPeers(0)));
        List<AskSplitResponse> answers = new ArrayList<>();
        SchedulerClient client = node.clientOfStore(1);
        client.askSplit(first, answers::add);
        client.askSplit(first.toBuilder().setId(7).build(), answers::add);
        assertThat(answers).as("not inside the call").isEmpty();
        sim.runFor(Duration.ofMillis(20));
        assertThat(answers).hasSize(2); // in either order: each took its own latency
        assertThat(answers).filteredOn(answer -> !answer.getHeader().hasError()).singleElement()
                .satisfies(ids -> assertThat(ids.getNewPeerIdsList()).hasSize(1));
        assertThat(answers).filteredOn(answer -> answer.getHeader().hasError()).singleElement()
                .satisfies(refused -> {
                    assertThat(refused.getHeader().getError().getType()).isEqualTo(ErrorType.REGION_NOT_FOUND);
                    assertThat(refused.getHeader().getError().getMessage()).contains("region 7");
                });
    }

    @Test
    @DisplayName("a region heartbeat from an unknown store is answered with an error naming it; the node serves on")
    void refusedHeartbeatIsAnsweredWithItsError() {
        List<String> errors = new ArrayList<>();
        SchedulerClient client = node.clientOfStore(9);
        client.setRegionHeartbeatResponseHandler(9, response -> errors.add(response.getHeader().getError().getMessage()));
        sim.store(9);
        client.regionHeartbeat(RegionHeartbeatRequest.newBuilder().setRegion(first)
                .setLeader(Peer.newBuilder().setId(5).setStoreId(9)).build());
        sim.runFor(Duration.ofMillis(20));
        assertThat(errors).singleElement().asString().contains("store 9 not found");

        node.clientOfStore(2).storeHeartbeat(StoreStats.newBuilder().setStoreId(2).build());
        sim.runFor(Duration.ofMillis(20));
        assertThat(lastHeartbeat(2)).isNotEqualTo(StoreInfo.NEVER);
    }

    @Test
    @DisplayName("the harness's own calls answer at once; a refused one is a SchedulerException")
    void directCalls() {
        assertThat(node.allocId()).isEqualTo(100);
        assertThat(node.getRegionById(1)).isEmpty();
        assertThatThrownBy(() -> node.bootstrap(store(1), first)).isInstanceOf(SchedulerException.class)
                .hasMessageContaining("already bootstrapped");
        assertThatThrownBy(() -> node.putStore(store(3).toBuilder().setAddress("store-2").build()))
                .isInstanceOf(SchedulerException.class).hasMessageContaining("already taken by store 2");
    }

    private long lastHeartbeat(long storeId) {
        return node.cluster().getStore(storeId).orElseThrow().lastHeartbeatMs();
    }

    private static Store store(long id) {
        return Store.newBuilder().setId(id).setAddress("store-" + id).build();
    }
}
