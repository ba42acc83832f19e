package tinykv.kv.raftstore;

import java.util.Deque;

/** Test code's reach into a running store's peer, for kit fixtures that break what a student's code would. */
public final class PeerAccess {
    private PeerAccess() {}

    /** The Proposals of the store's peer of {@code regionId}, as the handler keeps them (changes go through). */
    public static Deque<Proposal> proposals(RaftStore store, long regionId) {
        return store.peer(regionId)
                .orElseThrow(() -> new IllegalArgumentException("store " + store.storeId() + " has no peer of region "
                        + regionId))
                .proposals();
    }
}
