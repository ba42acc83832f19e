package tinykv.scheduler.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tinykv.proto.eraftpb.ConfChangeType;
import tinykv.proto.metapb.Peer;
import tinykv.proto.metapb.Region;
import tinykv.proto.metapb.RegionEpoch;
import tinykv.proto.metapb.StoreState;
import tinykv.proto.schedulerpb.AskSplitRequest;
import tinykv.proto.schedulerpb.ErrorType;
import tinykv.proto.schedulerpb.OperatorStatus;
import tinykv.proto.schedulerpb.RegionHeartbeatRequest;
import tinykv.proto.schedulerpb.RegionHeartbeatResponse;
import tinykv.proto.schedulerpb.StoreStats;
import tinykv.scheduler.core.RegionInfo;
import tinykv.scheduler.core.SchedulerError;
import tinykv.scheduler.operator.OpKind;
import tinykv.scheduler.operator.Operator;
import tinykv.scheduler.schedule.OperatorController;
import tinykv.scheduler.schedule.OperatorRecord;
import tinykv.scheduler.schedule.ScheduleConfig;
import tinykv.scheduler.schedulers.BalanceLeaderScheduler;
import tinykv.sim.Simulator;

/**
 * The scheduler's provided code: bad requests get a clear error and change nothing, and the scheduler
 * goes on serving; operators advance with heartbeats and end as they should; the coordinator runs a
 * scheduler on the event loop. Needs no student code, so it runs on the skeleton too.
 */
@Tag("kit")
@DisplayName("Kit: the scheduler refuses bad requests, carries out operators, runs schedulers on timers")
class SchedulerKitTest {
    private final Simulator sim = new Simulator(1);
    private final RaftCluster cluster = new RaftCluster(1, ScheduleConfig.DEFAULT, sim.newLoop("scheduler"));

    private void bootstrapThreeStores() {
        cluster.bootstrap(ClusterFixtures.store(1), Region.newBuilder().setId(1)
                .addPeers(Peer.newBuilder().setId(1).setStoreId(1)).build());
        cluster.putStore(ClusterFixtures.store(2));
        cluster.putStore(ClusterFixtures.store(3));
        for (long id = 1; id <= 3; id++) {
            cluster.handleStoreHeartbeat(StoreStats.newBuilder().setStoreId(id).build());
        }
    }

    /**
     * Region {@code id} over the one-byte keys {@code [id, id + 1)}, with peers {@code 10 id + s} on stores
     * 1..3, store 1 leading, put in directly (no heartbeat: no student code).
     */
    private RegionInfo putRegion(long id) {
        Region.Builder meta = Region.newBuilder().setId(id).setStartKey(ByteString.copyFrom(new byte[] {(byte) id}))
                .setEndKey(ByteString.copyFrom(new byte[] {(byte) (id + 1)}))
                .setRegionEpoch(RegionEpoch.newBuilder().setConfVer(3).setVersion(1));
        for (long store = 1; store <= 3; store++) {
            meta.addPeers(Peer.newBuilder().setId(10 * id + store).setStoreId(store));
        }
        RegionInfo region = RegionInfo.of(meta.build(), meta.getPeers(0)).withApproximateSize(1);
        cluster.core().putRegion(region);
        return region;
    }

    @Test
    @DisplayName("requests before bootstrap, a second bootstrap and a duplicated address are refused")
    void bootstrapAndStores() {
        assertThatThrownBy(() -> cluster.handleStoreHeartbeat(StoreStats.newBuilder().setStoreId(1).build()))
                .isInstanceOfSatisfying(SchedulerError.class, e -> assertThat(e.type()).isEqualTo(ErrorType.NOT_BOOTSTRAPPED))
                .hasMessageContaining("not bootstrapped");
        bootstrapThreeStores();
        assertThatThrownBy(this::bootstrapThreeStores).isInstanceOfSatisfying(SchedulerError.class,
                e -> assertThat(e.type()).isEqualTo(ErrorType.ALREADY_BOOTSTRAPPED));
        assertThatThrownBy(() -> cluster.putStore(ClusterFixtures.store(4).toBuilder()
                .setAddress(ClusterFixtures.store(2).getAddress()).build()))
                .hasMessageContaining("store 4").hasMessageContaining("already taken by store 2");
        assertThat(cluster.getStore(4)).as("store 4 after its refused registration").isEmpty();
        cluster.putStore(ClusterFixtures.store(4));
        assertThat(cluster.getStores()).hasSize(4);
    }

    @Test
    @DisplayName("heartbeats from an unknown or a tombstoned store are refused, naming the store; others still served")
    void unknownAndTombstonedStores() {
        bootstrapThreeStores();
        Peer onStore9 = Peer.newBuilder().setId(91).setStoreId(9).build();
        assertThatThrownBy(() -> cluster.handleRegionHeartbeat(RegionHeartbeatRequest.newBuilder().setLeader(onStore9)
                .setRegion(Region.newBuilder().setId(5).addPeers(onStore9)).build()))
                .isInstanceOf(SchedulerError.class).hasMessageContaining("region 5").hasMessageContaining("store 9 not found");
        assertThatThrownBy(() -> cluster.handleStoreHeartbeat(StoreStats.newBuilder().setStoreId(9).build()))
                .hasMessageContaining("store 9 not found");

        cluster.setStoreState(3, StoreState.Tombstone);
        Peer onStore3 = Peer.newBuilder().setId(31).setStoreId(3).build();
        assertThatThrownBy(() -> cluster.handleRegionHeartbeat(RegionHeartbeatRequest.newBuilder().setLeader(onStore3)
                .setRegion(Region.newBuilder().setId(6).addPeers(onStore3)).build()))
                .isInstanceOfSatisfying(SchedulerError.class, e -> assertThat(e.type()).isEqualTo(ErrorType.STORE_TOMBSTONE))
                .hasMessageContaining("store 3 is tombstoned");
        assertThatThrownBy(() -> cluster.handleStoreHeartbeat(StoreStats.newBuilder().setStoreId(3).build()))
                .hasMessageContaining("store 3 is tombstoned");
        assertThatThrownBy(() -> cluster.putStore(ClusterFixtures.store(3))).hasMessageContaining("tombstoned");
        assertThatThrownBy(() -> cluster.setStoreState(3, StoreState.Up)).hasMessageContaining("tombstoned");
        assertThatThrownBy(() -> cluster.handleRegionHeartbeat(RegionHeartbeatRequest.newBuilder()
                .setRegion(Region.newBuilder().setId(7)).build())).hasMessageContaining("region 7 names no leader");
        assertThat(cluster.getRegionCount()).as("regions after refused heartbeats").isZero();

        sim.runFor(Duration.ofSeconds(1));
        cluster.handleStoreHeartbeat(StoreStats.newBuilder().setStoreId(2).setCapacity(7).build());
        assertThat(cluster.getStore(2).orElseThrow().lastHeartbeatMs()).as("store 2's heartbeat after the refusals")
                .isEqualTo(1000);
    }

    @Test
    @DisplayName("AskSplit for an unknown region or at a stale epoch is refused; for a known one it gets fresh ids")
    void askSplit() {
        bootstrapThreeStores();
        RegionInfo region = putRegion(8);
        assertThatThrownBy(() -> cluster.handleAskSplit(AskSplitRequest.newBuilder()
                .setRegion(Region.newBuilder().setId(77)).build()))
                .isInstanceOfSatisfying(SchedulerError.class, e -> assertThat(e.type()).isEqualTo(ErrorType.REGION_NOT_FOUND))
                .hasMessageContaining("region 77 is not known");
        Region stale = region.meta().toBuilder().setRegionEpoch(RegionEpoch.newBuilder().setConfVer(2).setVersion(1))
                .build();
        assertThatThrownBy(() -> cluster.handleAskSplit(AskSplitRequest.newBuilder().setRegion(stale).build()))
                .hasMessageContaining("region 8").hasMessageContaining("(conf_ver 2, version 1)")
                .hasMessageContaining("(conf_ver 3, version 1)");
        var split = cluster.handleAskSplit(AskSplitRequest.newBuilder().setRegion(region.meta()).build());
        assertThat(split.getNewPeerIdsList()).as("new peer ids for a split of a 3-peer region").hasSize(3)
                .doesNotContain(split.getNewRegionId());
    }

    @Test
    @DisplayName("a move-peer operator advances step by step with the heartbeats and ends in SUCCESS")
    void movePeerOperatorRuns() {
        bootstrapThreeStores();
        cluster.putStore(ClusterFixtures.store(4));
        RegionInfo region = putRegion(8);
        OperatorController controller = cluster.opController();
        Operator op = Operator.createMovePeerOperator("test", cluster, region, OpKind.BALANCE, 1, 4, 84).orElseThrow();
        assertThat(op.steps()).hasToString("[add peer 84 on store 4, transfer leader from store 1 to store 2, "
                + "remove peer on store 1]");
        assertThat(controller.addOperator(op)).isTrue();

        assertThat(controller.dispatch(region)).map(RegionHeartbeatResponse::getChangePeer)
                .hasValueSatisfying(change -> {
                    assertThat(change.getChangeType()).isEqualTo(ConfChangeType.AddNode);
                    assertThat(change.getPeer().getId()).isEqualTo(84);
                });
        Peer added = Peer.newBuilder().setId(84).setStoreId(4).build();
        RegionInfo withNew = region.withPeers(List.of(region.peers().get(0), region.peers().get(1),
                region.peers().get(2), added)).withIncConfVer();
        assertThat(controller.dispatch(withNew.withPendingPeers(List.of(added))))
                .as("answer while the new peer catches up").isEmpty();
        assertThat(controller.dispatch(withNew)).map(r -> r.getTransferLeader().getPeer().getStoreId()).contains(2L);
        RegionInfo newLeader = withNew.withLeader(withNew.peers().get(1));
        assertThat(controller.dispatch(newLeader)).map(r -> r.getChangePeer().getChangeType())
                .contains(ConfChangeType.RemoveNode);
        RegionInfo moved = newLeader.withPeers(newLeader.peers().subList(1, 4)).withIncConfVer();
        assertThat(controller.dispatch(moved)).isEmpty();
        assertThat(controller.getOperatorStatus(8)).map(OperatorRecord::status).contains(OperatorStatus.SUCCESS);
    }

    @Test
    @DisplayName("an operator whose peer is gone, whose epoch moved on, or that ran too long ends, with the reason")
    void operatorsEnd() {
        bootstrapThreeStores();
        OperatorController controller = cluster.opController();
        RegionInfo region8 = putRegion(8);
        RegionInfo region9 = putRegion(9);
        RegionInfo region10 = putRegion(10);
        assertThat(controller.addOperator(Operator.createTransferLeaderOperator("test", region8, 1, 3, OpKind.BALANCE)))
                .isTrue();
        assertThat(controller.addOperator(Operator.createTransferLeaderOperator("test", region8, 1, 2, OpKind.BALANCE)))
                .as("a second operator for region 8").isFalse();
        controller.addOperator(Operator.createTransferLeaderOperator("test", region9, 1, 2, OpKind.BALANCE));
        controller.addOperator(Operator.createTransferLeaderOperator("test", region10, 1, 2, OpKind.BALANCE));

        // Region 8 reports no peer on store 3, at the operator's own epoch: the transfer cannot be done.
        RegionInfo without3 = region8.withPeers(region8.peers().subList(0, 2));
        assertThat(controller.dispatch(without3)).isEmpty();
        assertThat(controller.getOperatorStatus(8)).hasValueSatisfying(record -> {
            assertThat(record.status()).isEqualTo(OperatorStatus.CANCEL);
            assertThat(record.reason()).contains("store 3");
        });
        // Region 9 was changed by someone else: its conf_ver moved on.
        assertThat(controller.dispatch(region9.withIncConfVer())).isEmpty();
        assertThat(controller.getOperatorStatus(9)).hasValueSatisfying(record -> {
            assertThat(record.status()).isEqualTo(OperatorStatus.CANCEL);
            assertThat(record.reason()).contains("(conf_ver 4, version 1)");
        });
        // Region 10's leader never moves: after the leader-operator limit the operator times out.
        assertThat(controller.dispatch(region10)).isPresent();
        sim.runFor(Operator.LEADER_OPERATOR_WAIT_TIME.plusSeconds(1));
        assertThat(controller.dispatch(region10)).isEmpty();
        assertThat(controller.getOperatorStatus(10)).map(OperatorRecord::status).contains(OperatorStatus.TIMEOUT);
        assertThat(controller.getOperators()).isEmpty();
    }

    @Test
    @DisplayName("the coordinator runs balance-leader on its timer and hands its operator to the controller")
    void coordinatorRunsSchedulers() {
        bootstrapThreeStores();
        for (long id = 100; id < 112; id++) {
            putRegion(id); // every one led from store 1
        }
        for (long store = 1; store <= 3; store++) {
            cluster.core().updateStoreStatus(store);
        }
        Coordinator coordinator = new Coordinator(sim.newLoop("coordinator"), cluster,
                List.of(new BalanceLeaderScheduler(cluster.opController())));
        coordinator.start();
        boolean scheduled = sim.runUntil("an operator", () -> !cluster.opController().getOperators().isEmpty(),
                Duration.ofSeconds(1));
        coordinator.stop();
        assertThat(scheduled).as("an operator within 1 s of virtual time, with 12 leaders on store 1 and none "
                + "elsewhere").isTrue();
        Operator op = cluster.opController().getOperators().get(0);
        assertThat(op.kinds()).contains(OpKind.LEADER, OpKind.BALANCE);
        assertThat(op.steps()).hasToString("[transfer leader from store 1 to store 2]");
        assertThat(op.regionId()).as("region of %s", op).isBetween(100L, 111L);
    }
}
