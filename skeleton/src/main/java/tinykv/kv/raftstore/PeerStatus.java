package tinykv.kv.raftstore;

import tinykv.proto.metapb.Region;

/**
 * What one peer looks like from outside at one moment: its region as it last applied it, and whether it
 * leads in which term. Tests check invariants over these (no two regions of a store overlap, one leader per
 * region and term); the raft worker compares them before and after a ready to notice a change.
 *
 * @param storeId the store the peer lives on
 * @param peerId  the peer
 * @param region  the region as this peer knows it (no peers yet: waiting for its first snapshot)
 * @param leader  whether the peer is its region's leader
 * @param term    the peer's raft term
 */
public record PeerStatus(long storeId, long peerId, Region region, boolean leader, long term) {

    static PeerStatus of(Peer peer) {
        return new PeerStatus(peer.storeId(), peer.peerId(), peer.region(), peer.isLeader(), peer.term());
    }

    public long regionId() {
        return region.getId();
    }

    /** Whether the peer has its region's data (and so a key range). */
    public boolean isInitialized() {
        return region.getPeersCount() > 0;
    }
}
