package tinykv.cluster;

import com.google.protobuf.TextFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tinykv.kv.raftstore.PeerStatus;
import tinykv.kv.raftstore.RaftStore;
import tinykv.kv.storage.KeyRange;
import tinykv.proto.metapb.RegionEpoch;

/**
 * The multi-raft invariants a cluster test checks after every event (lab 3B on): no two regions of one store
 * overlap; a region's epoch never goes back on a store; a region has at most one leader per term. A store is
 * looked at again only when the {@link StoreWatch} says it changed.
 */
final class RegionInvariants {
    static final String NO_OVERLAP = "no two regions on one store overlap";
    static final String EPOCH_NEVER_BACK = "a region's epoch never goes back on a store";
    static final String ONE_LEADER_PER_TERM = "at most one leader per region and term";

    private final Map<Long, Map<Long, RegionEpoch>> epochs = new HashMap<>();
    /** (region, term) to the peer that led it, and on which store. */
    private final Map<String, PeerStatus> leaders = new HashMap<>();

    /** Checks each store the watch reports as changed, after the event that changed it. */
    void watch(StoreWatch stores) {
        stores.listen((storeId, store, started) -> store.ifPresent(running -> check(storeId, running)));
    }

    private void check(long storeId, RaftStore store) {
        List<PeerStatus> peers = store.peerStatuses();
        checkNoOverlap(storeId, peers);
        checkEpochs(storeId, peers);
        checkLeaders(peers);
    }

    private static void checkNoOverlap(long storeId, List<PeerStatus> peers) {
        List<PeerStatus> initialized = new ArrayList<>();
        for (PeerStatus peer : peers) {
            if (peer.isInitialized()) {
                initialized.add(peer);
            }
        }
        initialized.sort(Comparator.comparing(peer -> peer.region().getStartKey(), KeyRange.KEY_ORDER));
        for (int i = 1; i < initialized.size(); i++) {
            PeerStatus before = initialized.get(i - 1);
            PeerStatus after = initialized.get(i);
            KeyRange left = KeyRange.of(before.region());
            KeyRange right = KeyRange.of(after.region());
            if (left.overlaps(right)) {
                throw new AssertionError(NO_OVERLAP + ": on store " + storeId + ", region " + before.regionId()
                        + " " + left + " (peer " + before.peerId() + ") and region " + after.regionId() + " "
                        + right + " (peer " + after.peerId() + ") share keys");
            }
        }
    }

    private void checkEpochs(long storeId, List<PeerStatus> peers) {
        Map<Long, RegionEpoch> known = epochs.computeIfAbsent(storeId, id -> new HashMap<>());
        for (PeerStatus peer : peers) {
            if (!peer.isInitialized()) {
                continue; // a peer waiting for its first snapshot has no epoch of its own yet
            }
            RegionEpoch now = peer.region().getRegionEpoch();
            RegionEpoch before = known.put(peer.regionId(), now);
            if (before != null && (now.getVersion() < before.getVersion() || now.getConfVer() < before.getConfVer())) {
                throw new AssertionError(EPOCH_NEVER_BACK + ": region " + peer.regionId() + " on store " + storeId
                        + " (peer " + peer.peerId() + ") went from epoch " + TextFormat.shortDebugString(before)
                        + " back to " + TextFormat.shortDebugString(now));
            }
        }
    }

    /** The one-leader check alone, on statuses a test makes up (its kit test). */
    void checkLeaders(List<PeerStatus> peers) {
        for (PeerStatus peer : peers) {
            if (!peer.leader()) {
                continue;
            }
            PeerStatus first = leaders.putIfAbsent(peer.regionId() + "/" + peer.term(), peer);
            if (first != null && first.peerId() != peer.peerId()) {
                throw new AssertionError(ONE_LEADER_PER_TERM + ": region " + peer.regionId() + " has two leaders in "
                        + "term " + peer.term() + ": peer " + first.peerId() + " on store " + first.storeId()
                        + " and peer " + peer.peerId() + " on store " + peer.storeId());
            }
        }
    }
}
