package tinykv.scheduler.operator;

import java.util.Optional;
import tinykv.proto.eraftpb.ConfChangeType;
import tinykv.proto.metapb.Peer;
import tinykv.proto.schedulerpb.ChangePeer;
import tinykv.proto.schedulerpb.RegionHeartbeatResponse;
import tinykv.scheduler.core.RegionInfo;

/**
 * One step of an {@link Operator} (TinyKV's {@code OpStep}). A step is finished when a region heartbeat
 * shows its effect; the operator controller hands the current unfinished step to the region's leader in
 * its answer to the heartbeat ({@link #addTo}). The kinds are closed, and each says itself how it becomes
 * a command, so the compiler checks that none is forgotten.
 */
public sealed interface OpStep {

    /** Whether {@code region} (as a heartbeat reports it) shows this step done. */
    boolean isFinish(RegionInfo region);

    /** Whether this step, done, bumped the region's conf_ver (only peer changes do). */
    boolean confVerChanged(RegionInfo region);

    /**
     * Puts this (unfinished) step into the answer to {@code region}'s heartbeat as a command for its leader,
     * unless there is nothing to ask for now (an added peer still catching up); or, if the step cannot be
     * carried out on the region as it is now, leaves the answer alone and says why.
     */
    Optional<String> addTo(RegionHeartbeatResponse.Builder response, RegionInfo region);

    /** Add peer {@code peerId} on store {@code toStore}; done once the peer is there and not pending. */
    record AddPeer(long toStore, long peerId) implements OpStep {
        @Override
        public boolean isFinish(RegionInfo region) {
            return region.storePeer(toStore).filter(p -> p.getId() == peerId)
                    .filter(p -> region.pendingPeer(peerId).isEmpty()).isPresent();
        }

        @Override
        public boolean confVerChanged(RegionInfo region) {
            return region.storePeer(toStore).filter(p -> p.getId() == peerId).isPresent();
        }

        @Override
        public Optional<String> addTo(RegionHeartbeatResponse.Builder response, RegionInfo region) {
            Optional<Peer> present = region.storePeer(toStore);
            if (present.isPresent() && present.get().getId() != peerId) {
                return Optional.of("cannot " + this + ": store " + toStore + " already holds peer "
                        + present.get().getId() + " of region " + region.id());
            }
            if (present.isPresent()) {
                return Optional.empty(); // added, still catching up: nothing to ask, wait for it
            }
            response.setChangePeer(ChangePeer.newBuilder().setChangeType(ConfChangeType.AddNode)
                    .setPeer(Peer.newBuilder().setId(peerId).setStoreId(toStore)));
            return Optional.empty();
        }

        @Override
        public String toString() {
            return "add peer " + peerId + " on store " + toStore;
        }
    }

    /** Remove the region's peer on store {@code fromStore}; done once it is gone. */
    record RemovePeer(long fromStore) implements OpStep {
        @Override
        public boolean isFinish(RegionInfo region) {
            return region.storePeer(fromStore).isEmpty();
        }

        @Override
        public boolean confVerChanged(RegionInfo region) {
            return isFinish(region);
        }

        @Override
        public Optional<String> addTo(RegionHeartbeatResponse.Builder response, RegionInfo region) {
            Optional<Peer> peer = region.storePeer(fromStore);
            if (peer.isEmpty()) {
                return Optional.of("cannot " + this + ": region " + region.id() + " has no peer there");
            }
            response.setChangePeer(ChangePeer.newBuilder().setChangeType(ConfChangeType.RemoveNode).setPeer(peer.get()));
            return Optional.empty();
        }

        @Override
        public String toString() {
            return "remove peer on store " + fromStore;
        }
    }

    /** Move the leadership from store {@code fromStore} to store {@code toStore}; done once it is there. */
    record TransferLeader(long fromStore, long toStore) implements OpStep {
        @Override
        public boolean isFinish(RegionInfo region) {
            return region.leaderStoreId().filter(store -> store == toStore).isPresent();
        }

        @Override
        public boolean confVerChanged(RegionInfo region) {
            return false;
        }

        @Override
        public Optional<String> addTo(RegionHeartbeatResponse.Builder response, RegionInfo region) {
            Optional<Peer> target = region.storePeer(toStore);
            if (target.isEmpty()) {
                return Optional.of("cannot " + this + ": region " + region.id() + " has no peer on store " + toStore
                        + " any more");
            }
            response.setTransferLeader(tinykv.proto.schedulerpb.TransferLeader.newBuilder().setPeer(target.get()));
            return Optional.empty();
        }

        @Override
        public String toString() {
            return "transfer leader from store " + fromStore + " to store " + toStore;
        }
    }
}
